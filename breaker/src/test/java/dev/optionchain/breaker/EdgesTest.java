package dev.optionchain.breaker;

import static dev.optionchain.breaker.BreakerTestSupport.failOnce;
import static dev.optionchain.breaker.BreakerTestSupport.succeedOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.optionchain.breaker.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Extreme values: any valid snapshot restores, the backoff saturates, {@code ManualClock} never wraps back. */
class EdgesTest {

  private static final Duration RECOVERY = Duration.ofSeconds(60);

  private final ManualClock clock = new ManualClock();
  private final CircuitBreaker breaker = CircuitBreaker.of("edge", CircuitBreakerConfig.builder()
      .failureThreshold(2).recoveryTimeout(RECOVERY).recoveryBackoff(2.0, Duration.ofHours(1)).clock(clock).build());

  private static CircuitBreakerSnapshot snapshot(CircuitBreakerState state, Instant since, Duration open,
      int failedRecoveries, Optional<Instant> lastFailure) {
    return new CircuitBreakerSnapshot("edge", state, since, 3, open, failedRecoveries, false, lastFailure);
  }

  @Test
  void aThousandYearOpenTimeRestoresAsOpen() {
    breaker.restore(snapshot(CircuitBreakerState.OPEN, clock.now(), Duration.ofDays(365_000), 0, Optional.empty()));

    assertThat(breaker.isOpen()).isTrue();
    assertThat(breaker.getStatus().retryAt()).hasValueSatisfying(
        at -> assertThat(at).isAfter(clock.now().plus(Duration.ofDays(365 * 70))));
    clock.advance(Duration.ofDays(365));
    assertThatThrownBy(() -> breaker.call(() -> "x")).isInstanceOf(CircuitBreakerOpenException.class);
  }

  @ParameterizedTest
  @EnumSource(CircuitBreakerState.class)
  void stateSinceAtEitherEndOfTimeRestores(CircuitBreakerState state) {
    for (Instant since : new Instant[] {Instant.MIN, Instant.MAX, Instant.EPOCH}) {
      breaker.restore(snapshot(state, since, RECOVERY, 1, Optional.of(since)));

      CircuitBreakerStatus status = breaker.getStatus();
      assertThat(status.state()).isIn(state, CircuitBreakerState.HALF_OPEN);
      assertThat(status.toMap()).isNotEmpty();
      assertThat(breaker.snapshot().stateSince()).isBeforeOrEqualTo(clock.now());
      breaker.reset();
    }
  }

  @Test
  void anOpenSnapshotFromTheFutureKeepsItsWholeOpenTime() {
    breaker.restore(snapshot(CircuitBreakerState.OPEN, clock.now().plusSeconds(3600), RECOVERY, 0,
        Optional.empty()));
    assertThat(breaker.getStatus().retryAt()).contains(clock.now().plus(RECOVERY));
  }

  @Test
  void theBackoffSaturatesAtItsMaximumForAnyNumberOfFailedRecoveries() {
    breaker.restore(snapshot(CircuitBreakerState.HALF_OPEN, clock.now(), Duration.ofHours(1), Integer.MAX_VALUE,
        Optional.empty()));
    failOnce(breaker);

    assertThat(breaker.isOpen()).isTrue();
    assertThat(breaker.getStatus().openDuration()).isEqualTo(Duration.ofHours(1));
    assertThat(breaker.getStatus().retryAt()).contains(clock.now().plus(Duration.ofHours(1)));
    assertThat(breaker.snapshot().failedRecoveries()).isEqualTo(Integer.MAX_VALUE);
    clock.advance(Duration.ofMinutes(59));
    assertThat(breaker.isOpen()).isTrue();
  }

  @Test
  void aRestoredFailureCountAtTheMaximumStillCounts() {
    breaker.restore(new CircuitBreakerSnapshot("edge", CircuitBreakerState.OPEN, clock.now(), Integer.MAX_VALUE,
        RECOVERY, 0, false, Optional.empty()));
    clock.advance(RECOVERY);
    failOnce(breaker);
    assertThat(breaker.getStatus().failureCount()).isEqualTo(Integer.MAX_VALUE);
    clock.advance(Duration.ofMinutes(2));
    succeedOnce(breaker);
    assertThat(breaker.isClosed()).isTrue();
  }

  /**
   * Found in review: under a failure-rate policy the consecutive count (kept for the status) still closed the CLOSED
   * gate when it reached {@link Integer#MAX_VALUE}, tripping with "2147483647 consecutive failures" (after 2^31
   * failures in a window whose minimum was never met, or at once after restoring a CLOSED snapshot with that count),
   * and the next failures wrapped it negative.
   */
  @Test
  void aRatePolicyNeverTripsOnItsConsecutiveCountWhichNeverWraps() {
    CircuitBreaker rate = CircuitBreaker.of("edge", CircuitBreakerConfig.builder()
        .tripPolicy(TripPolicy.failureRate(50, SlidingWindow.ofTime(Duration.ofSeconds(1)), 1_000_000))
        .clock(clock).build());
    rate.restore(new CircuitBreakerSnapshot("edge", CircuitBreakerState.CLOSED, clock.now(), Integer.MAX_VALUE,
        RECOVERY, 0, false, Optional.empty()));
    for (int i = 0; i < 3; i++) {
      failOnce(rate);
    }
    assertThat(rate.isClosed()).isTrue();
    assertThat(rate.getStatus().failureCount()).isPositive();
    succeedOnce(rate);
    assertThat(rate.getStatus().failureCount()).isZero();
  }

  @Test
  void manualClockRefusesAnAdvancePastLongMaxValueNanosAndStaysWhereItWas() {
    ManualClock c = new ManualClock(ManualClock.DEFAULT_START, 2318);
    c.advance(Duration.ofNanos(Long.MAX_VALUE - 10));
    long before = c.nanoTime();
    Instant wallBefore = c.now();

    assertThatThrownBy(() -> c.advance(Duration.ofNanos(11)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Long.MAX_VALUE");
    assertThatThrownBy(() -> c.advance(Duration.ofDays(365L * 300)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("292 years");

    assertThat(c.nanoTime()).isEqualTo(before);
    assertThat(c.now()).isEqualTo(wallBefore);
    c.advance(Duration.ofNanos(10));
    assertThat(c.nanoTime() - before).isEqualTo(10);
  }

  @Test
  void manualClockRefusesToPassInstantMax() {
    ManualClock c = new ManualClock(Instant.MAX.minusSeconds(1));
    assertThatThrownBy(() -> c.advance(Duration.ofSeconds(2))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Instant.MAX");
    assertThat(c.now()).isEqualTo(Instant.MAX.minusSeconds(1));
  }
}
