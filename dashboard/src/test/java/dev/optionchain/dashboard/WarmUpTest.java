package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.optionchain.breaker.testing.ManualClock;
import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.market.Requests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up warm-up on its own: what each of its requests answers (the happy path of each of the five kinds,
 * through the service's classes and the API's mapper, for a symbol of its own), that it leaves the data directory as
 * it found it (its temporary directory and the leftovers of killed runs deleted, nothing else touched), and that a
 * time limit, an interrupt, a failure or an unusable data directory end it early with the reason, never an exception,
 * and with everything it started stopped. What it writes is seen through the mapper it is given, which keeps each
 * answer. Nothing is timed but the generous bound on stopping a run in the background.
 */
class WarmUpTest {

  private static final Duration LIMIT = Duration.ofMinutes(2);
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir
  Path dataDir;

  private final ManualClock clock = TestDashboards.clock();

  @AfterEach
  void nothingOfAWarmUpIsLeftRunning() throws InterruptedException {
    assertThat(WarmUpThreads.awaitNone()).as("threads of a warm-up after the test").isEmpty();
  }

  @Test
  void eachRequestRunsTheHappyPathOfItsKindForASymbolOfItsOwn() {
    RecordingMapper json = new RecordingMapper();
    WarmUp.Result r = WarmUp.run(config(), clock, json, 25, LIMIT);

    assertThat(r.requests()).isEqualTo(25);
    assertThat(r.stopped()).isEmpty();
    assertThat(r.took()).isPositive();
    assertThat(json.answers).hasSize(25);
    LocalDate today = LocalDate.ofInstant(clock.now(), ZoneOffset.UTC);
    for (int i = 0; i < 25; i++) {
      JsonNode a = json.answers.get(i);
      String symbol = WarmUp.symbol(i);
      String what = i + ": " + a;
      if (i % 5 == 4) {
        assertThat(a.path("symbol").asText()).as(what).isEqualTo(symbol);
        for (String part : new String[] {"quote", "info", "expirations", "chain", "history"}) {
          assertThat(a.path(part).path("status").asText()).as("%s: %s", part, what).isEqualTo("live");
          assertThat(a.path(part).has("error")).as("%s: %s", part, what).isFalse();
        }
        assertThat(a.path("expiration").asText()).as("the nearest listed expiration: %s", what)
            .isEqualTo(a.path("chain").path("data").path("expiration").asText());
        assertThat(a.path("chain").path("data").path("rows").size()).as(what).isPositive();
        continue;
      }
      assertThat(a.path("source").asText()).as(what).isEqualTo("live");
      assertThat(a.path("stale").asBoolean(true)).as(what).isFalse();
      assertThat(a.path("asOf").asText()).as(what).isEqualTo(clock.now().toString());
      JsonNode data = a.path("data");
      switch (i % 5) {
        case 0:
          assertThat(data.path("symbol").asText()).as(what).isEqualTo(symbol);
          assertThat(data.path("last").asDouble()).as(what).isPositive();
          break;
        case 1:
          assertThat(data.path("symbol").asText()).as(what).isEqualTo(symbol);
          assertThat(data.path("dates").size()).as(what).isPositive();
          break;
        case 2:
          assertThat(data.path("underlying").asText()).as(what).isEqualTo(symbol);
          // the recorded chain's expiration, moved by whole weeks as the listed ones are (RecordedTradier.start)
          LocalDate expiration = LocalDate.parse(data.path("expiration").asText());
          assertThat(expiration).as(what).isAfterOrEqualTo(LocalDate.of(2027, 1, 15))
              .matches(e -> ChronoUnit.DAYS.between(LocalDate.of(2027, 1, 15), e) % 7 == 0, "whole weeks later");
          assertThat(data.path("daysToExpiry").asLong()).as("as the API writes a chain: %s", what)
              .isEqualTo(expiration.toEpochDay() - today.toEpochDay());
          assertThat(data.path("rows").size()).as(what).isPositive();
          assertThat(data.path("rows").get(0).path("call").path("symbol").asText()).as(what).startsWith(symbol);
          break;
        default:
          assertThat(data.path("symbol").asText()).as(what).isEqualTo(symbol);
          assertThat(data.path("bars").size()).as(what).isPositive();
          break;
      }
    }
  }

  @Test
  void itLeavesTheDataDirectoryAsItFoundIt() throws IOException {
    Files.writeString(dataDir.resolve("keep.txt"), "mine");
    Files.createDirectories(dataDir.resolve("other").resolve("deeper"));
    Files.writeString(dataDir.resolve("other").resolve("deeper").resolve("x.bin"), "x");
    Set<Path> before = tree(dataDir);

    WarmUp.Result r = WarmUp.run(config(), clock, new RecordingMapper(), 10, LIMIT);

    assertThat(r.stopped()).isEmpty();
    assertThat(tree(dataDir)).isEqualTo(before);
    assertThat(Files.readString(dataDir.resolve("keep.txt"))).isEqualTo("mine");
  }

  @Test
  void theDirectoriesOfKilledRunsAreDeletedAndNothingElse() throws IOException {
    Path killed = Files.createDirectories(dataDir.resolve("warm-up-123").resolve("nested"));
    Files.writeString(killed.resolve("warm-up.duckdb"), "half written");
    Files.writeString(dataDir.resolve("warm-up-123").resolve("warm-up.duckdb.wal"), "half written");
    Files.writeString(dataDir.resolve("warm-up-123").resolve(WarmUp.MARKER), "a run's own"); // written first by a run
    Files.createDirectories(dataDir.resolve("warm-up-9"));
    Files.writeString(dataDir.resolve("warm-up-9").resolve(WarmUp.MARKER), "a run's own");
    Files.writeString(dataDir.resolve("warm-up-notes"), "a file, not a run's directory");
    Files.createDirectories(dataDir.resolve("my-warm-up-1"));
    Files.createDirectories(dataDir.resolve("warmup-1"));

    WarmUp.Result r = WarmUp.run(config(), clock, new RecordingMapper(), 5, LIMIT);

    assertThat(r.stopped()).isEmpty();
    try (Stream<Path> left = Files.list(dataDir)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("warm-up-notes", "my-warm-up-1", "warmup-1");
    }
  }

  @Test
  void zeroRequestsStartNothingAndCreateNoDirectory() {
    Path notYet = dataDir.resolve("not-yet");
    DashboardConfig config = TestDashboards.config(notYet, Map.of());
    RecordingMapper json = new RecordingMapper();

    WarmUp.Result r = WarmUp.run(config, clock, json, 0, LIMIT);

    assertThat(r).isEqualTo(new WarmUp.Result(0, Duration.ZERO, Optional.empty()));
    assertThat(json.answers).isEmpty();
    assertThat(notYet).doesNotExist();
    assertThat(WarmUpThreads.alive()).isEmpty();
  }

  @Test
  void aMissingDataDirectoryIsCreatedAndLeftEmpty() throws IOException {
    Path notYet = dataDir.resolve("a").resolve("b");
    WarmUp.Result r = WarmUp.run(TestDashboards.config(notYet, Map.of()), clock, new RecordingMapper(), 5, LIMIT);
    assertThat(r.requests()).isEqualTo(5);
    assertThat(notYet).isDirectory();
    assertThat(tree(notYet)).isEmpty();
  }

  @Test
  void aNegativeCountOrANonPositiveLimitIsRefused() {
    DashboardConfig config = config();
    assertThatThrownBy(() -> WarmUp.run(config, clock, new RecordingMapper(), -1, LIMIT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requests").hasMessageContaining("-1");
    for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofNanos(-1), Duration.ofDays(-1), null}) {
      assertThatThrownBy(() -> WarmUp.run(config, clock, new RecordingMapper(), 5, bad)).as("%s", bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
    }
    assertThatThrownBy(() -> WarmUp.run(config, clock, new RecordingMapper(), 0, Duration.ZERO)).as("0 requests too")
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(dataDir.resolve("x")).doesNotExist();
  }

  @Test
  void aPassedTimeLimitEndsTheRunWithTheReasonAndStillCleansUp() throws IOException {
    RecordingMapper json = new RecordingMapper();
    WarmUp.Result r = WarmUp.run(config(), clock, json, 1_000, Duration.ofNanos(1));

    assertThat(r.requests()).isLessThan(1_000).isEqualTo(json.answers.size());
    assertThat(r.stopped()).hasValueSatisfying(s -> assertThat(s).contains("time limit"));
    assertThat(tree(dataDir)).isEmpty();
  }

  @Test
  void anInterruptEndsTheRunAfterTheRequestInProgressAndStillCleansUp() throws Exception {
    // the answer is written by the throwaway server's thread: the run's own thread is interrupted while it waits for
    // the third answer
    RecordingMapper json = new RecordingMapper();
    AtomicReference<Thread> runner = new AtomicReference<>();
    json.after = n -> {
      if (n == 3) {
        runner.get().interrupt();
      }
    };
    AtomicReference<WarmUp.Result> result = new AtomicReference<>();
    AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
    Thread t = new Thread(() -> {
      result.set(WarmUp.run(config(), clock, json, 1_000, LIMIT));
      stillInterrupted.set(Thread.currentThread().isInterrupted());
    }, "interrupted-warm-up-test");
    runner.set(t);
    try (LogCapture logs = LogCapture.start()) {
      t.start();
      t.join(PATIENCE.toMillis());
      assertThat(t.isAlive()).isFalse();
      // what it started stops as on any other day: on an interrupted thread DuckDB's close gives up waiting for
      // its reads and writes (and says so), and Jetty's stop waits out half its stop timeout (2.5 s) and swallows
      // the interrupt
      assertThat(logs.eventsFrom(0).stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
          .filter(e -> e.getThreadName().equals("interrupted-warm-up-test")
              || e.getThreadName().startsWith("recorded-tradier") || e.getThreadName().startsWith("warm-up-"))
          .map(ILoggingEvent::getFormattedMessage))
          .as("warnings of what the run started, while it stopped").isEmpty();
    }
    assertThat(result.get().requests()).isEqualTo(3);
    assertThat(result.get().stopped()).contains("interrupted");
    assertThat(stillInterrupted.get()).as("the interrupt is kept for the caller").isTrue();
    assertThat(tree(dataDir)).isEmpty();
  }

  @Test
  void aThreadInterruptedBeforeTheRunStartsNothing() throws Exception {
    Files.createDirectories(dataDir.resolve("warm-up-1"));
    RecordingMapper json = new RecordingMapper();
    AtomicReference<WarmUp.Result> result = new AtomicReference<>();
    AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
    Thread t = new Thread(() -> {
      Thread.currentThread().interrupt();
      result.set(WarmUp.run(config(), clock, json, 1_000, LIMIT));
      stillInterrupted.set(Thread.currentThread().isInterrupted());
    }, "interrupted-warm-up-test");
    t.start();
    t.join(PATIENCE.toMillis());

    assertThat(t.isAlive()).isFalse();
    assertThat(result.get().requests()).isZero();
    assertThat(result.get().stopped()).as("not a failure to start its server").contains("interrupted");
    assertThat(stillInterrupted.get()).isTrue();
    assertThat(json.answers).isEmpty();
    assertThat(tree(dataDir)).as("nothing touched").containsExactly(Path.of("warm-up-1"));
  }

  @Test
  void aFailureEndsTheRunWithItsReasonNeverAnExceptionAndStillCleansUp() throws IOException {
    RecordingMapper json = new RecordingMapper();
    json.after = n -> {
      if (n == 3) {
        throw new IllegalStateException("an answer that cannot be written");
      }
    };
    WarmUp.Result r = WarmUp.run(config(), clock, json, 1_000, LIMIT);

    // the route's ctx.json failed: the throwaway server answered 500, as the service would (no detail in the body)
    assertThat(r.requests()).as("the third failed").isEqualTo(2);
    assertThat(r.stopped()).hasValueSatisfying(s -> assertThat(s)
        .contains("GET /api/options/" + WarmUp.symbol(2) + "?expiration=").contains("answered 500")
        .contains("internal error"));
    assertThat(tree(dataDir)).isEmpty();
  }

  @Test
  void anUnusableDataDirectoryEndsTheRunWithItsReasonNeverAnException() throws IOException {
    Path file = Files.writeString(dataDir.resolve("not-a-directory"), "x");
    WarmUp.Result r = WarmUp.run(TestDashboards.config(file, Map.of()), clock, new RecordingMapper(), 5, LIMIT);

    assertThat(r.requests()).isZero();
    assertThat(r.stopped()).hasValueSatisfying(s -> assertThat(s).contains("not-a-directory"));
    assertThat(Files.readString(file)).isEqualTo("x");
  }

  @Test
  void theRecordingsServeThePathWhateverTheServicesDate() {
    // the recordings are of a day in December 2026 and list expirations up to 2029-01-19; the service runs on its
    // clock's date, any date: each kind is still answered live, and the dashboard view's chain part too while a
    // recorded expiration is ahead (after the last one the view has no chain to load, and that part goes unwarmed)
    for (String day : new String[] {"2020-02-29T15:00:00Z", "2026-12-06T11:00:00Z", "2027-01-16T15:00:00Z",
        "2029-01-19T15:00:00Z", "2031-06-02T15:00:00Z"}) {
      ManualClock then = new ManualClock(Instant.parse(day));
      RecordingMapper json = new RecordingMapper();
      WarmUp.Result r = WarmUp.run(config(), then, json, 10, LIMIT);
      assertThat(r.stopped()).as(day).isEmpty();
      assertThat(r.requests()).as(day).isEqualTo(10);
      for (int i : new int[] {0, 1, 2, 3, 5, 6, 7, 8}) {
        assertThat(json.answers.get(i).path("source").asText()).as("%s %d: %s", day, i, json.answers.get(i))
            .isEqualTo("live");
      }
      boolean aheadOfTheLastExpiration = !then.now().isAfter(Instant.parse("2029-01-19T23:59:59Z"));
      for (int i : new int[] {4, 9}) {
        for (String part : aheadOfTheLastExpiration ? new String[] {"quote", "info", "expirations", "chain", "history"}
            : new String[] {"quote", "info", "expirations", "history"}) {
          assertThat(json.answers.get(i).path(part).path("status").asText()).as("%s %s", day, part)
              .isEqualTo("live");
        }
      }
    }
  }

  @Test
  void symbolsAreDistinctLettersOnlyAndValidForTheApi() {
    assertThat(WarmUp.symbol(0)).isEqualTo("WA");
    assertThat(WarmUp.symbol(1)).isEqualTo("WB");
    assertThat(WarmUp.symbol(25)).isEqualTo("WZ");
    assertThat(WarmUp.symbol(26)).isEqualTo("WBA");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i <= 100_000; i++) { // the most upstream.warm-up-requests allows
      String s = WarmUp.symbol(i);
      assertThat(s).as("%d", i).matches("W[A-Z]{1,4}");
      assertThat(Requests.SYMBOL.matcher(s).matches()).as(s).isTrue();
      assertThat(seen.add(s)).as("%d: %s again", i, s).isTrue();
    }
  }

  @Test
  void aRunInTheBackgroundRunsOnADaemonThreadNamedWarmUpAndLogsWhatItDid() throws Exception {
    RecordingMapper json = new RecordingMapper();
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    AtomicReference<Thread> answeredOn = new AtomicReference<>();
    json.after = n -> {
      answeredOn.set(Thread.currentThread());
      Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("warm-up")).forEach(ranOn::set);
    };
    try (LogCapture logs = LogCapture.start()) {
      WarmUp.Background b = WarmUp.start(config(), clock, json, 10, LIMIT);
      WarmUp.Result r = b.await();
      assertThat(b.ended()).isTrue();
      assertThat(r.requests()).isEqualTo(10);
      assertThat(r.stopped()).isEmpty();
      assertThat(ranOn.get()).as("the run's thread, while its requests are answered").isNotNull();
      assertThat(ranOn.get().isDaemon()).isTrue();
      assertThat(answeredOn.get().getName()).as("answered by the throwaway server's threads, not the service's")
          .startsWith("warm-up-http");
      assertThat(logs.text()).contains("warmed up: 10 requests").contains("the upstream was not called");
      b.close(); // once ended: nothing to stop
    }
  }

  @Test
  void closingARunInTheBackgroundLetsTheRequestInProgressFinishThenStopsItAndCleansUp() throws Exception {
    // an interrupt would fail the request in progress instead (and the cache read it was in, with a warning): the
    // run is closed between two requests, wherever the close finds it (here after 1, 5 and 12 answers)
    for (int answered : new int[] {1, 5, 12}) {
      RecordingMapper json = new RecordingMapper();
      CountDownLatch running = new CountDownLatch(answered);
      json.after = n -> running.countDown();
      try (LogCapture logs = LogCapture.start()) {
        WarmUp.Background b = WarmUp.start(config(), clock, json, 100_000, Duration.ofMinutes(10));
        assertThat(running.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("%d answered", answered).isTrue();
        assertThat(b.ended()).isFalse();

        int before = logs.size();
        assertTimeoutPreemptively(PATIENCE, b::close);
        assertThat(logs.eventsFrom(before).stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
            .filter(e -> !e.getLoggerName().equals(WarmUp.class.getName())).map(ILoggingEvent::getFormattedMessage))
            .as("warnings of the run's requests or of what it started, while it stopped").isEmpty();

        assertThat(b.ended()).isTrue();
        WarmUp.Result r = b.await();
        assertThat(r.requests()).isBetween(answered, 99_999).isEqualTo(json.answers.size());
        assertThat(r.stopped()).as("no request failed").contains(WarmUp.CLOSING);
        assertThat(logs.text()).contains("warm-up stopped after " + r.requests() + " of 100000 requests")
            .contains(WarmUp.CLOSING);
      }
      assertThat(tree(dataDir)).isEmpty();
    }
  }

  private DashboardConfig config() {
    return TestDashboards.config(dataDir, Map.of());
  }

  /** Every file and directory under {@code root}, relative to it. */
  private static Set<Path> tree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> !p.equals(root)).map(root::relativize).collect(Collectors.toSet());
    }
  }
}
