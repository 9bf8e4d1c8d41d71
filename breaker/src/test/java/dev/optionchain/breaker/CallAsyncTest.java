package dev.optionchain.breaker;

import static dev.optionchain.breaker.BreakerTestSupport.consecutive;
import static dev.optionchain.breaker.BreakerTestSupport.tripOpen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.optionchain.breaker.BreakerTestSupport.Boom;
import dev.optionchain.breaker.testing.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link CircuitBreaker#callAsync}: outcomes recorded when the stage completes, rejections as failed futures. */
class CallAsyncTest {

  private final ManualClock clock = new ManualClock();
  private final CircuitBreaker breaker = CircuitBreaker.of("async", consecutive(clock, 2, 60));

  @Test
  void recordsTheOutcomeWhenTheStageCompletesNotBefore() {
    CompletableFuture<String> stage = new CompletableFuture<>();
    CompletableFuture<String> result = breaker.callAsync(() -> stage);
    assertThat(result).isNotDone();
    assertThat(breaker.getStatus().successfulCalls()).isZero();
    stage.complete("chain");
    assertThat(result).isCompletedWithValue("chain");
    assertThat(breaker.getStatus().successfulCalls()).isEqualTo(1);
  }

  @Test
  void aFailedStageIsAFailureAndItsCauseReachesTheCallerUnwrapped() throws Exception {
    Boom boom = new Boom();
    CompletableFuture<String> result = breaker.callAsync(() -> CompletableFuture.failedFuture(boom));
    assertThat(result).isCompletedExceptionally();
    try {
      result.get(1, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isSameAs(boom);
    }
    assertThat(breaker.getStatus().failureCount()).isEqualTo(1);
  }

  @Test
  void unwrapsCompletionExceptionsFromDependentStages() {
    Boom boom = new Boom();
    CompletableFuture<String> dependent = CompletableFuture.<String>failedFuture(boom).thenApply(s -> s + "!");
    CompletableFuture<String> result = breaker.callAsync(() -> dependent);
    assertThat(result).isCompletedExceptionally();
    assertThat(result.handle((v, e) -> e).join()).isSameAs(boom);
  }

  @Test
  void aRejectionIsAFailedFutureNeverThrownAndTheFunctionIsNotInvoked() {
    tripOpen(breaker, 2);
    AtomicInteger invoked = new AtomicInteger();
    AtomicReference<CompletableFuture<Integer>> holder = new AtomicReference<>();
    assertThatCode(() -> holder.set(breaker.callAsync(
        () -> CompletableFuture.completedFuture(invoked.incrementAndGet())))).doesNotThrowAnyException();
    assertThat(invoked).hasValue(0);
    assertThat(holder.get().handle((v, e) -> e).join())
        .isInstanceOfSatisfying(CircuitBreakerOpenException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(60)));
  }

  @Test
  void aFunctionThatThrowsInsteadOfReturningAStageIsAFailedFuture() {
    Boom boom = new Boom();
    CompletableFuture<String> result = breaker.callAsync(() -> {
      throw boom;
    });
    assertThat(result.handle((v, e) -> e).join()).isSameAs(boom);
    assertThat(breaker.getStatus().failureCount()).isEqualTo(1);
  }

  @Test
  void aNullStageIsAFailure() {
    CompletableFuture<String> result = breaker.callAsync(() -> null);
    assertThat(result.handle((v, e) -> e).join()).isInstanceOf(NullPointerException.class);
    assertThat(breaker.getStatus().failedCalls()).isEqualTo(1);
  }

  @Test
  void stateIsUpdatedBeforeTheReturnedFutureCompletes() {
    tripOpen(breaker, 1);
    CompletableFuture<String> stage = new CompletableFuture<>();
    CompletableFuture<Boolean> openWhenSeen = breaker.callAsync(() -> stage).handle((v, e) -> breaker.isOpen());
    stage.completeExceptionally(new Boom());
    assertThat(openWhenSeen.join()).isTrue();
  }

  @Test
  void slowStagesCountAsSlowCalls() {
    CircuitBreaker timed = CircuitBreaker.of("timed", CircuitBreakerConfig.builder()
        .failureThreshold(1).slowCallDuration(Duration.ofSeconds(1)).clock(clock).build());
    CompletableFuture<String> stage = new CompletableFuture<>();
    CompletableFuture<String> result = timed.callAsync(() -> stage);
    clock.advance(Duration.ofSeconds(3));
    stage.complete("late");
    assertThat(result.join()).isEqualTo("late");
    assertThat(timed.isOpen()).isTrue();
  }

  @Test
  void completionExceptionWithoutCauseIsRecordedAsIs() {
    CompletionException bare = new CompletionException(null);
    CompletableFuture<String> result = breaker.callAsync(() -> CompletableFuture.failedFuture(bare));
    assertThat(result.handle((v, e) -> e).join()).isSameAs(bare);
  }

  /**
   * Found in review: a function that throws a checked exception without declaring it (Lombok's {@code @SneakyThrows},
   * Kotlin, a rethrowing helper) escaped {@code callAsync} unrecorded, keeping its admission: a HALF_OPEN trial permit
   * stayed taken, and the breaker rejected everything until the HALF_OPEN maximum ran out.
   */
  @Test
  void aCheckedExceptionThrownUndeclaredIsAFailedFutureAndGivesTheTrialPermitBack() {
    tripOpen(breaker, 2);
    clock.advance(Duration.ofSeconds(60));
    java.io.IOException io = new java.io.IOException("connection reset");

    CompletableFuture<String> result = breaker.callAsync(() -> {
      throw BreakerTestSupport.<RuntimeException>sneaky(io);
    });

    assertThat(result.handle((v, e) -> e).join()).isSameAs(io);
    assertThat(breaker.isOpen()).as("the trial failed").isTrue();
    assertThat(breaker.getStatus().trialCallsInFlight()).isZero();
    assertThat(breaker.callTotals().failed()).isEqualTo(3);
  }
}
