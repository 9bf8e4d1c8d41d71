package dev.optionchain.breaker;

import static dev.optionchain.breaker.BreakerTestSupport.consecutive;
import static dev.optionchain.breaker.BreakerTestSupport.failOnce;
import static dev.optionchain.breaker.BreakerTestSupport.succeedOnce;
import static dev.optionchain.breaker.BreakerTestSupport.tripOpen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.optionchain.breaker.BreakerTestSupport.Boom;
import dev.optionchain.breaker.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The seed's state machine, transition by transition, on virtual time. */
class CircuitBreakerStateMachineTest {

  private final ManualClock clock = new ManualClock();
  private final CircuitBreaker breaker = CircuitBreaker.of("options_chain", consecutive(clock, 3, 90));

  @Test
  void startsClosedWithNoFailures() {
    assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(breaker.isClosed()).isTrue();
    assertThat(breaker.isOpen()).isFalse();
    assertThat(breaker.isHalfOpen()).isFalse();
    assertThat(breaker.getStatus().failureCount()).isZero();
  }

  @Test
  void passesValuesThroughUnchanged() {
    Object value = new Object();
    assertThat(breaker.<Object>call(() -> value)).isSameAs(value);
    assertThat(breaker.<Object>call(() -> null)).isNull();
  }

  @Test
  void rethrowsTheFunctionsExceptionUnchanged() {
    Boom boom = new Boom();
    assertThatThrownBy(() -> breaker.call(() -> {
      throw boom;
    })).isSameAs(boom);
  }

  @Test
  void rethrowsCheckedExceptionsFromCallCheckedUnchanged() {
    IOException io = new IOException("disk");
    assertThatThrownBy(() -> breaker.callChecked(() -> {
      throw io;
    })).isSameAs(io);
    assertThat(breaker.getStatus().failureCount()).isEqualTo(1);
  }

  @Test
  void runRecordsFailuresAndSuccesses() {
    assertThatThrownBy(() -> breaker.run(() -> {
      throw new Boom();
    })).isInstanceOf(Boom.class);
    assertThat(breaker.getStatus().failureCount()).isEqualTo(1);
    breaker.run(() -> { });
    assertThat(breaker.getStatus().failureCount()).isZero();
    assertThat(breaker.getStatus().successfulCalls()).isEqualTo(1);
  }

  @Test
  void errorsCountAsFailuresAndAreRethrown() {
    AssertionError error = new AssertionError("bug");
    assertThatThrownBy(() -> breaker.call(() -> {
      throw error;
    })).isSameAs(error);
    assertThat(breaker.getStatus().failedCalls()).isEqualTo(1);
  }

  @Test
  void staysClosedBelowTheThreshold() {
    tripOpen(breaker, 2);
    assertThat(breaker.isClosed()).isTrue();
    assertThat(breaker.getStatus().failureCount()).isEqualTo(2);
  }

  @Test
  void opensAfterThresholdConsecutiveFailures() {
    tripOpen(breaker, 3);
    assertThat(breaker.isOpen()).isTrue();
    assertThat(breaker.getStatus().failureCount()).isEqualTo(3);
  }

  @Test
  void successResetsTheConsecutiveCount() {
    tripOpen(breaker, 2);
    succeedOnce(breaker);
    assertThat(breaker.getStatus().failureCount()).isZero();
    tripOpen(breaker, 2);
    assertThat(breaker.isClosed()).isTrue();
    failOnce(breaker);
    assertThat(breaker.isOpen()).isTrue();
  }

  @Test
  void openRejectsWithoutInvokingTheFunction() {
    tripOpen(breaker, 3);
    AtomicInteger invoked = new AtomicInteger();
    assertThatThrownBy(() -> breaker.call(invoked::incrementAndGet))
        .isInstanceOf(CircuitBreakerOpenException.class)
        .satisfies(e -> {
          CircuitBreakerOpenException open = (CircuitBreakerOpenException) e;
          assertThat(open.breakerName()).isEqualTo("options_chain");
          assertThat(open.state()).isEqualTo(CircuitBreakerState.OPEN);
          assertThat(open.retryAfter()).isEqualTo(Duration.ofSeconds(90));
        });
    assertThatThrownBy(() -> breaker.run(invoked::incrementAndGet)).isInstanceOf(CircuitBreakerOpenException.class);
    assertThatThrownBy(() -> breaker.callChecked(invoked::incrementAndGet))
        .isInstanceOf(CircuitBreakerOpenException.class);
    assertThat(invoked).hasValue(0);
    assertThat(breaker.getStatus().rejectedCalls()).isEqualTo(3);
  }

  @Test
  void keepsTheTrippingCountWhileOpen() {
    tripOpen(breaker, 3);
    clock.advance(Duration.ofSeconds(10));
    assertThat(breaker.getStatus().failureCount()).isEqualTo(3);
  }

  @Test
  void retryAfterShrinksAsTheRecoveryTimeoutRunsDown() {
    tripOpen(breaker, 3);
    clock.advance(Duration.ofSeconds(30));
    assertThatThrownBy(() -> succeedOnce(breaker))
        .isInstanceOfSatisfying(CircuitBreakerOpenException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(60)));
  }

  @Test
  void becomesHalfOpenExactlyWhenTheRecoveryTimeoutHasElapsed() {
    tripOpen(breaker, 3);
    clock.advance(Duration.ofSeconds(90).minusNanos(1));
    assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(breaker.getStatus().state()).isEqualTo(CircuitBreakerState.OPEN);
    clock.advance(Duration.ofNanos(1));
    assertThat(breaker.isHalfOpen()).isTrue();
    assertThat(breaker.getStatus().state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    assertThat(breaker.getStatus().retryAt()).isEmpty();
  }

  @Test
  void successfulTrialCloses() {
    tripOpen(breaker, 3);
    clock.advance(Duration.ofSeconds(90));
    assertThat(breaker.call(() -> 42)).isEqualTo(42);
    assertThat(breaker.isClosed()).isTrue();
    assertThat(breaker.getStatus().failureCount()).isZero();
  }

  @Test
  void failedTrialReopensWithTheTimerRestarted() {
    tripOpen(breaker, 3);
    clock.advance(Duration.ofSeconds(100));
    failOnce(breaker);
    assertThat(breaker.isOpen()).isTrue();
    assertThat(breaker.getStatus().failureCount()).isEqualTo(4);
    clock.advance(Duration.ofSeconds(90).minusNanos(1));
    assertThat(breaker.isOpen()).isTrue();
    clock.advance(Duration.ofNanos(1));
    assertThat(breaker.isHalfOpen()).isTrue();
  }

  @Test
  void halfOpenAdmitsOneTrialAtATime() {
    tripOpen(breaker, 3);
    clock.advance(Duration.ofSeconds(90));
    AtomicInteger inner = new AtomicInteger();
    String result = breaker.call(() -> {
      assertThatThrownBy(() -> breaker.call(inner::incrementAndGet))
          .isInstanceOfSatisfying(CircuitBreakerOpenException.class, e -> {
            assertThat(e.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
            assertThat(e.retryAfter()).isZero();
          });
      return "trial";
    });
    assertThat(result).isEqualTo("trial");
    assertThat(inner).hasValue(0);
    assertThat(breaker.isClosed()).isTrue();
  }

  @Test
  void lateSuccessAdmittedWhileClosedDoesNotCloseAHalfOpenBreaker() {
    CompletableFuture<String> slow = new CompletableFuture<>();
    CompletableFuture<String> result = breaker.callAsync(() -> slow);
    tripOpen(breaker, 3);
    clock.advance(Duration.ofSeconds(90));
    assertThat(breaker.isHalfOpen()).isTrue();
    slow.complete("late");
    assertThat(result).isCompletedWithValue("late");
    assertThat(breaker.isHalfOpen()).isTrue();
  }

  @Test
  void lateFailureAdmittedWhileClosedDoesNotCountAfterRecovery() {
    CompletableFuture<String> slow = new CompletableFuture<>();
    breaker.callAsync(() -> slow);
    tripOpen(breaker, 3);
    clock.advance(Duration.ofSeconds(90));
    succeedOnce(breaker);
    assertThat(breaker.isClosed()).isTrue();
    slow.completeExceptionally(new Boom());
    assertThat(breaker.getStatus().failureCount()).isZero();
    tripOpen(breaker, 2);
    assertThat(breaker.isClosed()).isTrue();
  }

  @Test
  void lateTrialFailureDoesNotReopenAfterReset() {
    tripOpen(breaker, 3);
    clock.advance(Duration.ofSeconds(90));
    CompletableFuture<String> trial = new CompletableFuture<>();
    breaker.callAsync(() -> trial);
    breaker.reset();
    trial.completeExceptionally(new Boom());
    assertThat(breaker.isClosed()).isTrue();
    assertThat(breaker.getStatus().failureCount()).isZero();
  }

  @Test
  void resetReturnsAnOpenBreakerToClosedWithZeroCount() {
    tripOpen(breaker, 3);
    breaker.reset();
    assertThat(breaker.isClosed()).isTrue();
    assertThat(breaker.getStatus().failureCount()).isZero();
    assertThat(breaker.getStatus().lastFailureTime()).isEmpty();
    succeedOnce(breaker);
  }

  @Test
  void subSecondRecoveryTimeoutsWork() {
    CircuitBreaker fast = CircuitBreaker.of("fast", CircuitBreakerConfig.builder()
        .failureThreshold(2).recoveryTimeout(Duration.ofMillis(100)).clock(clock).build());
    tripOpen(fast, 2);
    assertThat(fast.isOpen()).isTrue();
    clock.advanceMillis(100);
    assertThat(fast.call(() -> 20)).isEqualTo(20);
    assertThat(fast.isClosed()).isTrue();
  }

  @Test
  void theSeedsSampleRunWalksThroughEveryState() {
    CircuitBreaker test2 = CircuitBreaker.of("test2", CircuitBreakerConfig.builder()
        .failureThreshold(2).recoveryTimeout(Duration.ofMillis(100)).clock(clock).build());
    failOnce(test2);
    assertThat(test2.getState()).isEqualTo(CircuitBreakerState.CLOSED);
    failOnce(test2);
    assertThat(test2.getState()).isEqualTo(CircuitBreakerState.OPEN);
    assertThatThrownBy(() -> test2.call(() -> 10)).isInstanceOf(CircuitBreakerOpenException.class);
    clock.advanceMillis(100);
    assertThat(test2.call(() -> 10 * 2)).isEqualTo(20);
    assertThat(test2.getState()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void nullFunctionIsRejectedWithoutCountingAFailure() {
    assertThatThrownBy(() -> breaker.call(null)).isInstanceOf(NullPointerException.class);
    assertThat(breaker.getStatus().failedCalls()).isZero();
  }

  @Test
  void trialCallsAndSuccessesToCloseAreConfigurable() {
    CircuitBreaker tuned = CircuitBreaker.of("tuned", CircuitBreakerConfig.builder()
        .failureThreshold(1).recoveryTimeout(Duration.ofSeconds(1)).trialCalls(2).successesToClose(3)
        .clock(clock).build());
    failOnce(tuned);
    clock.advance(Duration.ofSeconds(1));
    CompletableFuture<String> first = new CompletableFuture<>();
    CompletableFuture<String> second = new CompletableFuture<>();
    tuned.callAsync(() -> first);
    tuned.callAsync(() -> second);
    assertThat(tuned.callAsync(() -> CompletableFuture.completedFuture("third")))
        .isCompletedExceptionally();
    first.complete("a");
    second.complete("b");
    assertThat(tuned.isHalfOpen()).isTrue();
    succeedOnce(tuned);
    assertThat(tuned.isClosed()).isTrue();
  }

  @Test
  void anyFailedTrialReopensEvenAfterSomeSucceeded() {
    CircuitBreaker tuned = CircuitBreaker.of("tuned", CircuitBreakerConfig.builder()
        .failureThreshold(1).recoveryTimeout(Duration.ofSeconds(1)).successesToClose(2).clock(clock).build());
    failOnce(tuned);
    clock.advance(Duration.ofSeconds(1));
    succeedOnce(tuned);
    assertThat(tuned.isHalfOpen()).isTrue();
    failOnce(tuned);
    assertThat(tuned.isOpen()).isTrue();
  }
}
