package dev.optionchain.breaker;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of a breaker's state, as delivered to {@link CircuitBreaker#onStateTransition} listeners and logged.
 *
 * @param breakerName the breaker's name
 * @param from the state before the transition
 * @param to the state after the transition
 * @param at when the transition happened, read from the breaker's {@link BreakerClock#now()}
 * @param reason a short human-readable cause, e.g. {@code "5 consecutive failures"}, {@code "recovery timeout
 *     elapsed"}, {@code "trial call succeeded"}, {@code "reset"}
 */
public record StateTransition(
    String breakerName, CircuitBreakerState from, CircuitBreakerState to, Instant at, String reason) {

  /** Checks that no component is {@code null}. */
  public StateTransition {
    Objects.requireNonNull(breakerName, "breakerName");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return at + " CircuitBreaker '" + breakerName + "' " + from + " -> " + to + " (" + reason + ")";
  }
}
