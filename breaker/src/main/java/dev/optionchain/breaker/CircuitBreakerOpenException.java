package dev.optionchain.breaker;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown (or, from {@link CircuitBreaker#callAsync}, returned as a failed future) when a breaker rejects a call
 * without invoking it.
 *
 * <p>To keep rejection cheap the exception has no stack trace and builds its message only when asked. It carries the
 * breaker's name, the state that caused the rejection and how long to wait before a call can be admitted:
 *
 * <ul>
 *   <li>{@link CircuitBreakerState#OPEN}: the time left until the recovery timeout ends and a trial call is allowed
 *       (for a breaker forced open, the configured recovery timeout, as a hint: it stays open until reset);
 *   <li>{@link CircuitBreakerState#HALF_OPEN}: zero, a trial call is already running and its outcome is imminent;
 *   <li>{@link CircuitBreakerState#CLOSED}: the breaker is ramping traffic back up after recovering and this call fell
 *       outside the admitted share; the time until the share grows by a tenth.
 * </ul>
 */
public final class CircuitBreakerOpenException extends CircuitBreakerException {

  private static final long serialVersionUID = 1L;

  /** The name of the breaker that rejected the call. */
  private final String breakerName;
  /** The state that caused the rejection. */
  private final CircuitBreakerState state;
  /** How long until a call can be admitted, in nanoseconds; never negative. */
  private final long retryAfterNanos;

  /**
   * Creates a rejection.
   *
   * @param breakerName the rejecting breaker's name
   * @param state the state that caused the rejection
   * @param retryAfter how long until a call can be admitted; negative values are treated as zero
   */
  public CircuitBreakerOpenException(String breakerName, CircuitBreakerState state, Duration retryAfter) {
    this(breakerName, state, saturatedNanos(retryAfter));
  }

  CircuitBreakerOpenException(String breakerName, CircuitBreakerState state, long retryAfterNanos) {
    super(null, null, false, false);
    this.breakerName = Objects.requireNonNull(breakerName, "breakerName");
    this.state = Objects.requireNonNull(state, "state");
    this.retryAfterNanos = Math.max(0L, retryAfterNanos);
  }

  /**
   * Returns the name of the breaker that rejected the call.
   *
   * @return the breaker's name
   */
  public String breakerName() {
    return breakerName;
  }

  /**
   * Returns the state that caused the rejection: {@code OPEN}, {@code HALF_OPEN} when a trial is already running,
   * or {@code CLOSED} while traffic is ramping up after a recovery.
   *
   * @return the rejecting state
   */
  public CircuitBreakerState state() {
    return state;
  }

  /**
   * Returns how long to wait before a call can be admitted; zero when {@code HALF_OPEN}.
   *
   * @return a non-negative duration
   */
  public Duration retryAfter() {
    return Duration.ofNanos(retryAfterNanos);
  }

  @Override
  public String getMessage() {
    String base = "CircuitBreaker '" + breakerName + "' is " + state;
    switch (state) {
      case HALF_OPEN:
        return base + " and its trial call is in progress; call not permitted";
      case CLOSED:
        return base + " but ramping up after recovery; call not permitted, retry after " + retryAfter();
      default:
        return base + "; call not permitted, retry after " + retryAfter();
    }
  }

  private static long saturatedNanos(Duration d) {
    Objects.requireNonNull(d, "retryAfter");
    try {
      return d.toNanos();
    } catch (ArithmeticException overflow) {
      return d.isNegative() ? 0L : Long.MAX_VALUE;
    }
  }
}
