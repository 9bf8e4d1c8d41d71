package dev.optionchain.breaker;

import static dev.optionchain.breaker.BreakerTestSupport.consecutive;
import static dev.optionchain.breaker.BreakerTestSupport.failOnce;
import static dev.optionchain.breaker.BreakerTestSupport.succeedOnce;
import static dev.optionchain.breaker.BreakerTestSupport.tripOpen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.optionchain.breaker.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Persisting a breaker and bringing it back in a new process (a new breaker on a clock that moved on). */
class SnapshotRestoreTest {

  private static final Instant T0 = Instant.parse("2026-03-02T14:30:00Z");

  private final ManualClock before = new ManualClock(T0);

  @Test
  void snapshotCapturesAnOpenBreaker() {
    CircuitBreaker b = CircuitBreaker.of("quotes", consecutive(before, 3, 60));
    tripOpen(b, 3);
    before.advance(Duration.ofSeconds(10));
    CircuitBreakerSnapshot s = b.snapshot();
    assertThat(s.name()).isEqualTo("quotes");
    assertThat(s.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(s.stateSince()).isEqualTo(T0);
    assertThat(s.failureCount()).isEqualTo(3);
    assertThat(s.openDuration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.lastFailureTime()).contains(T0);
    assertThat(s.forcedOpen()).isFalse();
  }

  @Test
  void anOpenBreakerComesBackOpenWithItsRemainingTime() {
    CircuitBreaker b = CircuitBreaker.of("quotes", consecutive(before, 3, 60));
    tripOpen(b, 3);
    CircuitBreakerSnapshot s = b.snapshot();

    ManualClock after = new ManualClock(T0.plusSeconds(20), 987_654_321L);
    CircuitBreaker restarted = CircuitBreaker.of("quotes", consecutive(after, 3, 60));
    List<StateTransition> events = new ArrayList<>();
    restarted.onStateTransition(events::add);
    restarted.restore(s);

    assertThat(restarted.isOpen()).isTrue();
    CircuitBreakerStatus status = restarted.getStatus();
    assertThat(status.stateSince()).isEqualTo(T0);
    assertThat(status.retryAt()).contains(T0.plusSeconds(60));
    assertThat(status.failureCount()).isEqualTo(3);
    assertThat(status.lastFailureTime()).contains(T0);
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.to()).isEqualTo(CircuitBreakerState.OPEN);
      assertThat(e.reason()).isEqualTo("restored from snapshot");
    });
    assertThatThrownBy(() -> succeedOnce(restarted)).isInstanceOfSatisfying(CircuitBreakerOpenException.class,
        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(40)));

    after.advance(Duration.ofSeconds(40));
    assertThat(restarted.isHalfOpen()).isTrue();
    succeedOnce(restarted);
    assertThat(restarted.isClosed()).isTrue();
  }

  @Test
  void anOpenBreakerRestoredAfterItsRecoveryTimeReportsHalfOpen() {
    CircuitBreaker b = CircuitBreaker.of("quotes", consecutive(before, 3, 60));
    tripOpen(b, 3);
    CircuitBreakerSnapshot s = b.snapshot();
    ManualClock after = new ManualClock(T0.plusSeconds(600));
    CircuitBreaker restarted = CircuitBreaker.of("quotes", consecutive(after, 3, 60));
    restarted.restore(s);
    assertThat(restarted.getState()).isEqualTo(CircuitBreakerState.HALF_OPEN);
  }

  @Test
  void closedFailureCountAndBackoffAreRestored() {
    CircuitBreaker b = CircuitBreaker.of("chains", CircuitBreakerConfig.builder().failureThreshold(3)
        .recoveryBackoff(2, Duration.ofMinutes(10)).clock(before).build());
    tripOpen(b, 3);
    before.advance(Duration.ofSeconds(60));
    failOnce(b); // failed trial: next open time doubles
    CircuitBreakerSnapshot open = b.snapshot();
    assertThat(open.openDuration()).isEqualTo(Duration.ofSeconds(120));
    assertThat(open.failedRecoveries()).isEqualTo(1);

    CircuitBreaker fresh = CircuitBreaker.of("chains", CircuitBreakerConfig.builder().failureThreshold(3)
        .recoveryBackoff(2, Duration.ofMinutes(10)).clock(before).build());
    fresh.restore(open);
    before.advance(Duration.ofSeconds(120));
    failOnce(fresh);
    assertThat(fresh.getStatus().openDuration()).isEqualTo(Duration.ofSeconds(240));

    CircuitBreaker closed = CircuitBreaker.of("chains", consecutive(before, 3, 60));
    failOnce(closed);
    failOnce(closed);
    CircuitBreaker again = CircuitBreaker.of("chains", consecutive(before, 3, 60));
    again.restore(closed.snapshot());
    assertThat(again.getStatus().failureCount()).isEqualTo(2);
    failOnce(again);
    assertThat(again.isOpen()).isTrue();
  }

  @Test
  void forcedOpenIsRestored() {
    CircuitBreaker b = CircuitBreaker.of("info", consecutive(before, 3, 60));
    b.forceOpen();
    CircuitBreaker restarted = CircuitBreaker.of("info", consecutive(new ManualClock(T0.plusSeconds(3600)), 3, 60));
    restarted.restore(b.snapshot());
    assertThat(restarted.isOpen()).isTrue();
    assertThat(restarted.getStatus().forcedOpen()).isTrue();
  }

  @Test
  void halfOpenIsRestoredWithNoTrialInFlight() {
    CircuitBreaker b = CircuitBreaker.of("info", consecutive(before, 1, 60));
    failOnce(b);
    before.advance(Duration.ofSeconds(60));
    CircuitBreakerSnapshot s = b.snapshot();
    assertThat(s.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    CircuitBreaker restarted = CircuitBreaker.of("info", consecutive(before, 1, 60));
    restarted.restore(s);
    assertThat(restarted.isHalfOpen()).isTrue();
    succeedOnce(restarted);
    assertThat(restarted.isClosed()).isTrue();
  }

  @Test
  void rejectsASnapshotOfAnotherBreaker() {
    CircuitBreaker b = CircuitBreaker.of("a", consecutive(before, 1, 60));
    CircuitBreaker other = CircuitBreaker.of("b", consecutive(before, 1, 60));
    assertThatThrownBy(() -> other.restore(b.snapshot()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a'").hasMessageContaining("'b'");
  }

  @Test
  void snapshotsValidateWhatComesFromStorage() {
    assertThatThrownBy(() -> new CircuitBreakerSnapshot("x", CircuitBreakerState.OPEN, T0, -1,
        Duration.ofSeconds(1), 0, false, Optional.empty())).hasMessageContaining("failureCount");
    assertThatThrownBy(() -> new CircuitBreakerSnapshot("x", CircuitBreakerState.OPEN, T0, 0,
        Duration.ZERO, 0, false, Optional.empty())).hasMessageContaining("openDuration");
    assertThatThrownBy(() -> new CircuitBreakerSnapshot("x", CircuitBreakerState.CLOSED, T0, 0,
        Duration.ofSeconds(1), 0, true, Optional.empty())).hasMessageContaining("forcedOpen");
  }
}
