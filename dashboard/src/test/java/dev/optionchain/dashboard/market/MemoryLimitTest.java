package dev.optionchain.dashboard.market;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.breaker.testing.ManualClock;
import dev.optionchain.dashboard.cache.CacheWriter;
import dev.optionchain.dashboard.cache.Cached;
import dev.optionchain.dashboard.cache.Database;
import dev.optionchain.dashboard.cache.MarketCache;
import dev.optionchain.dashboard.config.FreshFor;
import dev.optionchain.dashboard.model.Bar;
import dev.optionchain.dashboard.model.ChainKey;
import dev.optionchain.dashboard.model.Expirations;
import dev.optionchain.dashboard.model.HistoryKey;
import dev.optionchain.dashboard.model.Interval;
import dev.optionchain.dashboard.model.OptionChain;
import dev.optionchain.dashboard.model.OptionContract;
import dev.optionchain.dashboard.model.OptionType;
import dev.optionchain.dashboard.model.PriceHistory;
import dev.optionchain.dashboard.model.Quote;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory tiers are bounded in bytes as well as in answers: large answers (twenty-year histories, big chains) are
 * evicted when their estimated bytes pass {@code cache.memory-limit}, small ones (quotes) still fill
 * {@code cache.memory-entries}. Caffeine's maintenance is run ({@code cleanUp}) before each count.
 */
class MemoryLimitTest {

  private static final LocalDate END = LocalDate.of(2026, 3, 18);
  private static final Instant NOW = Instant.parse("2026-03-18T15:00:00Z");
  private static final int ENTRIES = 2000;
  private static final long LIMIT = 4_000_000;

  private final ManualClock clock = new ManualClock(NOW);

  static PriceHistory history(String symbol, int bars) {
    List<Bar> list = new ArrayList<>(bars);
    for (int i = 0; i < bars; i++) {
      list.add(new Bar(END.minusDays(bars - i), 100 + i, 101 + i, 99 + i, 100.5 + i, 1_000_000L + i));
    }
    return new PriceHistory(symbol, Interval.DAILY, END.minusDays(bars), END, list);
  }

  static OptionChain chain(String symbol, int contracts) {
    List<OptionContract> list = new ArrayList<>(contracts);
    for (int i = 0; i < contracts; i++) {
      OptionType type = i % 2 == 0 ? OptionType.CALL : OptionType.PUT;
      list.add(new OptionContract(symbol + "260320C" + i, symbol, symbol, type, 100 + i / 2, END, "standard", 100,
          1.5, 0.1, 1.4, 10L, 1.6, 12L, 500L, 1000L, null));
    }
    return new OptionChain(symbol, END, list);
  }

  static Quote quote(String symbol) {
    return new Quote(symbol, symbol + " Inc", "Q", "stock", 100.0, 1.0, 1.0, 1000L, 2000L, NOW, 99.0, 101.0, 98.0,
        null, 99.0, 120.0, 80.0, 99.9, 10L, 100.1, 12L);
  }

  @Test
  void theEstimateGrowsWithBarsContractsAndDates() {
    assertThat(AnswerWeight.bytes(history("AAPL", 5_040)) - AnswerWeight.bytes(history("AAPL", 252)))
        .isEqualTo((5_040L - 252) * AnswerWeight.BAR);
    assertThat(AnswerWeight.bytes(history("AAPL", 5_040))).as("a twenty-year daily history, measured 436 kB")
        .isBetween(420_000L, 460_000L);
    assertThat(AnswerWeight.bytes(chain("SPY", 400)) - AnswerWeight.bytes(chain("SPY", 40)))
        .isEqualTo(360L * AnswerWeight.CONTRACT);
    List<LocalDate> dates = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      dates.add(END.plusWeeks(i));
    }
    assertThat(AnswerWeight.bytes(new Expirations("SPY", dates)))
        .isEqualTo(AnswerWeight.bytes(new Expirations("SPY", dates.subList(0, 10))) + 20L * AnswerWeight.DATE);
    assertThat(AnswerWeight.bytes(quote("AAPL"))).isLessThan(AnswerWeight.bytes(history("AAPL", 10)));
  }

  @Test
  void eachAnswerWeighsItsBytesButAtLeastTheLimitSharedByTheEntries() {
    AnswerWeight w = new AnswerWeight(ENTRIES, LIMIT);
    assertThat(w.weigh(quote("AAPL"))).as("a quote weighs a 2000th of the limit").isEqualTo(2_000);
    assertThat(w.weigh(history("AAPL", 5_040)))
        .isEqualTo((int) (AnswerWeight.ENTRY + AnswerWeight.bytes(history("AAPL", 5_040))));
    assertThat(w.weigh(null)).as("a failed load").isEqualTo(2_000);
    assertThat(new AnswerWeight(3, 10).weigh(null)).as("rounded up: never more than the entries").isEqualTo(4);
    assertThat(new AnswerWeight(1, Long.MAX_VALUE).weigh(null)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void freshTwentyYearHistoriesStayWithinTheByteLimitWhileQuotesFillTheEntries() {
    AnswerWeight weight = new AnswerWeight(ENTRIES, LIMIT);
    MemoryFreshAnswers<HistoryKey, PriceHistory> histories =
        new MemoryFreshAnswers<>(weight, FreshFor.of(Duration.ofHours(1)), clock);
    long one = weight.weigh(history("S0", 5_040));
    for (int i = 0; i < 100; i++) {
      String symbol = "S" + i;
      histories.get(new HistoryKey(symbol, Interval.DAILY, END.minusDays(5_040), END),
          k -> new Cached<>(history(symbol, 5_040), clock.now()));
      assertThat(histories.weightedSize()).as("after %d histories", i + 1).isLessThanOrEqualTo(LIMIT);
    }
    assertThat(histories.size()).as("about %d kB each in %d bytes", one / 1000, LIMIT)
        .isBetween(1L, LIMIT / one);

    MemoryFreshAnswers<String, Quote> quotes =
        new MemoryFreshAnswers<>(weight, FreshFor.of(Duration.ofHours(1)), clock);
    for (int i = 0; i < 3_000; i++) {
      String symbol = "Q" + i;
      quotes.get(symbol, k -> new Cached<>(quote(symbol), clock.now()));
    }
    assertThat(quotes.size()).as("small answers: the entries bound").isEqualTo(ENTRIES);
    assertThat(quotes.weightedSize()).isLessThanOrEqualTo(LIMIT);
  }

  @Test
  void lastGoodChainsStayWithinTheByteLimitWhileQuotesFillTheEntries(@TempDir Path dir) {
    AnswerWeight weight = new AnswerWeight(ENTRIES, LIMIT);
    try (Database db = Database.open(dir.resolve("m.duckdb"));
        CacheWriter writer = new CacheWriter(new MarketCache(db), CacheWriter.Settings.DEFAULTS)) {
      MarketCache cache = new MarketCache(db);
      LastGoodAnswers<ChainKey, OptionChain> chains =
          new LastGoodAnswers<>(weight, cache.chains(), writer, SharedAnswers.none());
      long one = weight.weigh(chain("SPX", 1_000));
      for (int i = 0; i < 40; i++) {
        String symbol = "C" + i;
        chains.put(new ChainKey(symbol, END), chain(symbol, 1_000), NOW);
        assertThat(chains.weightedSize()).as("after %d chains", i + 1).isLessThanOrEqualTo(LIMIT);
      }
      assertThat(chains.size()).as("about %d kB each in %d bytes", one / 1000, LIMIT).isBetween(1L, LIMIT / one);

      LastGoodAnswers<String, Quote> quotes = new LastGoodAnswers<>(weight, cache.quotes(), writer,
          SharedAnswers.none());
      for (int i = 0; i < 3_000; i++) {
        quotes.put("Q" + i, quote("Q" + i), NOW);
      }
      assertThat(quotes.size()).as("small answers: the entries bound").isEqualTo(ENTRIES);
      assertThat(quotes.weightedSize()).isLessThanOrEqualTo(LIMIT);
    }
  }
}
