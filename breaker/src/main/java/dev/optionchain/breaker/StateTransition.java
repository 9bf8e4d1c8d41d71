package dev.optionchain.breaker;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One change of a breaker's state, as delivered to {@link CircuitBreaker#onStateTransition} listeners and logged.
 *
 * @param breakerName the breaker's name
 * @param from the state before the transition
 * @param to the state after the transition
 * @param at when the transition happened, read from the breaker's {@link BreakerClock#now()}; an OPEN -> HALF_OPEN
 *     transition is dated when the recovery timeout elapsed, whenever it was noticed
 * @param reason a short human-readable cause, e.g. {@code "5 consecutive failures"}, {@code "recovery timeout
 *     elapsed"}, {@code "trial call succeeded"}, {@code "reset"}
 * @param origin for a transition adopted from a decision made elsewhere ({@link CircuitBreaker#adoptOpen},
 *     {@link CircuitBreaker#adoptClosed}), the opaque origin given there (e.g. another instance's id); empty for a
 *     transition this breaker decided itself
 */
public record StateTransition(
    String breakerName, CircuitBreakerState from, CircuitBreakerState to, Instant at, String reason,
    Optional<String> origin) {

  /**
   * Checks that no component is {@code null}.
   *
   * @param breakerName the breaker's name
   * @param from the state before the transition
   * @param to the state after the transition
   * @param at when the transition happened
   * @param reason a short human-readable cause
   * @param origin the origin of an adopted transition, or empty
   * @throws NullPointerException if a component is null
   */
  public StateTransition {
    Objects.requireNonNull(breakerName, "breakerName");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(origin, "origin");
  }

  /**
   * A transition the breaker decided itself (no origin).
   *
   * @param breakerName the breaker's name
   * @param from the state before the transition
   * @param to the state after the transition
   * @param at when the transition happened
   * @param reason a short human-readable cause
   */
  public StateTransition(String breakerName, CircuitBreakerState from, CircuitBreakerState to, Instant at,
      String reason) {
    this(breakerName, from, to, at, reason, Optional.empty());
  }

  /**
   * Returns whether the transition was adopted from a decision made elsewhere rather than decided by this breaker.
   *
   * @return {@code origin().isPresent()}
   */
  public boolean adopted() {
    return origin.isPresent();
  }

  @Override
  public String toString() {
    return at + " CircuitBreaker '" + breakerName + "' " + from + " -> " + to + " (" + reason + ")"
        + origin.map(o -> " adopted from " + o).orElse("");
  }
}
