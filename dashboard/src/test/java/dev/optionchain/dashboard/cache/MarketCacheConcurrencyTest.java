package dev.optionchain.dashboard.cache;

import java.time.LocalDate;
import dev.optionchain.dashboard.model.ChainKey;
import static dev.optionchain.dashboard.cache.Samples.EXPIRATION;
import static dev.optionchain.dashboard.cache.Samples.T0;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.dashboard.model.OptionChain;
import dev.optionchain.dashboard.model.OptionContract;
import dev.optionchain.dashboard.model.Quote;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight threads upsert the same quote and replace the same chain while eight threads read them. Unserialized, DuckDB
 * would reject the concurrent upserts of one key with transaction conflicts; here no call fails, every read sees one
 * whole written version, and the last state is one of the written values.
 */
class MarketCacheConcurrencyTest {

  private static final int WRITERS = 8;
  private static final int READERS = 8;
  private static final int ROUNDS = 5;
  private static final int STRIKES = 20;

  @TempDir
  Path dir;

  @Test
  void concurrentWritersOfOneKeyAndReadersNeverFailAndReadsSeeWholeVersions() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
    try (Database db = Database.open(dir.resolve("cache.duckdb"))) {
      MarketCache cache = new MarketCache(db);
      Set<Double> written = ConcurrentHashMap.newKeySet();
      written.add(0.0);
      cache.quotes().put("SPY", Samples.fullQuote("SPY", 0.0), T0);
      cache.chains().put(new ChainKey("SPY", EXPIRATION), Samples.chain("SPY", EXPIRATION, STRIKES, 0.0), T0);
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean writing = new AtomicBoolean(true);

      List<Future<Integer>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(pool.submit(() -> {
          start.await();
          for (int r = 0; r < ROUNDS; r++) {
            double mark = writer * 1000 + r + 1;
            written.add(mark); // before the write, so a reader can never see an unlisted mark
            cache.quotes().put("SPY", Samples.fullQuote("SPY", mark), T0.plusSeconds(r));
            cache.chains().put(new ChainKey("SPY", EXPIRATION), Samples.chain("SPY", EXPIRATION, STRIKES, mark), T0.plusSeconds(r));
          }
          return ROUNDS;
        }));
      }
      List<Future<Integer>> readers = new ArrayList<>();
      for (int r = 0; r < READERS; r++) {
        readers.add(pool.submit(() -> {
          start.await();
          int reads = 0;
          do {
            Quote q = cache.quotes().get("SPY").orElseThrow().value();
            assertThat(written).contains(q.last());
            OptionChain chain = cache.chains().get(new ChainKey("SPY", EXPIRATION)).orElseThrow().value();
            assertThat(chain.contracts()).hasSize(2 * STRIKES);
            assertThat(chain.contracts().stream().map(OptionContract::last).distinct().toList())
                .as("one whole version of the chain").singleElement().isIn(written);
            reads++;
          } while (writing.get());
          return reads;
        }));
      }

      start.countDown();
      for (Future<Integer> w : writers) {
        assertThat(w.get(120, SECONDS)).isEqualTo(ROUNDS);
      }
      writing.set(false);
      for (Future<Integer> r : readers) {
        assertThat(r.get(120, SECONDS)).isPositive();
      }

      Cached<Quote> quote = cache.quotes().get("SPY").orElseThrow();
      assertThat(quote.value().last()).isIn(written).isNotEqualTo(0.0);
      assertThat(quote.value()).isEqualTo(Samples.fullQuote("SPY", quote.value().last()));
      OptionChain chain = cache.chains().get(new ChainKey("SPY", EXPIRATION)).orElseThrow().value();
      double mark = chain.contracts().get(0).last();
      assertThat(written).contains(mark);
      assertThat(chain).isEqualTo(Samples.chain("SPY", EXPIRATION, STRIKES, mark));
      assertThat(cache.rowCount("option_quotes")).isEqualTo(2 * STRIKES);
      assertThat(cache.rowCount("quotes")).isEqualTo(1);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, SECONDS)).isTrue();
    }
  }
}
