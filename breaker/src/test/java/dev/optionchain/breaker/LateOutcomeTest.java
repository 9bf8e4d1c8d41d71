package dev.optionchain.breaker;

import static dev.optionchain.breaker.BreakerTestSupport.failOnce;
import static dev.optionchain.breaker.BreakerTestSupport.succeedOnce;
import static dev.optionchain.breaker.BreakerTestSupport.tripOpen;
import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.breaker.BreakerTestSupport.Boom;
import dev.optionchain.breaker.testing.ManualClock;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Every outcome belongs to the period that admitted its call: the four reproductions, each of which failed on
 * the first design. An outcome from an earlier period changes only the lifetime totals.
 */
class LateOutcomeTest {

  private static final Duration RECOVERY = Duration.ofSeconds(30);

  private final ManualClock clock = new ManualClock();

  private CircuitBreaker rateBreaker(SlidingWindow window, double percent, int minimumCalls) {
    return CircuitBreaker.of("late", CircuitBreakerConfig.builder()
        .tripPolicy(TripPolicy.failureRate(percent, window, minimumCalls))
        .recoveryTimeout(RECOVERY)
        .clock(clock)
        .build());
  }

  /** Starts {@code n} async calls that stay pending; complete them later. */
  private static List<CompletableFuture<String>> pending(CircuitBreaker b, int n) {
    List<CompletableFuture<String>> stages = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      CompletableFuture<String> stage = new CompletableFuture<>();
      b.callAsync(() -> stage);
      stages.add(stage);
    }
    return stages;
  }

  private void recover(CircuitBreaker b) {
    assertThat(b.isOpen()).isTrue();
    clock.advance(RECOVERY);
    succeedOnce(b);
    assertThat(b.isClosed()).isTrue();
  }

  @Test
  void staleFailuresDoNotCountInTheNextPeriodsTimeWindow() {
    CircuitBreaker b = rateBreaker(SlidingWindow.ofTime(Duration.ofSeconds(60)), 50, 4);
    List<CompletableFuture<String>> stale = pending(b, 3);
    tripOpen(b, 4);
    recover(b);

    stale.forEach(s -> s.completeExceptionally(new Boom()));
    succeedOnce(b);
    succeedOnce(b);
    succeedOnce(b);
    failOnce(b);

    assertThat(b.isClosed()).as("the new period's own calls: 1 failure of 4, 25 %").isTrue();
    assertThat(b.getStatus().failureRate()).hasValue(25.0);
    assertThat(b.callTotals().failed()).as("the lifetime totals count the stale failures").isEqualTo(8);
  }

  @Test
  void staleFailureDoesNotDiluteTheNextPeriodsCountWindow() {
    CircuitBreaker b = rateBreaker(SlidingWindow.ofCalls(2), 100, 2);
    List<CompletableFuture<String>> stale = pending(b, 1);
    tripOpen(b, 2);
    recover(b);

    failOnce(b);
    stale.get(0).completeExceptionally(new Boom());
    assertThat(b.isClosed()).isTrue();
    failOnce(b);

    assertThat(b.isOpen()).as("the new period's last two calls both failed").isTrue();
  }

  @Test
  void staleSuccessDoesNotDiluteTheNextPeriodsCountWindow() {
    CircuitBreaker b = rateBreaker(SlidingWindow.ofCalls(2), 100, 2);
    List<CompletableFuture<String>> stale = pending(b, 1);
    tripOpen(b, 2);
    recover(b);

    failOnce(b);
    stale.get(0).complete("late");
    failOnce(b);

    assertThat(b.isOpen()).isTrue();
  }

  @Test
  void extraTrialsFailingAfterTheFirstClosedTheBreakerDoNotReTripIt() {
    for (TripPolicy policy : List.of(TripPolicy.consecutiveFailures(2),
        TripPolicy.failureRate(50, SlidingWindow.ofCalls(4), 2),
        TripPolicy.failureRate(50, SlidingWindow.ofTime(Duration.ofSeconds(60)), 3))) {
      CircuitBreaker b = CircuitBreaker.of("trials", CircuitBreakerConfig.builder()
          .tripPolicy(policy).trialCalls(3).successesToClose(1).recoveryTimeout(RECOVERY).clock(clock).build());
      while (b.isClosed()) {
        failOnce(b);
      }
      clock.advance(RECOVERY);
      List<CompletableFuture<String>> trials = pending(b, 3);

      trials.get(0).complete("recovered");
      assertThat(b.isClosed()).isTrue();
      trials.get(1).completeExceptionally(new Boom());
      trials.get(2).completeExceptionally(new Boom());

      assertThat(b.isClosed()).as("%s: late trials belong to the HALF_OPEN period", policy).isTrue();
      assertThat(b.getStatus().failureCount()).isZero();
      succeedOnce(b);
      succeedOnce(b);
      failOnce(b);
      assertThat(b.isClosed()).as("%s: one failure of the period's own three calls", policy).isTrue();
    }
  }

  @Test
  void ignoredSlowCallsAreNotSlowAndTheSlowRateNeverExceedsAHundredPercent() {
    CircuitBreaker b = CircuitBreaker.of("slow", CircuitBreakerConfig.builder()
        .tripPolicy(TripPolicy.failureRate(90, SlidingWindow.ofCalls(10), 3).withSlowCallRateThreshold(100))
        .slowCallDuration(Duration.ofSeconds(1))
        .ignoreExceptions(e -> e instanceof IllegalArgumentException)
        .clock(clock)
        .build());
    for (int i = 0; i < 4; i++) {
      try {
        b.call(() -> {
          clock.advance(Duration.ofSeconds(2));
          throw new IllegalArgumentException("the caller's own mistake, slowly");
        });
      } catch (IllegalArgumentException expected) {
        // ignored
      }
    }
    succeedOnce(b);
    succeedOnce(b);
    succeedOnce(b);

    CircuitBreakerStatus status = b.getStatus();
    assertThat(status.ignoredCalls()).isEqualTo(4);
    assertThat(status.slowCalls()).as("ignored calls are never slow").isZero();
    assertThat(status.slowCallRate()).hasValue(0.0);
    assertThat(b.isClosed()).isTrue();
  }

  @Test
  void aSlowCallRateCountsOnlyCountedCallsAndStaysWithinAHundredPercent() {
    CircuitBreaker b = CircuitBreaker.of("slow", CircuitBreakerConfig.builder()
        .tripPolicy(TripPolicy.failureRate(90, SlidingWindow.ofTime(Duration.ofSeconds(60)), 10)
            .withSlowCallRateThreshold(100))
        .slowCallDuration(Duration.ofSeconds(1))
        .clock(clock)
        .build());
    for (int i = 0; i < 5; i++) {
      b.call(() -> {
        clock.advance(Duration.ofSeconds(2));
        return "slow";
      });
    }
    assertThat(b.getStatus().slowCallRate()).hasValue(100.0);
    assertThat(b.getStatus().failureRate()).hasValue(0.0);
  }

  /**
   * Found in review: periods were linked to their successors for delivery and never unlinked, so a call that never
   * completes (a hung dependency without a timeout) kept its period and, through it, every later period reachable:
   * rate windows and all, growing by one per transition for as long as the breaker lives.
   */
  @Test
  void aCallThatNeverCompletesKeepsOnlyItsOwnPeriodReachable() {
    CircuitBreaker b = rateBreaker(SlidingWindow.ofCalls(10), 50, 2);
    CompletableFuture<String> hung = b.callAsync(CompletableFuture::new);
    failOnce(b);
    failOnce(b);
    assertThat(b.isOpen()).isTrue();
    b.reset();
    WeakReference<Period> later = new WeakReference<>(b.current());
    b.forceOpen();
    b.reset();

    for (int i = 0; i < 50 && later.get() != null; i++) {
      System.gc();
    }

    assertThat(later.get()).as("a CLOSED period two transitions after the hung call's").isNull();
    assertThat(hung).isNotDone();
  }
}
