package dev.optionchain.breaker;

import static dev.optionchain.breaker.BreakerTestSupport.failOnce;
import static dev.optionchain.breaker.BreakerTestSupport.succeedOnce;
import static dev.optionchain.breaker.BreakerTestSupport.tripOpen;
import static dev.optionchain.breaker.CircuitBreakerState.CLOSED;
import static dev.optionchain.breaker.CircuitBreakerState.HALF_OPEN;
import static dev.optionchain.breaker.CircuitBreakerState.OPEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.optionchain.breaker.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The hooks a fleet of instances needs to share decisions (issue 12): adopting a decision made elsewhere, and gating
 * the trial call.
 */
class FleetHooksTest {

  private static final Duration RECOVERY = Duration.ofSeconds(60);

  private final ManualClock clock = new ManualClock();
  private final List<StateTransition> events = new ArrayList<>();

  @Nested
  class Adoption {
    private final CircuitBreaker breaker = CircuitBreaker.of("chains", CircuitBreakerConfig.builder()
        .failureThreshold(3).recoveryTimeout(RECOVERY).clock(clock).build());

    @Test
    void adoptingOpenRejectsForTheGivenRemainingTimeAndMarksTheTransition() {
      breaker.onStateTransition(events::add);

      breaker.adoptOpen(Duration.ofSeconds(42), "instance-2", "3 consecutive failures on instance-2");

      assertThat(breaker.isOpen()).isTrue();
      assertThat(events).singleElement().satisfies(e -> {
        assertThat(e.from()).isEqualTo(CLOSED);
        assertThat(e.to()).isEqualTo(OPEN);
        assertThat(e.adopted()).isTrue();
        assertThat(e.origin()).contains("instance-2");
        assertThat(e.reason()).isEqualTo("3 consecutive failures on instance-2");
        assertThat(e.toString()).endsWith("adopted from instance-2");
      });
      assertThat(breaker.getStatus().origin()).contains("instance-2");
      assertThat(breaker.getStatus().retryAt()).contains(clock.now().plusSeconds(42));
      assertThatThrownBy(() -> breaker.call(() -> "x")).isInstanceOfSatisfying(CircuitBreakerOpenException.class,
          e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(42)));

      clock.advance(Duration.ofSeconds(42));
      succeedOnce(breaker);
      assertThat(events).extracting(StateTransition::to, StateTransition::adopted)
          .containsExactly(tuple(OPEN, true), tuple(HALF_OPEN, false), tuple(CLOSED, false));
    }

    @Test
    void adoptingClosedEndsAnOpenOrHalfOpenBreakerAndItsLateTrial() {
      tripOpen(breaker, 3);
      clock.advance(RECOVERY);
      CompletableFuture<String> trial = new CompletableFuture<>();
      breaker.callAsync(() -> trial);
      breaker.onStateTransition(events::add);

      breaker.adoptClosed("instance-3", "trial call succeeded on instance-3");
      trial.completeExceptionally(new IllegalStateException("this instance's trial failed late"));

      assertThat(breaker.isClosed()).isTrue();
      assertThat(breaker.getStatus().failureCount()).isZero();
      assertThat(events).singleElement().satisfies(e -> {
        assertThat(e.from()).isEqualTo(HALF_OPEN);
        assertThat(e.origin()).contains("instance-3");
      });
    }

    /**
     * Found in review: an adoption replaced a forced open, so another instance's successful trial closed (or its trip
     * put on a timer) a breaker an operator had forced open until reset, e.g. for maintenance of the dependency.
     */
    @Test
    void aBreakerForcedOpenStaysForcedOpenWhateverItAdopts() {
      breaker.forceOpen();
      breaker.onStateTransition(events::add);

      breaker.adoptClosed("instance-3", "trial call succeeded on instance-3");
      breaker.adoptOpen(Duration.ofSeconds(1), "instance-2", "3 consecutive failures on instance-2");
      clock.advance(RECOVERY.multipliedBy(10));

      assertThat(breaker.isOpen()).isTrue();
      assertThat(breaker.getStatus().forcedOpen()).isTrue();
      assertThat(breaker.getStatus().origin()).isEmpty();
      assertThatThrownBy(() -> breaker.call(() -> "x")).isInstanceOf(CircuitBreakerOpenException.class);
      assertThat(events).isEmpty();

      breaker.reset();
      breaker.adoptOpen(Duration.ofSeconds(1), "instance-2", "3 consecutive failures on instance-2");
      assertThat(breaker.getStatus().origin()).as("adoption works again once reset").contains("instance-2");
    }

    @Test
    void decisionsOfItsOwnCarryNoOrigin() {
      breaker.onStateTransition(events::add);
      tripOpen(breaker, 3);
      assertThat(events).singleElement().satisfies(e -> {
        assertThat(e.adopted()).isFalse();
        assertThat(e.origin()).isEqualTo(Optional.empty());
      });
      assertThat(new StateTransition("n", CLOSED, OPEN, clock.now(), "r").origin()).isEmpty();
    }

    @Test
    void adoptionValidatesItsArguments() {
      assertThatThrownBy(() -> breaker.adoptOpen(Duration.ZERO, "i", "r")).isInstanceOf(
          IllegalArgumentException.class).hasMessageContaining("openFor");
      assertThatThrownBy(() -> breaker.adoptOpen(null, "i", "r")).hasMessageContaining("openFor");
      assertThatThrownBy(() -> breaker.adoptOpen(RECOVERY, " ", "r")).hasMessageContaining("origin");
      assertThatThrownBy(() -> breaker.adoptClosed("i", null)).hasMessageContaining("reason");
      breaker.adoptOpen(Duration.ofDays(365L * 1000), "i", "a very long outage");
      assertThat(breaker.isOpen()).isTrue();
    }
  }

  @Nested
  class TrialGate {
    private final AtomicBoolean permit = new AtomicBoolean();
    private final AtomicInteger consulted = new AtomicInteger();
    private final CircuitBreaker breaker = CircuitBreaker.of("chains", CircuitBreakerConfig.builder()
        .failureThreshold(2).recoveryTimeout(RECOVERY).clock(clock).trialGate(new dev.optionchain.breaker.TrialGate() {
          @Override
          public boolean mayStartTrial(String breakerName) {
            consulted.incrementAndGet();
            assertThat(breakerName).isEqualTo("chains");
            return permit.get();
          }

          @Override
          public Duration retryAfter() {
            return Duration.ofMillis(250);
          }
        }).build());

    @Test
    void theGateIsNeverConsultedWhileClosedOrBeforeTheTimeout() {
      for (int i = 0; i < 100; i++) {
        succeedOnce(breaker);
      }
      failOnce(breaker);
      succeedOnce(breaker);
      tripOpen(breaker, 2);
      clock.advance(RECOVERY.minusNanos(1));
      assertThatThrownBy(() -> breaker.call(() -> "x")).isInstanceOf(CircuitBreakerOpenException.class);
      assertThat(breaker.getState()).isEqualTo(OPEN);
      assertThat(consulted).hasValue(0);
    }

    @Test
    void whileTheGateSaysNoTheBreakerStaysOpenAndRejectsWithTheGatesRetryAfter() {
      tripOpen(breaker, 2);
      breaker.onStateTransition(events::add);
      clock.advance(RECOVERY.multipliedBy(2));

      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> breaker.call(() -> "not now")).isInstanceOfSatisfying(
            CircuitBreakerOpenException.class, e -> {
              assertThat(e.state()).isEqualTo(OPEN);
              assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(250));
            });
      }
      assertThat(consulted).hasValue(3);
      assertThat(breaker.getState()).as("readers report OPEN, without asking the gate").isEqualTo(OPEN);
      assertThat(consulted).hasValue(3);
      assertThat(events).isEmpty();

      permit.set(true);
      assertThat(breaker.call(() -> "this instance's trial")).isEqualTo("this instance's trial");
      assertThat(events).extracting(StateTransition::to).containsExactly(HALF_OPEN, CLOSED);
      assertThat(consulted).hasValue(4);
    }
  }
}
