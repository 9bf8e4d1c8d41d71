package dev.optionchain.dashboard.cache;

import static dev.optionchain.dashboard.cache.Samples.EXPIRATION;
import static dev.optionchain.dashboard.cache.Samples.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.dashboard.LogCapture;
import dev.optionchain.dashboard.cache.MarketCache.Write;
import dev.optionchain.dashboard.model.ChainKey;
import dev.optionchain.dashboard.model.OptionChain;
import dev.optionchain.dashboard.model.OptionContract;
import dev.optionchain.dashboard.model.Quote;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache writer against a real DuckDB file: batches in one transaction, only the newest answer per key when
 * behind, everything flushed on close, failures counted and retried, a refused value isolated.
 */
class CacheWriterTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private Database db;
  private MarketCache cache;

  @BeforeEach
  void open() {
    db = Database.open(dir.resolve("cache.duckdb"));
    cache = new MarketCache(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private Write<String, Quote> quote(String symbol, double last, int second) {
    return new Write<>(cache.quotes(), symbol, Samples.fullQuote(symbol, last), T0.plusSeconds(second));
  }

  /** Holds the database's write lock until released, so that the writer falls behind. */
  private CountDownLatch blockWrites(CountDownLatch holding) {
    CountDownLatch release = new CountDownLatch(1);
    Thread t = new Thread(() -> db.write(c -> {
      holding.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }), "blocker");
    t.start();
    return release;
  }

  @Test
  void aWriterThatFellBehindWritesTheBacklogInOneTransactionAndOnlyTheNewestAnswerPerKey() throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = blockWrites(holding);
    assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
    try (CacheWriter writer = new CacheWriter(cache, CacheWriter.Settings.DEFAULTS)) {
      for (int i = 0; i < 100; i++) {
        assertThat(writer.submit(quote("S" + i, i, 0))).isTrue();
      }
      for (int version = 1; version <= 5; version++) {
        writer.submit(quote("AAPL", version, version));
      }
      writer.submit(quote("AAPL", 0.5, 0)); // older than what is pending: not written
      release.countDown();
      assertThat(writer.awaitIdle(WAIT)).isTrue();

      assertThat(cache.rowCount("quotes")).isEqualTo(101);
      assertThat(cache.quotes().get("AAPL").orElseThrow().value().last()).isEqualTo(5.0);
      assertThat(writer.written()).isEqualTo(101);
      assertThat(writer.superseded()).isEqualTo(5);
      assertThat(writer.batches()).as("the first answer alone, then the backlog in one transaction")
          .isLessThanOrEqualTo(2);
      assertThat(writer.failures()).isZero();
    }
  }

  @Test
  void pendingAnswersAreReadableBeforeTheyAreWritten() throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = blockWrites(holding);
    assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
    try (CacheWriter writer = new CacheWriter(cache, CacheWriter.Settings.DEFAULTS)) {
      writer.submit(quote("AAPL", 7, 3));
      assertThat(writer.pending(cache.quotes(), "AAPL")).map(c -> c.value().last()).contains(7.0);
      release.countDown();
      assertThat(writer.awaitIdle(WAIT)).isTrue();
      assertThat(writer.pending(cache.quotes(), "AAPL")).isEmpty();
    }
  }

  @Test
  void closeWritesEverythingStillPending() {
    CacheWriter writer = new CacheWriter(cache, CacheWriter.Settings.DEFAULTS);
    for (int i = 0; i < 50; i++) {
      writer.submit(quote("S" + i, i, 0));
    }
    writer.close();
    assertThat(cache.rowCount("quotes")).isEqualTo(50);
    assertThat(writer.submit(quote("LATE", 1, 0))).as("after close").isFalse();
    assertThat(writer.dropped()).isEqualTo(1);
  }

  @Test
  void aFailedWriteIsCountedAndRetriedUntilItSucceeds() throws Exception {
    db.write(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("ALTER TABLE quotes RENAME TO quotes_away");
      }
    });
    try (CacheWriter writer = new CacheWriter(cache, new CacheWriter.Settings(256, 100, 1000, Duration.ofMillis(5)))) {
      writer.submit(quote("AAPL", 1, 0));
      while (writer.retries() < 2) { // failing, being retried
        Thread.onSpinWait();
      }
      db.write(c -> {
        try (Statement s = c.createStatement()) {
          s.execute("ALTER TABLE quotes_away RENAME TO quotes");
        }
      });
      assertThat(writer.awaitIdle(WAIT)).isTrue();
      assertThat(cache.quotes().get("AAPL")).isPresent();
      assertThat(writer.failures()).isGreaterThanOrEqualTo(2);
      assertThat(writer.written()).isEqualTo(1);
      assertThat(writer.dropped()).isZero();
    }
  }

  @Test
  void closeWithADatabaseThatKeepsFailingMakesOneLastAttemptAndReturns() throws Exception {
    db.write(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("ALTER TABLE quotes RENAME TO quotes_away");
      }
    });
    // a long pause between retries and many attempts: close must neither sleep out the pause nor retry them all
    CacheWriter writer = new CacheWriter(cache, new CacheWriter.Settings(256, 100, 100, Duration.ofHours(1)));
    for (int i = 0; i < 3; i++) {
      writer.submit(quote("S" + i, i, 0));
    }
    while (writer.retries() < 3) { // failed once each, the writer now pausing for an hour
      Thread.onSpinWait();
    }
    Thread closing = new Thread(writer::close, "closing");
    closing.start();
    closing.join(Duration.ofSeconds(30).toMillis());
    assertThat(closing.isAlive()).as("close returned").isFalse();
    assertThat(writer.dropped()).as("given up at shutdown, counted").isEqualTo(3);
    assertThat(writer.queued()).isZero();
  }

  @Test
  void aRefusedValueIsGivenUpAfterItsAttemptsWithoutHoldingBackTheOthers() throws Exception {
    OptionChain good = Samples.chain("AAPL", EXPIRATION, 3, 1.0);
    List<OptionContract> contracts = new ArrayList<>(good.contracts());
    contracts.add(Samples.fullContract("AAPL", EXPIRATION.plusDays(7), dev.optionchain.dashboard.model.OptionType.CALL,
        100, 1.0)); // of another expiration: refused
    OptionChain bad = new OptionChain("AAPL", EXPIRATION, contracts);
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = blockWrites(holding);
    assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
    try (CacheWriter writer = new CacheWriter(cache, new CacheWriter.Settings(256, 100, 3, Duration.ZERO))) {
      writer.submit(new Write<>(cache.chains(), new ChainKey("AAPL", EXPIRATION), bad, T0));
      writer.submit(quote("AAPL", 1, 0));
      writer.submit(new Write<>(cache.chains(), new ChainKey("MSFT", EXPIRATION),
          Samples.chain("MSFT", EXPIRATION, 3, 1.0), T0));
      release.countDown();
      assertThat(writer.awaitIdle(WAIT)).isTrue();
      assertThat(cache.quotes().get("AAPL")).isPresent();
      assertThat(cache.chains().get(new ChainKey("MSFT", EXPIRATION))).isPresent();
      assertThat(cache.chains().get(new ChainKey("AAPL", EXPIRATION))).isEmpty();
      assertThat(writer.dropped()).isEqualTo(1);
      assertThat(writer.failures()).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void aDatabaseThatKeepsFailingLogsEachKindOfFailureAtMostOnceEveryTenSeconds() throws Exception {
    db.write(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("ALTER TABLE quotes RENAME TO quotes_away");
      }
    });
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = blockWrites(holding); // the writer cannot drain: the queue fills
    assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
    long started = System.nanoTime();
    int keys = 300;
    try (LogCapture log = LogCapture.start();
        CacheWriter writer = new CacheWriter(cache, new CacheWriter.Settings(16, 100, 3, Duration.ZERO))) {
      for (int i = 0; i < keys; i++) {
        writer.submit(quote("S" + i, i, 0));
      }
      release.countDown();
      assertThat(writer.awaitIdle(WAIT)).isTrue();
      long tenSecondPeriods = 1 + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) / 10;
      assertThat(writer.dropped()).as("every key: refused for the full queue, or given up after 3 attempts")
          .isEqualTo(keys);
      assertThat(writer.retries()).as("two retries for each of the 100 to 116 keys taken").isBetween(200L, 232L);
      List<String> lines = log.linesFrom(0).stream().filter(l -> l.contains("CacheWriter")).toList();
      // four kinds (queue full, batch failed, retrying, giving up), each at most once per ten seconds
      assertThat(lines).as("log lines for %d failures", writer.dropped() + writer.retries())
          .hasSizeLessThanOrEqualTo((int) (4 * tenSecondPeriods));
      assertThat(String.join("", lines)).contains("queue full", "giving up", "retrying");
    }
  }
}
