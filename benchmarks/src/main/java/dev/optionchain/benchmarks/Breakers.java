package dev.optionchain.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerConfig;
import dev.optionchain.breaker.CircuitBreakerState;
import dev.optionchain.breaker.SlidingWindow;
import dev.optionchain.breaker.TripPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The breakers under test, configured alike where the libraries allow it: trip at 50% failures over the last 100
 * calls (or 10 s) with at least 100 calls, or after 1 000 consecutive failures; stay open an hour. None of these
 * thresholds is reached by the benchmarks' 10% failures, which {@link #requireState} checks after every trial.
 */
final class Breakers {

  static final String NAME = "bench";
  static final Duration OPEN_FOR = Duration.ofHours(1);

  private Breakers() {}

  // ------------------------------------------------------------------------------------------------ ours

  /** Consecutive mode: trips after 1 000 consecutive failures. */
  static CircuitBreaker oursConsecutive() {
    return CircuitBreaker.of(NAME, CircuitBreakerConfig.builder()
        .failureThreshold(1_000)
        .recoveryTimeout(OPEN_FOR)
        .build());
  }

  /** Count-window rate mode: 50% over the last 100 calls. */
  static CircuitBreaker oursCountRate() {
    return CircuitBreaker.of(NAME, CircuitBreakerConfig.builder()
        .tripPolicy(TripPolicy.failureRate(50, SlidingWindow.ofCalls(100), 100))
        .recoveryTimeout(OPEN_FOR)
        .build());
  }

  /** Time-window rate mode: 50% over the last 10 s (10 buckets). */
  static CircuitBreaker oursTimeRate() {
    return CircuitBreaker.of(NAME, CircuitBreakerConfig.builder()
        .tripPolicy(TripPolicy.failureRate(50, SlidingWindow.ofTime(Duration.ofSeconds(10)), 100))
        .recoveryTimeout(OPEN_FOR)
        .build());
  }

  /** Subscribes a listener of the kind a metrics binding adds: counts transitions. */
  static void listen(CircuitBreaker breaker, LongAdder transitions) {
    breaker.onStateTransition(event -> transitions.increment());
  }

  // ------------------------------------------------------------------------------------------------ Resilience4j

  /** Resilience4j's defaults: COUNT_BASED window of 100 calls, 50%, minimum 100 calls, SYNCHRONIZED window. */
  static io.github.resilience4j.circuitbreaker.CircuitBreaker r4jDefault() {
    return r4j(io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom());
  }

  /** TIME_BASED window of 10 s. */
  static io.github.resilience4j.circuitbreaker.CircuitBreaker r4jTime() {
    return r4j(io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
        .slidingWindowType(SlidingWindowType.TIME_BASED)
        .slidingWindowSize(10));
  }

  /** The default COUNT_BASED window with the LOCK_FREE synchronization strategy. */
  static io.github.resilience4j.circuitbreaker.CircuitBreaker r4jLockFree() {
    return r4j(io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
        .slidingWindowSynchronizationStrategy(SlidingWindowSynchronizationStrategy.LOCK_FREE));
  }

  /** Defaults, but rejections without a stack trace. */
  static io.github.resilience4j.circuitbreaker.CircuitBreaker r4jStackless() {
    return r4j(io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
        .writableStackTraceEnabled(false));
  }

  static io.github.resilience4j.circuitbreaker.CircuitBreaker r4j(
      io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.Builder config) {
    return io.github.resilience4j.circuitbreaker.CircuitBreaker.of(NAME, config
        .waitDurationInOpenState(OPEN_FOR)
        .permittedNumberOfCallsInHalfOpenState(1)
        .build());
  }

  static void listen(io.github.resilience4j.circuitbreaker.CircuitBreaker breaker, LongAdder transitions) {
    breaker.getEventPublisher().onStateTransition(event -> transitions.increment());
  }

  // ------------------------------------------------------------------------------------------------ Failsafe

  /** Failsafe's defaults (trips on 1 failure), with a one-hour delay. */
  static dev.failsafe.CircuitBreaker<Object> failsafeDefault(LongAdder transitions) {
    return failsafe(dev.failsafe.CircuitBreaker.builder(), transitions);
  }

  /** 50 failures among the last 100 executions: Failsafe's count-based rate. */
  static dev.failsafe.CircuitBreaker<Object> failsafeCount(LongAdder transitions) {
    return failsafe(dev.failsafe.CircuitBreaker.builder().withFailureThreshold(50, 100), transitions);
  }

  private static dev.failsafe.CircuitBreaker<Object> failsafe(dev.failsafe.CircuitBreakerBuilder<Object> builder,
      LongAdder transitions) {
    builder.withDelay(OPEN_FOR);
    if (transitions != null) {
      builder.onOpen(event -> transitions.increment())
          .onHalfOpen(event -> transitions.increment())
          .onClose(event -> transitions.increment());
    }
    return builder.build();
  }

  static FailsafeExecutor<Object> executor(dev.failsafe.CircuitBreaker<Object> breaker) {
    return Failsafe.with(breaker);
  }

  // ------------------------------------------------------------------------------------------------ naive

  static NaiveLockBreaker naive() {
    return new NaiveLockBreaker(NAME, 1_000, TimeUnit.HOURS.toNanos(1));
  }

  // ------------------------------------------------------------------------------------------------ checks

  /** Throws unless {@code actual} is {@code expected}: a setup that let a breaker change state measures nothing. */
  static void requireState(String which, Object expected, Object actual) {
    if (!String.valueOf(expected).equals(String.valueOf(actual))) {
      throw new IllegalStateException(which + " is " + actual + ", expected " + expected
          + ": the benchmark did not measure what it claims");
    }
  }

  static void requireClosed(String which, CircuitBreaker breaker) {
    requireState(which, CircuitBreakerState.CLOSED, breaker.getState());
  }

  static void requireClosed(String which, io.github.resilience4j.circuitbreaker.CircuitBreaker breaker) {
    requireState(which, io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED, breaker.getState());
  }

  static void requireClosed(String which, dev.failsafe.CircuitBreaker<?> breaker) {
    requireState(which, dev.failsafe.CircuitBreaker.State.CLOSED, breaker.getState());
  }

  static void requireClosed(String which, NaiveLockBreaker breaker) {
    requireState(which, NaiveLockBreaker.State.CLOSED, breaker.state());
  }
}
