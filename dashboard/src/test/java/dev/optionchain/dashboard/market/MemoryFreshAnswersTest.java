package dev.optionchain.dashboard.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.optionchain.breaker.testing.ManualClock;
import dev.optionchain.dashboard.cache.Cached;
import dev.optionchain.dashboard.config.FreshFor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Fresh answers in memory: expiry on the service's clock, one load per key at a time, failures not kept. */
class MemoryFreshAnswersTest {

  /** A hundred answers, far more bytes than they take. */
  private static final AnswerWeight HUNDRED = new AnswerWeight(100, 1_000_000_000);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-18T15:00:00Z"));
  private final AtomicInteger loads = new AtomicInteger();

  private Cached<String> load(String key) {
    return new Cached<>(key + "#" + loads.incrementAndGet(), clock.now());
  }

  @Test
  void anAnswerIsServedFromMemoryWithItsRealAsOfUntilItsFreshForIsOver() {
    MemoryFreshAnswers<String, String> fresh =
        new MemoryFreshAnswers<>(HUNDRED, FreshFor.of(Duration.ofSeconds(2)), clock);
    Cached<String> first = fresh.get("AAPL", this::load);
    clock.advance(Duration.ofMillis(1999));
    assertThat(fresh.get("AAPL", this::load)).isEqualTo(first);
    assertThat(fresh.peek("AAPL")).contains(first);
    assertThat(fresh.joinIfPresent("AAPL")).contains(first);
    clock.advance(Duration.ofMillis(1));
    assertThat(fresh.peek("AAPL")).as("past its fresh-for").isEmpty();
    Cached<String> second = fresh.get("AAPL", this::load);
    assertThat(second.value()).isEqualTo("AAPL#2");
    assertThat(second.fetchedAt()).isEqualTo(first.fetchedAt().plusSeconds(2));
    assertThat(fresh.hits()).as("one answer from memory by get, one by peek").isEqualTo(2);
    assertThat(fresh.loads()).isEqualTo(2);
  }

  @Test
  void freshnessHoldsAcrossTheWrapOfTheMonotonicClock() {
    // nanoTime is only meaningful as a difference: a reading may sit just below Long.MAX_VALUE and wrap
    ManualClock wrapping = new ManualClock(Instant.parse("2026-03-18T15:00:00Z"), Long.MAX_VALUE - 1_000_000_000L);
    for (FreshFor freshFor : List.of(FreshFor.of(Duration.ofSeconds(2)), FreshFor.of(Duration.ofDays(36_500)))) {
      AtomicInteger n = new AtomicInteger();
      MemoryFreshAnswers<String, String> fresh = new MemoryFreshAnswers<>(HUNDRED, freshFor, wrapping);
      fresh.get("AAPL", k -> new Cached<>("#" + n.incrementAndGet(), wrapping.now()));
      wrapping.advance(Duration.ofMillis(1500)); // past the wrap
      assertThat(fresh.get("AAPL", k -> new Cached<>("#" + n.incrementAndGet(), wrapping.now())).value())
          .isEqualTo("#1");
      wrapping.advance(Duration.ofMillis(500));
      fresh.get("AAPL", k -> new Cached<>("#" + n.incrementAndGet(), wrapping.now()));
      assertThat(n).as("%s", freshFor).hasValue(freshFor.fixed().getSeconds() == 2 ? 2 : 1);
    }
  }

  @Test
  void anAnswerFetchedEarlierElsewhereIsFreshOnlyForWhatIsLeftOfItsFreshFor() {
    MemoryFreshAnswers<String, String> fresh =
        new MemoryFreshAnswers<>(HUNDRED, FreshFor.of(Duration.ofSeconds(2)), clock);
    // another instance of a fleet fetched it 1.5 s ago
    Cached<String> shared = new Cached<>("AAPL from b", clock.now().minusMillis(1500));
    assertThat(fresh.get("AAPL", k -> shared)).isEqualTo(shared);
    clock.advance(Duration.ofMillis(499));
    assertThat(fresh.joinIfPresent("AAPL")).contains(shared);
    clock.advance(Duration.ofMillis(1));
    assertThat(fresh.joinIfPresent("AAPL")).as("2 s after it was fetched, not after it arrived").isEmpty();
  }

  @Test
  void zeroFreshForKeepsNothing() {
    MemoryFreshAnswers<String, String> fresh = new MemoryFreshAnswers<>(HUNDRED, FreshFor.of(Duration.ZERO), clock);
    fresh.get("AAPL", this::load);
    fresh.get("AAPL", this::load);
    assertThat(loads).hasValue(2);
    assertThat(fresh.joinIfPresent("AAPL")).isEmpty();
  }

  @Test
  void aFailureReachesTheCallerAndIsNotKept() {
    MemoryFreshAnswers<String, String> fresh =
        new MemoryFreshAnswers<>(HUNDRED, FreshFor.of(Duration.ofMinutes(1)), clock);
    assertThatThrownBy(() -> fresh.get("AAPL", k -> {
      throw new IllegalStateException("upstream down");
    })).isInstanceOf(IllegalStateException.class).hasMessage("upstream down");
    assertThat(fresh.get("AAPL", this::load).value()).isEqualTo("AAPL#1");
  }

  @Test
  void concurrentCallersOfOneKeyShareOneLoadAndItsFailure() throws Exception {
    MemoryFreshAnswers<String, String> fresh = new MemoryFreshAnswers<>(HUNDRED, FreshFor.of(Duration.ZERO), clock);
    int callers = 16;
    CountDownLatch inLoad = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Future<String>> answers = new ArrayList<>();
      answers.add(pool.submit(() -> fresh.get("SPY", k -> {
        inLoad.countDown();
        await(release);
        return load(k);
      }).value()));
      assertThat(inLoad.await(30, TimeUnit.SECONDS)).isTrue();
      for (int i = 1; i < callers; i++) {
        answers.add(pool.submit(() -> fresh.get("SPY", this::load).value()));
      }
      while (fresh.joined() < callers - 1) { // every other caller is waiting on the load in flight
        Thread.onSpinWait();
      }
      release.countDown();
      for (Future<String> a : answers) {
        assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo("SPY#1");
      }
      assertThat(loads).hasValue(1);

      CountDownLatch failing = new CountDownLatch(1);
      CountDownLatch go = new CountDownLatch(1);
      Future<?> leader = pool.submit(() -> fresh.get("QQQ", k -> {
        failing.countDown();
        await(go);
        throw new IllegalStateException("upstream down");
      }));
      assertThat(failing.await(30, TimeUnit.SECONDS)).isTrue();
      Future<?> follower = pool.submit(() -> fresh.get("QQQ", this::load));
      while (fresh.joined() < callers) {
        Thread.onSpinWait();
      }
      go.countDown();
      assertThatThrownBy(() -> leader.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("upstream down");
      assertThatThrownBy(() -> follower.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("upstream down");
    } finally {
      pool.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
