package dev.optionchain.dashboard.history;

import dev.optionchain.breaker.CircuitBreakerSnapshot;
import dev.optionchain.breaker.CircuitBreakerState;
import dev.optionchain.breaker.StateTransition;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One persisted state transition, with what is needed to bring the breaker back to the state it led to.
 *
 * @param breaker the breaker's name
 * @param from the state before
 * @param to the state after
 * @param at when it happened
 * @param reason why
 * @param failureCount the consecutive-failure count after the transition
 * @param openDuration the open time of the state entered (or of the next OPEN period)
 * @param failedRecoveries failed recoveries in a row, the backoff's exponent
 * @param forced whether the breaker was forced open
 * @param lastFailure the last failure before the transition, if any
 * @param origin the fleet instance whose decision this breaker adopted; empty for its own decision
 */
public record TransitionRecord(
    String breaker, CircuitBreakerState from, CircuitBreakerState to, Instant at, String reason,
    int failureCount, Duration openDuration, int failedRecoveries, boolean forced, Optional<Instant> lastFailure,
    Optional<String> origin) {

  /** Checks the components. */
  public TransitionRecord {
    Objects.requireNonNull(breaker, "breaker");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(openDuration, "openDuration");
    Objects.requireNonNull(lastFailure, "lastFailure");
    Objects.requireNonNull(origin, "origin");
  }

  /**
   * A record of this breaker's own decision (no origin).
   *
   * @param breaker the breaker's name
   * @param from the state before
   * @param to the state after
   * @param at when it happened
   * @param reason why
   * @param failureCount the consecutive-failure count after the transition
   * @param openDuration the open time of the state entered
   * @param failedRecoveries failed recoveries in a row
   * @param forced whether the breaker was forced open
   * @param lastFailure the last failure before the transition, if any
   */
  public TransitionRecord(String breaker, CircuitBreakerState from, CircuitBreakerState to, Instant at, String reason,
      int failureCount, Duration openDuration, int failedRecoveries, boolean forced, Optional<Instant> lastFailure) {
    this(breaker, from, to, at, reason, failureCount, openDuration, failedRecoveries, forced, lastFailure,
        Optional.empty());
  }

  /**
   * Combines a transition with the snapshot of its breaker taken right after it.
   *
   * @param t the transition
   * @param s the breaker's snapshot, taken in the transition listener
   * @return the record
   */
  public static TransitionRecord of(StateTransition t, CircuitBreakerSnapshot s) {
    return new TransitionRecord(t.breakerName(), t.from(), t.to(), t.at(), t.reason(), s.failureCount(),
        s.openDuration(), s.failedRecoveries(), s.forcedOpen(), s.lastFailureTime(), t.origin());
  }

  /**
   * Returns the snapshot that restores the state this transition led to: entered at {@link #at}.
   *
   * @return a snapshot for {@link dev.optionchain.breaker.CircuitBreaker#restore}
   */
  public CircuitBreakerSnapshot snapshot() {
    return new CircuitBreakerSnapshot(breaker, to, at, failureCount, openDuration, failedRecoveries,
        forced && to == CircuitBreakerState.OPEN, lastFailure);
  }
}
