package dev.optionchain.dashboard.cache;

import dev.optionchain.dashboard.model.ChainKey;
import dev.optionchain.dashboard.model.HistoryKey;
import static dev.optionchain.dashboard.cache.Samples.EXPIRATION;
import static dev.optionchain.dashboard.cache.Samples.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.optionchain.dashboard.model.Bar;
import dev.optionchain.dashboard.model.Expirations;
import dev.optionchain.dashboard.model.Greeks;
import dev.optionchain.dashboard.model.Interval;
import dev.optionchain.dashboard.model.OptionChain;
import dev.optionchain.dashboard.model.OptionContract;
import dev.optionchain.dashboard.model.OptionType;
import dev.optionchain.dashboard.model.PriceHistory;
import dev.optionchain.dashboard.model.Quote;
import dev.optionchain.dashboard.model.TickerInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarketCacheTest {

  private static final LocalDate JAN_2 = LocalDate.of(2025, 1, 2);

  @TempDir
  Path dir;

  private Database db;
  private MarketCache cache;

  // the cache through its generic stores, as the service uses it
  private void putQuote(Quote q, java.time.Instant t) {
    cache.quotes().put(q.symbol(), q, t);
  }

  private java.util.Optional<Cached<Quote>> quote(String s) {
    return cache.quotes().get(s);
  }

  private void putInfo(TickerInfo i, java.time.Instant t) {
    cache.infos().put(i.symbol(), i, t);
  }

  private java.util.Optional<Cached<TickerInfo>> info(String s) {
    return cache.infos().get(s);
  }

  private void putHistory(PriceHistory h, java.time.Instant t) {
    cache.history().put(new HistoryKey(h.symbol(), h.interval(), h.start(), h.end()), h, t);
  }

  private java.util.Optional<Cached<PriceHistory>> history(String s, Interval i, LocalDate a, LocalDate b) {
    return cache.history().get(new HistoryKey(s, i, a, b));
  }

  private boolean hasHistory(String s, Interval i, LocalDate a, LocalDate b) {
    return history(s, i, a, b).isPresent();
  }

  private void putExpirations(Expirations e, java.time.Instant t) {
    cache.expirations().put(e.symbol(), e, t);
  }

  private java.util.Optional<Cached<Expirations>> expirations(String s) {
    return cache.expirations().get(s);
  }

  private boolean hasExpirations(String s) {
    return expirations(s).isPresent();
  }

  private void putChain(OptionChain c, java.time.Instant t) {
    cache.chains().put(new ChainKey(c.underlying(), c.expiration()), c, t);
  }

  private java.util.Optional<Cached<OptionChain>> chain(String u, LocalDate e) {
    return cache.chains().get(new ChainKey(u, e));
  }

  private boolean hasChain(String u, LocalDate e) {
    return chain(u, e).isPresent();
  }

  @BeforeEach
  void open() {
    db = Database.open(dir.resolve("cache.duckdb"));
    cache = new MarketCache(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  // --- quotes -----------------------------------------------------------------------------------------------------

  @Test
  void quoteRoundTripsEveryField() {
    Quote q = Samples.fullQuote("AAPL", 190.12);

    putQuote(q, T0);

    assertThat(quote("AAPL")).contains(new Cached<>(q, T0));
  }

  @Test
  void quoteNullFieldsComeBackNullNotZero() {
    Quote q = Samples.bareQuote("AAPL");

    putQuote(q, T0);

    Quote back = quote("AAPL").orElseThrow().value();
    assertThat(back).isEqualTo(q);
    assertThat(back.last()).isNull();
    assertThat(back.volume()).isNull();
    assertThat(back.tradeTime()).isNull();
  }

  @Test
  void quoteIsReplacedByTheNextOneOfTheSameSymbol() {
    putQuote(Samples.fullQuote("AAPL", 190.0), T0);
    putQuote(Samples.bareQuote("AAPL"), T0.plusSeconds(5));

    assertThat(quote("AAPL")).contains(new Cached<>(Samples.bareQuote("AAPL"), T0.plusSeconds(5)));
    assertThat(cache.rowCount("quotes")).isEqualTo(1);
  }

  @Test
  void unknownSymbolIsAMiss() {
    putQuote(Samples.fullQuote("AAPL", 190.0), T0);

    assertThat(quote("MSFT")).isEmpty();
    assertThat(quote("aapl")).as("keys are exact").isEmpty();
    assertThat(info("AAPL")).as("quotes and infos are separate tables").isEmpty();
  }

  @Test
  void instantsAreTruncatedToMicroseconds() {
    Instant nanos = Instant.parse("2025-06-02T14:30:00.123456789Z");
    Instant preEpoch = Instant.parse("1969-12-31T23:59:59.999999999Z");
    Quote q = Samples.fullQuote("AAPL", 1.0);
    Quote withPreEpochTrade = new Quote("AAPL", q.description(), q.exchange(), q.type(), q.last(), q.change(),
        q.changePercentage(), q.volume(), q.averageVolume(), preEpoch, q.open(), q.high(), q.low(), q.close(),
        q.prevClose(), q.week52High(), q.week52Low(), q.bid(), q.bidSize(), q.ask(), q.askSize());

    putQuote(withPreEpochTrade, nanos);

    Cached<Quote> back = quote("AAPL").orElseThrow();
    assertThat(back.fetchedAt()).isEqualTo(Instant.parse("2025-06-02T14:30:00.123456Z"));
    assertThat(back.value().tradeTime()).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
  }

  @Test
  void instantsDoNotDependOnTheJvmTimeZone() {
    TimeZone saved = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    try (Database other = Database.open(dir.resolve("new-york.duckdb"))) {
      MarketCache newYork = new MarketCache(other);
      newYork.quotes().put("AAPL", Samples.fullQuote("AAPL", 1.0), T0);
      newYork.chains().put(new ChainKey("AAPL", EXPIRATION), Samples.chain("AAPL", EXPIRATION, 1, 1.0), T0);

      assertThat(newYork.quotes().get("AAPL").orElseThrow().fetchedAt()).isEqualTo(T0);
      assertThat(newYork.quotes().get("AAPL").orElseThrow().value()).isEqualTo(Samples.fullQuote("AAPL", 1.0));
      assertThat(newYork.chains().get(new ChainKey("AAPL", EXPIRATION)).orElseThrow().fetchedAt()).isEqualTo(T0);
    } finally {
      TimeZone.setDefault(saved);
    }
  }

  // --- ticker info ------------------------------------------------------------------------------------------------

  @Test
  void infoRoundTripsEveryFieldAndNulls() {
    TickerInfo full = TickerInfo.of(Samples.fullQuote("AAPL", 190.0));
    TickerInfo bare = new TickerInfo("MSFT", null, null, null, null, null, null);

    putInfo(full, T0);
    putInfo(bare, T0.plusSeconds(1));

    assertThat(info("AAPL")).contains(new Cached<>(full, T0));
    assertThat(info("MSFT")).contains(new Cached<>(bare, T0.plusSeconds(1)));
    putInfo(new TickerInfo("MSFT", "Microsoft", "stock", "Q", 1.0, 0.5, 7L), T0.plusSeconds(2));
    assertThat(info("MSFT").orElseThrow().value().name()).isEqualTo("Microsoft");
    assertThat(cache.rowCount("ticker_info")).isEqualTo(2);
  }

  // --- price history ----------------------------------------------------------------------------------------------

  @Test
  void historyRoundTripsBarsInDateOrder() {
    PriceHistory h = Samples.daily("AAPL", JAN_2, 10, 100);

    putHistory(h, T0);

    Cached<PriceHistory> back = history("AAPL", Interval.DAILY, JAN_2, JAN_2.plusDays(9)).orElseThrow();
    assertThat(back.value()).isEqualTo(h);
    assertThat(back.fetchedAt()).isEqualTo(T0);
  }

  @Test
  void historyRangeIsInclusiveAndEchoesTheAskedBounds() {
    putHistory(Samples.daily("AAPL", JAN_2, 10, 100), T0);

    PriceHistory inner = history("AAPL", Interval.DAILY, JAN_2.plusDays(3), JAN_2.plusDays(5))
        .orElseThrow().value();
    PriceHistory wider = history("AAPL", Interval.DAILY, JAN_2.minusDays(30), JAN_2.plusDays(2))
        .orElseThrow().value();

    assertThat(inner.bars()).extracting(Bar::date)
        .containsExactly(JAN_2.plusDays(3), JAN_2.plusDays(4), JAN_2.plusDays(5));
    assertThat(inner.start()).isEqualTo(JAN_2.plusDays(3));
    assertThat(inner.end()).isEqualTo(JAN_2.plusDays(5));
    assertThat(wider.bars()).extracting(Bar::date).containsExactly(JAN_2, JAN_2.plusDays(1), JAN_2.plusDays(2));
    assertThat(wider.start()).isEqualTo(JAN_2.minusDays(30));
  }

  @Test
  void historyIsAMissWhenNoBarIsInRangeOrOfAnotherInterval() {
    putHistory(Samples.daily("AAPL", JAN_2, 10, 100), T0);

    assertThat(history("AAPL", Interval.DAILY, JAN_2.plusDays(10), JAN_2.plusDays(20))).isEmpty();
    assertThat(history("AAPL", Interval.WEEKLY, JAN_2, JAN_2.plusDays(9))).isEmpty();
    assertThat(history("MSFT", Interval.DAILY, JAN_2, JAN_2.plusDays(9))).isEmpty();
    assertThat(hasHistory("AAPL", Interval.DAILY, JAN_2.plusDays(9), JAN_2.plusDays(20))).isTrue();
    assertThat(hasHistory("AAPL", Interval.DAILY, JAN_2.plusDays(10), JAN_2.plusDays(20))).isFalse();
    assertThat(hasHistory("AAPL", Interval.WEEKLY, JAN_2, JAN_2.plusDays(9))).isFalse();
  }

  @Test
  void historyUpsertsBarsAndKeepsOlderBarsOutsideTheNewRange() {
    putHistory(Samples.daily("AAPL", JAN_2, 10, 100), T0); // days 0..9, closes 100..109
    putHistory(Samples.daily("AAPL", JAN_2.plusDays(5), 10, 500), T0.plusSeconds(60)); // days 5..14

    List<Bar> bars = history("AAPL", Interval.DAILY, JAN_2, JAN_2.plusDays(14)).orElseThrow().value().bars();

    assertThat(bars).hasSize(15);
    assertThat(bars).extracting(Bar::close).containsExactly(
        100.0, 101.0, 102.0, 103.0, 104.0, // kept
        500.0, 501.0, 502.0, 503.0, 504.0, 505.0, 506.0, 507.0, 508.0, 509.0); // replaced and added
    assertThat(cache.rowCount("price_history")).isEqualTo(15);
  }

  @Test
  void historyFetchedAtIsTheOldestAmongTheReturnedBars() {
    putHistory(Samples.daily("AAPL", JAN_2, 10, 100), T0);
    putHistory(Samples.daily("AAPL", JAN_2.plusDays(5), 10, 500), T0.plusSeconds(60));

    assertThat(history("AAPL", Interval.DAILY, JAN_2, JAN_2.plusDays(14)).orElseThrow().fetchedAt())
        .isEqualTo(T0);
    assertThat(history("AAPL", Interval.DAILY, JAN_2.plusDays(5), JAN_2.plusDays(14)).orElseThrow()
        .fetchedAt()).as("only newer bars in range").isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void historyOfTheSameDatesUnderAnotherIntervalIsSeparate() {
    PriceHistory daily = Samples.daily("AAPL", JAN_2, 3, 100);
    PriceHistory weekly = new PriceHistory("AAPL", Interval.WEEKLY, JAN_2, JAN_2.plusDays(2), daily.bars());

    putHistory(daily, T0);
    putHistory(weekly, T0.plusSeconds(1));

    assertThat(history("AAPL", Interval.DAILY, JAN_2, JAN_2.plusDays(2)).orElseThrow().fetchedAt())
        .isEqualTo(T0);
    assertThat(history("AAPL", Interval.WEEKLY, JAN_2, JAN_2.plusDays(2)).orElseThrow().value())
        .isEqualTo(weekly);
    assertThat(cache.rowCount("price_history")).isEqualTo(6);
  }

  @Test
  void historyLongerThanAnAppenderChunkRoundTrips() {
    PriceHistory h = Samples.daily("SPY", LocalDate.of(2015, 1, 1), 2500, 100);

    putHistory(h, T0);

    assertThat(history("SPY", Interval.DAILY, h.start(), h.end()).orElseThrow().value()).isEqualTo(h);
  }

  @Test
  void historyWithTwoBarsOfOneDateIsRefusedAndChangesNothing() {
    PriceHistory old = Samples.daily("SPY", LocalDate.of(2015, 1, 1), 2500, 100);
    putHistory(old, T0);
    PriceHistory fresh = Samples.daily("SPY", LocalDate.of(2015, 1, 1), 2500, 900);
    List<Bar> bars = new ArrayList<>(fresh.bars());
    bars.add(bars.get(10)); // the duplicate lands in the second 2048-row chunk, after the first was handed over
    PriceHistory broken = new PriceHistory("SPY", Interval.DAILY, fresh.start(), fresh.end(), bars);

    assertThatThrownBy(() -> putHistory(broken, T0.plusSeconds(1)))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("into price_history").hasMessageContaining("rolled back");

    assertThat(history("SPY", Interval.DAILY, old.start(), old.end())).contains(new Cached<>(old, T0));
  }

  @Test
  void emptyHistoryChangesNothing() {
    putHistory(Samples.daily("AAPL", JAN_2, 3, 100), T0);

    putHistory(new PriceHistory("AAPL", Interval.DAILY, JAN_2, JAN_2.plusDays(2), List.of()), T0);

    assertThat(cache.rowCount("price_history")).isEqualTo(3);
  }

  // --- expirations ------------------------------------------------------------------------------------------------

  @Test
  void expirationsRoundTripSoonestFirst() {
    Expirations e = new Expirations("AAPL",
        List.of(LocalDate.of(2026, 3, 20), LocalDate.of(2026, 1, 16), LocalDate.of(2026, 2, 20)));

    putExpirations(e, T0);

    Cached<Expirations> back = expirations("AAPL").orElseThrow();
    assertThat(back).isEqualTo(new Cached<>(e, T0));
    assertThat(back.value().dates()).isSorted();
    assertThat(hasExpirations("AAPL")).isTrue();
  }

  @Test
  void expirationsAreReplacedAsASet() {
    putExpirations(new Expirations("AAPL", List.of(LocalDate.of(2026, 1, 9), LocalDate.of(2026, 1, 16))), T0);
    putExpirations(new Expirations("MSFT", List.of(LocalDate.of(2026, 1, 16))), T0);
    Expirations next = new Expirations("AAPL", List.of(LocalDate.of(2026, 1, 16), LocalDate.of(2026, 1, 23)));

    putExpirations(next, T0.plusSeconds(60));

    assertThat(expirations("AAPL")).contains(new Cached<>(next, T0.plusSeconds(60)));
    assertThat(expirations("MSFT").orElseThrow().value().dates()).containsExactly(LocalDate.of(2026, 1, 16));
    assertThat(cache.rowCount("expirations")).isEqualTo(3);
  }

  @Test
  void expirationsAreAMissWhenNoneAreCached() {
    assertThat(expirations("AAPL")).isEmpty();
    assertThat(hasExpirations("AAPL")).isFalse();

    putExpirations(new Expirations("AAPL", List.of(EXPIRATION)), T0);
    putExpirations(new Expirations("AAPL", List.of()), T0.plusSeconds(1));

    assertThat(expirations("AAPL")).as("an empty list clears the set").isEmpty();
    assertThat(hasExpirations("AAPL")).isFalse();
  }

  // --- option chains ----------------------------------------------------------------------------------------------

  @Test
  void chainRoundTripsEveryFieldIncludingGreeks() {
    OptionChain chain = Samples.chain("AAPL", EXPIRATION, 5, 3.2);

    putChain(chain, T0);

    assertThat(chain("AAPL", EXPIRATION)).contains(new Cached<>(chain, T0));
    assertThat(hasChain("AAPL", EXPIRATION)).isTrue();
  }

  @Test
  void chainNullFieldsComeBackNullAndAllNullGreeksDifferFromNoGreeks() {
    OptionContract bare = Samples.bareContract("AAPL", EXPIRATION, OptionType.CALL, 150);
    OptionContract full = Samples.fullContract("AAPL", EXPIRATION, OptionType.PUT, 150, 2.0);
    OptionContract emptyGreeks = new OptionContract(
        Samples.occ("AAPL", EXPIRATION, OptionType.CALL, 155), "AAPL", "AAPL", OptionType.CALL, 155, EXPIRATION,
        null, null, null, null, null, null, null, null, null, null,
        new Greeks(null, null, null, null, null, null, null, null, null, null, null));
    OptionChain chain = new OptionChain("AAPL", EXPIRATION, List.of(bare, full, emptyGreeks));

    putChain(chain, T0);

    OptionChain back = chain("AAPL", EXPIRATION).orElseThrow().value();
    assertThat(back).isEqualTo(chain);
    assertThat(back.contracts().get(0).greeks()).isNull();
    assertThat(back.contracts().get(0).bid()).isNull();
    assertThat(back.contracts().get(0).contractSize()).isNull();
    assertThat(back.contracts().get(2).greeks()).isNotNull();
    assertThat(back.contracts().get(2).greeks().delta()).isNull();
  }

  @Test
  void chainComesBackByStrikeCallBeforePut() {
    List<OptionContract> shuffled = new ArrayList<>(Samples.chain("AAPL", EXPIRATION, 20, 1.0).contracts());
    Collections.shuffle(shuffled, new Random(7));

    putChain(new OptionChain("AAPL", EXPIRATION, shuffled), T0);

    List<OptionContract> back = chain("AAPL", EXPIRATION).orElseThrow().value().contracts();
    assertThat(back).hasSize(40);
    for (int i = 0; i < back.size(); i += 2) {
      assertThat(back.get(i).strike()).isEqualTo(back.get(i + 1).strike()).isEqualTo(100 + 2.5 * (i / 2));
      assertThat(back.get(i).type()).isEqualTo(OptionType.CALL);
      assertThat(back.get(i + 1).type()).isEqualTo(OptionType.PUT);
    }
  }

  @Test
  void chainReplacesItsWholeSetAndLeavesOtherChainsAlone() {
    LocalDate other = EXPIRATION.plusDays(7);
    putChain(Samples.chain("AAPL", EXPIRATION, 10, 1.0), T0);
    putChain(Samples.chain("AAPL", other, 4, 1.0), T0);
    putChain(Samples.chain("MSFT", EXPIRATION, 3, 1.0), T0);
    OptionChain next = Samples.chain("AAPL", EXPIRATION, 6, 9.0); // fewer strikes: 8 contracts must go

    putChain(next, T0.plusSeconds(60));

    assertThat(chain("AAPL", EXPIRATION)).contains(new Cached<>(next, T0.plusSeconds(60)));
    assertThat(chain("AAPL", other).orElseThrow().value().contracts()).hasSize(8);
    assertThat(chain("MSFT", EXPIRATION).orElseThrow().value().contracts()).hasSize(6);
    assertThat(cache.rowCount("option_quotes")).isEqualTo(12 + 8 + 6);
  }

  @Test
  void emptyChainClearsTheCachedOne() {
    putChain(Samples.chain("AAPL", EXPIRATION, 3, 1.0), T0);

    putChain(new OptionChain("AAPL", EXPIRATION, List.of()), T0.plusSeconds(1));

    assertThat(chain("AAPL", EXPIRATION)).isEmpty();
    assertThat(hasChain("AAPL", EXPIRATION)).isFalse();
  }

  @Test
  void chainIsAMissWhenNotCached() {
    assertThat(chain("AAPL", EXPIRATION)).isEmpty();
    assertThat(hasChain("AAPL", EXPIRATION)).isFalse();
  }

  @Test
  void failedPutChainLeavesThePreviousChainReadable() {
    OptionChain old = Samples.chain("AAPL", EXPIRATION, 200, 1.0);
    putChain(old, T0);
    List<OptionContract> contracts = new ArrayList<>(Samples.chain("AAPL", EXPIRATION, 200, 2.0).contracts());
    contracts.add(contracts.get(200)); // one contract listed twice, mid-chain: violates the OCC-symbol key
    OptionChain broken = new OptionChain("AAPL", EXPIRATION, contracts);

    assertThatThrownBy(() -> putChain(broken, T0.plusSeconds(1)))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("writing AAPL 2026-01-16 into option_quotes")
        .hasMessageContaining("rolled back");

    assertThat(chain("AAPL", EXPIRATION)).contains(new Cached<>(old, T0));
    assertThat(cache.rowCount("option_quotes")).isEqualTo(400);
  }

  @Test
  void chainWithAContractOfAnotherExpirationIsRefused() {
    OptionChain old = Samples.chain("AAPL", EXPIRATION, 2, 1.0);
    putChain(old, T0);
    OptionContract stray = Samples.fullContract("AAPL", EXPIRATION.plusDays(7), OptionType.CALL, 100, 1.0);
    List<OptionContract> contracts = new ArrayList<>(old.contracts());
    contracts.add(stray);

    assertThatThrownBy(() -> putChain(new OptionChain("AAPL", EXPIRATION, contracts), T0))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining(stray.symbol());
    assertThat(chain("AAPL", EXPIRATION)).contains(new Cached<>(old, T0));
  }

  @Test
  void contractCachedUnderAnotherChainMovesToTheNewOne() {
    OptionContract k = Samples.fullContract("AAPL", EXPIRATION, OptionType.CALL, 100, 1.0);
    putChain(new OptionChain("AAPL", EXPIRATION, List.of(k)), T0);
    // the same OCC symbol, reported under a relabelled underlying (as after a corporate action)
    OptionContract relabelled = new OptionContract(k.symbol(), "AAPL1", "AAPL1", k.type(), k.strike(), k.expiration(),
        k.expirationType(), k.contractSize(), k.last(), k.change(), k.bid(), k.bidSize(), k.ask(), k.askSize(),
        k.volume(), k.openInterest(), k.greeks());

    putChain(new OptionChain("AAPL1", EXPIRATION, List.of(relabelled)), T0.plusSeconds(1));

    assertThat(chain("AAPL1", EXPIRATION).orElseThrow().value().contracts()).containsExactly(relabelled);
    assertThat(chain("AAPL", EXPIRATION)).isEmpty();
  }

  // --- housekeeping -----------------------------------------------------------------------------------------------

  @Test
  void rowCountCountsEachTableAndRefusesOthers() {
    putQuote(Samples.fullQuote("AAPL", 1), T0);
    putQuote(Samples.fullQuote("MSFT", 1), T0);
    putInfo(TickerInfo.of(Samples.fullQuote("AAPL", 1)), T0);
    putHistory(Samples.daily("AAPL", JAN_2, 4, 1), T0);
    putExpirations(new Expirations("AAPL", List.of(EXPIRATION, EXPIRATION.plusDays(7))), T0);
    putChain(Samples.chain("AAPL", EXPIRATION, 3, 1.0), T0);

    assertThat(cache.rowCount("quotes")).isEqualTo(2);
    assertThat(cache.rowCount("ticker_info")).isEqualTo(1);
    assertThat(cache.rowCount("price_history")).isEqualTo(4);
    assertThat(cache.rowCount("expirations")).isEqualTo(2);
    assertThat(cache.rowCount("option_quotes")).isEqualTo(6);
    assertThatThrownBy(() -> cache.rowCount("schema_version")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema_version");
    assertThatThrownBy(() -> cache.rowCount("quotes; DROP TABLE quotes")).isInstanceOf(
        IllegalArgumentException.class);
    assertThat(cache.rowCount("quotes")).isEqualTo(2);
  }

  @Test
  void schemaCreationIsIdempotentAndKeepsData() {
    putQuote(Samples.fullQuote("AAPL", 1), T0);

    MarketCache again = new MarketCache(db);

    assertThat(again.quotes().get("AAPL")).isPresent();
    long versions = db.read(c -> {
      try (var s = c.createStatement();
          var rs = s.executeQuery("SELECT version FROM schema_version WHERE component = 'market_cache'")) {
        rs.next();
        return rs.getLong(1);
      }
    });
    assertThat(versions).isEqualTo(7);
  }

  @Test
  void everythingCachedSurvivesARestartOnTheSameFile() {
    Quote q = Samples.fullQuote("AAPL", 190.0);
    TickerInfo info = TickerInfo.of(q);
    PriceHistory h = Samples.daily("AAPL", JAN_2, 30, 100);
    Expirations e = new Expirations("AAPL", List.of(EXPIRATION, EXPIRATION.plusDays(7)));
    OptionChain chain = Samples.chain("AAPL", EXPIRATION, 50, 2.5);
    putQuote(q, T0);
    putInfo(info, T0);
    putHistory(h, T0);
    putExpirations(e, T0);
    putChain(chain, T0);

    db.close();
    db = Database.open(dir.resolve("cache.duckdb"));
    MarketCache reopened = new MarketCache(db);

    assertThat(reopened.quotes().get("AAPL")).contains(new Cached<>(q, T0));
    assertThat(reopened.infos().get("AAPL")).contains(new Cached<>(info, T0));
    assertThat(reopened.history().get(new HistoryKey("AAPL", Interval.DAILY, h.start(), h.end())))
        .contains(new Cached<>(h, T0));
    assertThat(reopened.expirations().get("AAPL")).contains(new Cached<>(e, T0));
    assertThat(reopened.chains().get(new ChainKey("AAPL", EXPIRATION))).contains(new Cached<>(chain, T0));
  }

  @Test
  void callsAfterCloseFailWithACacheExceptionNamingTheOperation() {
    db.close();

    assertThatThrownBy(() -> quote("AAPL")).isInstanceOf(CacheException.class)
        .hasMessageContaining("AAPL from quotes").hasMessageContaining("closed");
    assertThatThrownBy(() -> putChain(Samples.chain("AAPL", EXPIRATION, 1, 1), T0))
        .isInstanceOf(CacheException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> hasChain("AAPL", EXPIRATION)).isInstanceOf(CacheException.class);
    assertThatThrownBy(() -> new MarketCache(db)).isInstanceOf(CacheException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void fourHundredContractChainIsReplacedRepeatedlyAndReadBack() {
    OptionChain chain = Samples.chain("SPY", EXPIRATION, 200, 4.0);

    for (int i = 0; i < 5; i++) {
      putChain(chain, T0.plusSeconds(i));
    }

    assertThat(chain("SPY", EXPIRATION)).map(Cached::value).isEqualTo(Optional.of(chain));
    assertThat(cache.rowCount("option_quotes")).isEqualTo(400);
  }
}
