package dev.optionchain.breaker;

import static dev.optionchain.breaker.BreakerTestSupport.failOnce;
import static dev.optionchain.breaker.BreakerTestSupport.succeedOnce;
import static dev.optionchain.breaker.BreakerTestSupport.tripOpen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.optionchain.breaker.BreakerTestSupport.Boom;
import dev.optionchain.breaker.testing.ManualClock;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Slow calls, what counts as a failure, recovery backoff, ramp-up, force-open and fallbacks. */
class CallOptionsTest {

  private final ManualClock clock = new ManualClock();

  private CircuitBreakerConfig.Builder base() {
    return CircuitBreakerConfig.builder().failureThreshold(2).recoveryTimeout(Duration.ofSeconds(60)).clock(clock);
  }

  @Nested
  class SlowCalls {
    private final CircuitBreaker breaker =
        CircuitBreaker.of("slow", base().slowCallDuration(Duration.ofSeconds(2)).build());

    private String callTaking(Duration d) {
      return breaker.call(() -> {
        clock.advance(d);
        return "value";
      });
    }

    @Test
    void aSlowCallCountsAsAFailureButReturnsItsValue() {
      assertThat(callTaking(Duration.ofSeconds(3))).isEqualTo("value");
      assertThat(breaker.getStatus().failureCount()).isEqualTo(1);
      assertThat(breaker.getStatus().slowCalls()).isEqualTo(1);
      assertThat(callTaking(Duration.ofSeconds(2))).as("at the threshold is slow").isEqualTo("value");
      assertThat(breaker.isOpen()).isTrue();
    }

    @Test
    void aFastCallIsASuccess() {
      callTaking(Duration.ofSeconds(3));
      callTaking(Duration.ofMillis(1999));
      assertThat(breaker.getStatus().failureCount()).isZero();
      assertThat(breaker.getStatus().slowCalls()).isEqualTo(1);
    }

    @Test
    void aSlowFailureCountsOnce() {
      assertThatThrownBy(() -> breaker.call(() -> {
        clock.advance(Duration.ofSeconds(5));
        throw new Boom();
      })).isInstanceOf(Boom.class);
      assertThat(breaker.getStatus().failedCalls()).isEqualTo(1);
      assertThat(breaker.getStatus().failureCount()).isEqualTo(1);
    }
  }

  @Nested
  class WhatCountsAsAFailure {

    @Test
    void exceptionsNotRecordedCountAsSuccesses() {
      CircuitBreaker b = CircuitBreaker.of("rec",
          base().recordExceptions(e -> e instanceof UncheckedIOException).build());
      failOnce(b);
      assertThat(b.getStatus().failureCount()).isZero();
      assertThat(b.getStatus().successfulCalls()).isEqualTo(1);
      assertThatThrownBy(() -> b.call(() -> {
        throw new UncheckedIOException(new java.io.IOException("down"));
      })).isInstanceOf(UncheckedIOException.class);
      assertThat(b.getStatus().failureCount()).isEqualTo(1);
    }

    @Test
    void ignoredExceptionsCountAsNeitherAndStillReachTheCaller() {
      CircuitBreaker b = CircuitBreaker.of("ign", base().ignoreExceptions(e -> e instanceof IllegalArgumentException)
          .build());
      failOnce(b);
      IllegalArgumentException bad = new IllegalArgumentException("bad symbol");
      assertThatThrownBy(() -> b.call(() -> {
        throw bad;
      })).isSameAs(bad);
      assertThat(b.getStatus().failureCount()).as("not reset by an ignored call").isEqualTo(1);
      assertThat(b.getStatus().ignoredCalls()).isEqualTo(1);
      assertThat(b.getStatus().successfulCalls()).isZero();
    }

    @Test
    void anIgnoredTrialReleasesItsPermit() {
      CircuitBreaker b = CircuitBreaker.of("ign", base().ignoreExceptions(e -> e instanceof IllegalStateException)
          .build());
      tripOpen(b, 2);
      clock.advance(Duration.ofSeconds(60));
      assertThatThrownBy(() -> b.call(() -> {
        throw new IllegalStateException();
      })).isInstanceOf(IllegalStateException.class);
      assertThat(b.isHalfOpen()).isTrue();
      succeedOnce(b);
      assertThat(b.isClosed()).isTrue();
    }

    @Test
    void ignoreIsConsultedBeforeRecord() {
      CircuitBreaker b = CircuitBreaker.of("both", base().recordExceptions(e -> true).ignoreExceptions(e -> true)
          .build());
      failOnce(b);
      assertThat(b.getStatus().ignoredCalls()).isEqualTo(1);
      assertThat(b.getStatus().failedCalls()).isZero();
    }

    @Test
    void resultsMatchingThePredicateCountAsFailuresButAreReturned() {
      CircuitBreaker b = CircuitBreaker.of("res", base().recordResult(Integer.class, r -> r == 503).build());
      assertThat(b.call(() -> 503)).isEqualTo(503);
      assertThat(b.call(() -> 200)).isEqualTo(200);
      assertThat(b.getStatus().failureCount()).isZero();
      b.call(() -> 503);
      b.call(() -> 503);
      assertThat(b.isOpen()).isTrue();
    }

    @Test
    void resultsOfAnotherTypeOrNullAreNeverTestedAndCountAsSuccesses() {
      CircuitBreaker b = CircuitBreaker.of("typed", base().recordResult(Integer.class, r -> r >= 500).build());
      assertThat(b.call(() -> "503")).isEqualTo("503");
      assertThat(b.call(() -> (Integer) null)).isNull();
      assertThat(b.getStatus().successfulCalls()).isEqualTo(2);
      assertThat(b.getConfig().recordResult().test(503)).isTrue();
      assertThat(b.getConfig().recordResult().test(503L)).isFalse();
    }

    /** Found in review: {@code int.class} compiles (as {@code Class<Integer>}) but no value is an instance of it. */
    @Test
    void aPrimitiveResultTypeTestsItsBoxedValues() {
      CircuitBreaker b = CircuitBreaker.of("status", base().recordResult(int.class, code -> code >= 500).build());
      assertThat(b.call(() -> 503)).isEqualTo(503);
      assertThat(b.call(() -> 200)).isEqualTo(200);
      assertThat(b.getStatus().failedCalls()).isEqualTo(1);
      assertThat(b.getStatus().successfulCalls()).isEqualTo(1);
      assertThatThrownBy(() -> base().recordResult(void.class, v -> true)).isInstanceOf(
          IllegalArgumentException.class).hasMessageContaining("recordResult type").hasMessageContaining("void");
    }

    /**
     * Found in review: every predicate that threw was taken as true, "so the outcome is recorded"; but true from
     * {@code ignoreExceptions} means ignored, so a buggy ignore predicate (here one that reads a null message) made
     * every such failure count for nothing, and the breaker never tripped.
     */
    @Test
    void anIgnorePredicateThatThrowsIgnoresNothing() {
      CircuitBreaker b = CircuitBreaker.of("ignore", base()
          .ignoreExceptions(e -> e.getMessage().startsWith("bad input")).build());
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> b.run(() -> {
          throw new IllegalStateException(); // no message: the predicate throws
        })).isInstanceOf(IllegalStateException.class);
      }
      assertThat(b.getStatus().ignoredCalls()).isZero();
      assertThat(b.isOpen()).isTrue();
    }

    @Test
    void aPredicateThatThrowsIsTakenAsTrue() {
      CircuitBreaker b = CircuitBreaker.of("oops", base().recordResult(String.class, r -> {
        throw new IllegalStateException("predicate bug");
      }).build());
      assertThat(b.call(() -> "fine")).isEqualTo("fine");
      assertThat(b.getStatus().failedCalls()).isEqualTo(1);
    }
  }

  @Nested
  class RecoveryBackoff {
    private final CircuitBreaker breaker = CircuitBreaker.of("backoff",
        base().recoveryBackoff(2.0, Duration.ofSeconds(300)).build());

    private void failTrialAfter(Duration wait) {
      clock.advance(wait);
      assertThat(breaker.isHalfOpen()).isTrue();
      failOnce(breaker);
      assertThat(breaker.isOpen()).isTrue();
    }

    @Test
    void openTimeGrowsAfterEachFailedTrialUpToTheCap() {
      tripOpen(breaker, 2);
      assertThat(breaker.getStatus().openDuration()).isEqualTo(Duration.ofSeconds(60));
      failTrialAfter(Duration.ofSeconds(60));
      assertThat(breaker.getStatus().openDuration()).isEqualTo(Duration.ofSeconds(120));
      clock.advance(Duration.ofSeconds(119));
      assertThat(breaker.isOpen()).isTrue();
      failTrialAfter(Duration.ofSeconds(1));
      assertThat(breaker.getStatus().openDuration()).isEqualTo(Duration.ofSeconds(240));
      failTrialAfter(Duration.ofSeconds(240));
      assertThat(breaker.getStatus().openDuration()).isEqualTo(Duration.ofSeconds(300));
      failTrialAfter(Duration.ofSeconds(300));
      assertThat(breaker.getStatus().openDuration()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void aSuccessfulRecoveryResetsTheGrowth() {
      tripOpen(breaker, 2);
      failTrialAfter(Duration.ofSeconds(60));
      clock.advance(Duration.ofSeconds(120));
      succeedOnce(breaker);
      assertThat(breaker.isClosed()).isTrue();
      tripOpen(breaker, 2);
      assertThat(breaker.getStatus().openDuration()).isEqualTo(Duration.ofSeconds(60));
    }
  }

  @Nested
  class RampUp {
    private final CircuitBreaker breaker = CircuitBreaker.of("ramp",
        base().rampUp(Duration.ofSeconds(100)).recoveryBackoff(2.0, Duration.ofMinutes(10)).build());

    private void recover() {
      tripOpen(breaker, 2);
      clock.advance(Duration.ofSeconds(60));
      succeedOnce(breaker);
      assertThat(breaker.isClosed()).isTrue();
    }

    private int admittedOf(int calls) {
      int admitted = 0;
      for (int i = 0; i < calls; i++) {
        try {
          breaker.call(() -> "ok");
          admitted++;
        } catch (CircuitBreakerOpenException e) {
          assertThat(e.state()).isEqualTo(CircuitBreakerState.CLOSED);
          assertThat(e.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10));
        }
      }
      return admitted;
    }

    @Test
    void admitsAGrowingShareAfterClosing() {
      recover();
      assertThat(breaker.getStatus().trafficShare()).isEqualTo(0.1);
      assertThat(admittedOf(100)).isEqualTo(10);
      clock.advance(Duration.ofSeconds(50));
      assertThat(breaker.getStatus().trafficShare()).isEqualTo(0.55);
      assertThat(admittedOf(100)).isBetween(54, 56);
      clock.advance(Duration.ofSeconds(50));
      assertThat(admittedOf(100)).isEqualTo(100);
      assertThat(breaker.getStatus().trafficShare()).isEqualTo(1.0);
    }

    @Test
    void failuresDuringTheRampReopenWithBackoff() {
      recover();
      List<StateTransition> events = new ArrayList<>();
      breaker.onStateTransition(events::add);
      failOnce(breaker);
      clock.advance(Duration.ofSeconds(50));
      failOnce(breaker);
      assertThat(breaker.isOpen()).isTrue();
      assertThat(events).singleElement().extracting(StateTransition::reason).asString().contains("during ramp-up");
      assertThat(breaker.getStatus().openDuration()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void resetEndsTheRamp() {
      recover();
      breaker.reset();
      assertThat(admittedOf(20)).isEqualTo(20);
    }
  }

  @Nested
  class ForceOpen {
    private final CircuitBreaker breaker = CircuitBreaker.of("maint", base().build());

    @Test
    void rejectsUntilResetEvenAfterTheRecoveryTimeout() {
      AtomicInteger invoked = new AtomicInteger();
      breaker.forceOpen();
      clock.advance(Duration.ofHours(1));
      assertThat(breaker.isOpen()).isTrue();
      assertThatThrownBy(() -> breaker.call(invoked::incrementAndGet))
          .isInstanceOfSatisfying(CircuitBreakerOpenException.class,
              e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(60)));
      assertThat(invoked).hasValue(0);
      CircuitBreakerStatus status = breaker.getStatus();
      assertThat(status.forcedOpen()).isTrue();
      assertThat(status.retryAt()).isEmpty();
      assertThat(status.toMap()).containsEntry("forcedOpen", true);
      breaker.reset();
      assertThat(breaker.isClosed()).isTrue();
      assertThat(breaker.getStatus().forcedOpen()).isFalse();
      assertThat(breaker.call(invoked::incrementAndGet)).isEqualTo(1);
    }

    @Test
    void forcingTwiceDeliversOneTransition() {
      List<StateTransition> events = new ArrayList<>();
      breaker.onStateTransition(events::add);
      breaker.forceOpen();
      breaker.forceOpen();
      assertThat(events).extracting(StateTransition::reason).containsExactly("forced open");
    }

    @Test
    void forcingAnOpenBreakerKeepsItOpenPastItsTimeout() {
      tripOpen(breaker, 2);
      breaker.forceOpen();
      clock.advance(Duration.ofMinutes(5));
      assertThat(breaker.isOpen()).isTrue();
    }
  }

  @Nested
  class Fallback {
    private final CircuitBreaker breaker = CircuitBreaker.of("fb", base().build());

    @Test
    void returnsTheValueWhenTheCallSucceeds() {
      assertThat(breaker.call(() -> "live", e -> "cached")).isEqualTo("live");
    }

    @Test
    void receivesTheFunctionsException() {
      Boom boom = new Boom();
      List<RuntimeException> seen = new ArrayList<>();
      String value = breaker.call(() -> {
        throw boom;
      }, e -> {
        seen.add(e);
        return "cached";
      });
      assertThat(value).isEqualTo("cached");
      assertThat(seen).containsExactly(boom);
      assertThat(breaker.getStatus().failureCount()).isEqualTo(1);
    }

    @Test
    void receivesTheRejectionWhenOpen() {
      tripOpen(breaker, 2);
      String value = breaker.call(() -> "live", e -> {
        assertThat(e).isInstanceOf(CircuitBreakerOpenException.class);
        return "cached";
      });
      assertThat(value).isEqualTo("cached");
    }

    /** Found in review: a null function was a NullPointerException inside the call, so the fallback "handled" it. */
    @Test
    void aNullFunctionIsAnErrorNotAFallback() {
      AtomicInteger fallbacks = new AtomicInteger();
      assertThatThrownBy(() -> breaker.call(null, e -> {
        fallbacks.incrementAndGet();
        return "cached";
      })).isInstanceOf(NullPointerException.class).hasMessage("fn");
      assertThat(fallbacks).hasValue(0);
      assertThat(breaker.getStatus().failedCalls()).isZero();
    }

    @Test
    void errorsAreNotPassedToTheFallback() {
      assertThatThrownBy(() -> breaker.call(() -> {
        throw new AssertionError("bug");
      }, e -> "cached")).isInstanceOf(AssertionError.class);
    }
  }
}
