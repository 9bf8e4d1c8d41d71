package dev.optionchain.breaker;

import static dev.optionchain.breaker.BreakerTestSupport.consecutive;
import static dev.optionchain.breaker.BreakerTestSupport.tripOpen;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.optionchain.breaker.testing.ManualClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CircuitBreakerOpenExceptionTest {

  private final ManualClock clock = new ManualClock();
  private final CircuitBreaker breaker = CircuitBreaker.of("chain", consecutive(clock, 3, 60));
  private ExecutorService executor;

  @AfterEach
  void shutDownExecutor() throws InterruptedException {
    if (executor != null) {
      executor.shutdownNow();
      assertThat(executor.awaitTermination(10, SECONDS)).isTrue();
    }
  }

  private static CircuitBreakerOpenException rejection(CircuitBreaker breaker) {
    AtomicInteger invoked = new AtomicInteger();
    Throwable thrown = catchThrowable(() -> breaker.call(invoked::incrementAndGet));
    assertThat(thrown).isInstanceOf(CircuitBreakerOpenException.class);
    assertThat(invoked).as("the rejected function must not run").hasValue(0);
    return (CircuitBreakerOpenException) thrown;
  }

  // ------------------------------------------------------------------------------------------------ cheapness

  @Test
  void hasNoStackTrace() {
    tripOpen(breaker, 3);

    CircuitBreakerOpenException rejected = rejection(breaker);

    assertThat(rejected.getStackTrace()).isEmpty();
    rejected.fillInStackTrace();
    assertThat(rejected.getStackTrace()).isEmpty();
    assertThat(new CircuitBreakerOpenException("x", CircuitBreakerState.OPEN, Duration.ZERO).getStackTrace())
        .isEmpty();
  }

  @Test
  void suppressionIsDisabled() {
    CircuitBreakerOpenException e = new CircuitBreakerOpenException("x", CircuitBreakerState.OPEN, Duration.ZERO);

    e.addSuppressed(new IllegalStateException("other"));

    assertThat(e.getSuppressed()).isEmpty();
    assertThat(e.getCause()).isNull();
  }

  @Test
  void isAnUncheckedCircuitBreakerException() {
    CircuitBreakerOpenException e = new CircuitBreakerOpenException("x", CircuitBreakerState.OPEN, Duration.ZERO);

    assertThat(e).isInstanceOf(CircuitBreakerException.class).isInstanceOf(RuntimeException.class);
  }

  // ------------------------------------------------------------------------------------------------ message

  @Test
  void openMessageNamesTheBreakerAndTheRetryAfter() {
    CircuitBreakerOpenException e =
        new CircuitBreakerOpenException("chain", CircuitBreakerState.OPEN, Duration.ofSeconds(40));

    assertThat(e.getMessage())
        .contains("'chain'")
        .contains("OPEN")
        .contains("retry after PT40S");
    assertThat(e).hasToString(CircuitBreakerOpenException.class.getName() + ": " + e.getMessage());
  }

  @Test
  void halfOpenMessageSaysATrialIsInProgress() {
    CircuitBreakerOpenException e =
        new CircuitBreakerOpenException("chain", CircuitBreakerState.HALF_OPEN, Duration.ZERO);

    assertThat(e.getMessage())
        .contains("'chain'")
        .contains("HALF_OPEN")
        .contains("trial call is in progress")
        .doesNotContain("retry after");
  }

  @Test
  void closedMessageSaysTheBreakerIsRampingUp() {
    CircuitBreakerOpenException e =
        new CircuitBreakerOpenException("chain", CircuitBreakerState.CLOSED, Duration.ofSeconds(1));

    assertThat(e.getMessage()).contains("ramping up").contains("retry after PT1S");
  }

  // ------------------------------------------------------------------------------------------------ retryAfter

  @Test
  void publicConstructorKeepsItsArguments() {
    CircuitBreakerOpenException e =
        new CircuitBreakerOpenException("chain", CircuitBreakerState.OPEN, Duration.ofMillis(1500));

    assertThat(e.breakerName()).isEqualTo("chain");
    assertThat(e.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void retryAfterIsNeverNegative() {
    assertThat(new CircuitBreakerOpenException("x", CircuitBreakerState.OPEN, Duration.ofSeconds(-5)).retryAfter())
        .isZero();
    assertThat(new CircuitBreakerOpenException("x", CircuitBreakerState.OPEN, Duration.ofNanos(-1)).retryAfter())
        .isZero();
    assertThat(new CircuitBreakerOpenException("x", CircuitBreakerState.OPEN,
        Duration.ofSeconds(Long.MIN_VALUE)).retryAfter()).isZero();
  }

  @Test
  void hugeRetryAfterSaturates() {
    CircuitBreakerOpenException e = new CircuitBreakerOpenException("x", CircuitBreakerState.OPEN,
        Duration.ofSeconds(Long.MAX_VALUE));

    assertThat(e.retryAfter()).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
    assertThat(e.getMessage()).contains("retry after");
  }

  @Test
  void publicConstructorRejectsNulls() {
    assertThatThrownBy(() -> new CircuitBreakerOpenException(null, CircuitBreakerState.OPEN, Duration.ZERO))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("breakerName");
    assertThatThrownBy(() -> new CircuitBreakerOpenException("x", null, Duration.ZERO))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("state");
    assertThatThrownBy(() -> new CircuitBreakerOpenException("x", CircuitBreakerState.OPEN, null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("retryAfter");
  }

  // ------------------------------------------------------------------------------------------------ from a breaker

  @Test
  void rejectionCarriesNameStateAndExactRemainingTime() {
    tripOpen(breaker, 3);
    clock.advance(Duration.ofSeconds(20));

    CircuitBreakerOpenException rejected = rejection(breaker);

    assertThat(rejected.breakerName()).isEqualTo("chain");
    assertThat(rejected.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(rejected.retryAfter()).isEqualTo(Duration.ofSeconds(40));
    assertThat(rejected.getMessage()).contains("'chain'").contains("retry after PT40S");
  }

  @Test
  void retryAfterShrinksToOneNanosecondBeforeTheTrial() {
    tripOpen(breaker, 3);

    assertThat(rejection(breaker).retryAfter()).isEqualTo(Duration.ofSeconds(60));
    clock.advance(Duration.ofSeconds(60).minusNanos(1));
    assertThat(rejection(breaker).retryAfter()).isEqualTo(Duration.ofNanos(1));
  }

  @Test
  void halfOpenRejectionWhileTheTrialRunsReentrantlyHasZeroRetryAfter() {
    tripOpen(breaker, 3);
    clock.advance(Duration.ofSeconds(60));
    AtomicReference<CircuitBreakerOpenException> nested = new AtomicReference<>();

    String trial = breaker.call(() -> {
      nested.set(rejection(breaker));
      return "trial";
    });

    assertThat(trial).isEqualTo("trial");
    assertThat(nested.get().state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    assertThat(nested.get().retryAfter()).isZero();
    assertThat(nested.get().breakerName()).isEqualTo("chain");
    assertThat(breaker.isClosed()).isTrue();
  }

  @Test
  void halfOpenRejectionWhileTheTrialRunsOnAnotherThreadHasZeroRetryAfter() throws Exception {
    executor = Executors.newSingleThreadExecutor();
    tripOpen(breaker, 3);
    clock.advance(Duration.ofSeconds(60));
    CountDownLatch trialStarted = new CountDownLatch(1);
    CountDownLatch finishTrial = new CountDownLatch(1);

    Future<String> trial = executor.submit(() -> breaker.call(() -> {
      trialStarted.countDown();
      try {
        assertThat(finishTrial.await(10, SECONDS)).isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return "trial";
    }));
    assertThat(trialStarted.await(10, SECONDS)).isTrue();

    CircuitBreakerOpenException rejected = rejection(breaker);
    finishTrial.countDown();

    assertThat(rejected.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    assertThat(rejected.retryAfter()).isZero();
    assertThat(rejected.getMessage()).contains("trial call is in progress");
    assertThat(trial.get(10, SECONDS)).isEqualTo("trial");
    assertThat(breaker.isClosed()).isTrue();
  }
}
