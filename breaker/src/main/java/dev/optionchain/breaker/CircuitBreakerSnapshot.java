package dev.optionchain.breaker;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The persistent part of a breaker's state, from {@link CircuitBreaker#snapshot()}, to be stored and given back to
 * {@link CircuitBreaker#restore(CircuitBreakerSnapshot)}, possibly in another process. Instants are wall-clock time,
 * so a snapshot survives a restart.
 *
 * @param name the breaker's name
 * @param state the state
 * @param stateSince when the state was entered
 * @param failureCount the consecutive-failure count
 * @param openDuration when OPEN, how long the OPEN period lasts; otherwise the open time a trip would use next
 * @param failedRecoveries failed recoveries in a row (the recovery backoff's exponent)
 * @param forcedOpen whether the breaker is forced open
 * @param lastFailureTime the last failure, if any since reset
 */
public record CircuitBreakerSnapshot(
    String name,
    CircuitBreakerState state,
    Instant stateSince,
    int failureCount,
    Duration openDuration,
    int failedRecoveries,
    boolean forcedOpen,
    Optional<Instant> lastFailureTime) {

  /**
   * Validates the snapshot, which may come from storage.
   *
   * @param name the breaker's name
   * @param state the state
   * @param stateSince when the state was entered
   * @param failureCount the consecutive-failure count, at least 0
   * @param openDuration the open time, positive
   * @param failedRecoveries failed recoveries in a row, at least 0
   * @param forcedOpen whether the breaker is forced open; only with state OPEN
   * @param lastFailureTime the last failure, if any
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if a count is negative, the open time is not positive, or a state other than
   *     OPEN is forced open
   */
  public CircuitBreakerSnapshot {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(stateSince, "stateSince");
    Objects.requireNonNull(openDuration, "openDuration");
    Objects.requireNonNull(lastFailureTime, "lastFailureTime");
    if (failureCount < 0) {
      throw new IllegalArgumentException("failureCount must be >= 0, was " + failureCount);
    }
    if (failedRecoveries < 0) {
      throw new IllegalArgumentException("failedRecoveries must be >= 0, was " + failedRecoveries);
    }
    if (openDuration.isNegative() || openDuration.isZero()) {
      throw new IllegalArgumentException("openDuration must be positive, was " + openDuration);
    }
    if (forcedOpen && state != CircuitBreakerState.OPEN) {
      throw new IllegalArgumentException("forcedOpen requires state OPEN, was " + state);
    }
  }
}
