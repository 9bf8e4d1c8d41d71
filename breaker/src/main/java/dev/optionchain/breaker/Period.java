package dev.optionchain.breaker;

import java.time.Instant;

/**
 * One period of a breaker's life in one state: the immutable facts of the period plus the counters that matter only
 * while it lasts (consecutive failures, the rate window, trial permits). A breaker holds its current period in one
 * volatile field and moves to the next with a compare-and-set, so each transition happens once.
 *
 * <p>A call captures the period that admitted it and records its outcome there. An outcome that arrives after its
 * period ended changes only the breaker's lifetime totals: the ended period's counters are read by nobody, and a
 * transition it would cause fails its compare-and-set. That is what stops a slow call admitted while CLOSED from
 * counting against a later CLOSED period, or a late trial from closing a breaker that has re-opened.
 *
 * <p>Periods also form the ordered log of transitions: the thread that replaces a period links it to its successor
 * ({@link #next}), and listeners are delivered by walking that chain (see {@link Delivery}).
 */
abstract class Period {

  final CircuitBreakerState kind;

  /** Breaker-clock reading (precise) when the period began; back-dated to when it was due for lazy transitions. */
  final long enteredNanos;

  /** Wall-clock time the period began, for display. */
  final Instant enteredAt;

  /** Consecutive failed recoveries before this period; the exponent of the recovery backoff. */
  final int failedRecoveries;

  /** The origin of an adopted state, or null for a state this breaker decided itself. */
  final String origin;

  /**
   * Consecutive failures: counted while CLOSED, frozen while OPEN or HALF_OPEN (the failures that tripped the breaker
   * plus failed trials).
   */
  volatile int consecutiveFailures;

  /**
   * A call is admitted without further checks while {@code consecutiveFailures < admitLimit}: the whole CLOSED
   * admission is this one comparison. OPEN and HALF_OPEN set it to 0, so every call takes its period's gated path.
   * CLOSED sets it to the failure threshold, so that the very failure that reaches the threshold closes the gate
   * atomically, before the transition to OPEN is even made: with N threads at most {@code threshold + N - 1} calls
   * are ever admitted. A failure-rate policy sets it to {@link Integer#MAX_VALUE}; a ramp-up to 0 until it ends.
   */
  volatile int admitLimit;

  /** The transition that began this period; set before the period is published. */
  StateTransition cause;

  /**
   * The period that replaced this one, set once by the thread that replaced it; the delivery chain. Cleared once
   * delivered (see {@link Delivery}).
   */
  volatile Period next;

  Period(CircuitBreakerState kind, long enteredNanos, Instant enteredAt, int consecutiveFailures,
      int failedRecoveries, int admitLimit, String origin) {
    this.kind = kind;
    this.enteredNanos = enteredNanos;
    this.enteredAt = enteredAt;
    this.consecutiveFailures = consecutiveFailures;
    this.failedRecoveries = failedRecoveries;
    this.admitLimit = admitLimit;
    this.origin = origin;
  }

  /**
   * The gated admission of this state (the fast one is {@link CircuitBreaker#admit()}): returns this period if the call
   * is admitted, throws the rejection, or returns null after a transition, for the caller to retry on the new period.
   */
  abstract Period admitGated(BreakerCore b);

  /**
   * The period that is due at {@code now} without any call: HALF_OPEN once an OPEN period's recovery timeout has
   * elapsed (unless a trial gate must be asked first), OPEN once a HALF_OPEN period has outlived its maximum duration
   * with a trial still running. Returns this period when nothing is due. Readers report it without publishing it;
   * admissions and outcomes publish it.
   *
   * @param b the breaker
   * @param now a breaker-clock reading
   * @param gated whether to stop before a transition that needs the trial gate's permission
   */
  Period due(BreakerCore b, long now, boolean gated) {
    return this;
  }

  /** Records a success admitted in this period; {@code slow} only when slow calls are tracked on their own rate. */
  abstract void onSuccess(BreakerCore b, boolean slow, long now);

  /** Records a failure admitted in this period. */
  abstract void onFailure(BreakerCore b, boolean slow, long now);

  /** Records an ignored (or ignored-cancelled) call admitted in this period: gives its admission back. */
  void onIgnored(BreakerCore b, long now) {}

  /** The open time a trip from this period would use; for status and snapshots. */
  long nextOpenNanos(Rules r) {
    return r.openNanos(failedRecoveries);
  }
}
