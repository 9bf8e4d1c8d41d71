package dev.optionchain.breaker;

import java.time.Duration;
import java.util.OptionalDouble;

/**
 * A breaker's configuration turned into the plain values its paths test: nanoseconds instead of durations, flags
 * instead of optionals. Immutable; computed once per breaker.
 */
final class Rules {

  /** The open time of a period longer than this is cut to it: 73 years, far from any overflow. */
  static final long MAX_OPEN_NANOS = Long.MAX_VALUE / 4;

  final CircuitBreakerConfig config;
  /** Consecutive failures that trip; {@link Integer#MAX_VALUE} under a failure-rate policy. */
  final int tripAt;
  /**
   * The most the consecutive count reaches: {@link Integer#MAX_VALUE}, or one less under a failure-rate policy, whose
   * count (shown in the status) must never close the CLOSED gate at {@code tripAt}.
   */
  final int maxConsecutive;
  /** The failure-rate policy, or null. */
  final TripPolicy.FailureRate rate;
  /** Calls are timed for slow-call detection. */
  final boolean timed;
  final long slowNanos;
  /** Slow calls are tracked on their own rate instead of counting as failures. */
  final boolean slowTracked;
  /**
   * A CLOSED success needs nothing but counting: no timing, no result predicate, and no time window (a count window
   * only counts it too).
   */
  final boolean plainSuccess;
  final boolean exceptionPredicates;
  final boolean resultPredicate;
  final long recoveryNanos;
  final long maxRecoveryNanos;
  final double backoff;
  final long rampNanos;
  final long halfOpenMaxNanos;
  final int trialCalls;
  final int successesToClose;
  final boolean cancellationFails;
  /** The trial gate, or null. */
  final TrialGate gate;

  Rules(CircuitBreakerConfig c) {
    this.config = c;
    this.rate = c.tripPolicy() instanceof TripPolicy.FailureRate ? (TripPolicy.FailureRate) c.tripPolicy() : null;
    this.tripAt = rate == null ? c.failureThreshold() : Integer.MAX_VALUE;
    this.maxConsecutive = rate == null ? Integer.MAX_VALUE : Integer.MAX_VALUE - 1;
    this.timed = c.slowCallDuration().isPresent();
    this.slowNanos = c.slowCallDuration().map(Duration::toNanos).orElse(Long.MAX_VALUE);
    this.slowTracked = rate != null && rate.slowCallRateThreshold().isPresent();
    this.exceptionPredicates = c.hasExceptionPredicates();
    this.resultPredicate = c.hasResultPredicate();
    this.plainSuccess = !timed && !resultPredicate
        && (rate == null || rate.window() instanceof SlidingWindow.Calls);
    this.recoveryNanos = c.recoveryTimeout().toNanos();
    this.maxRecoveryNanos = c.maxRecoveryTimeout().toNanos();
    this.backoff = c.backoffMultiplier();
    this.rampNanos = c.rampUp().toNanos();
    this.halfOpenMaxNanos = c.halfOpenMaxDuration().toNanos();
    this.trialCalls = c.trialCalls();
    this.successesToClose = c.successesToClose();
    this.cancellationFails = c.cancellationPolicy() == CancellationPolicy.COUNT_AS_FAILURE;
    this.gate = c.trialGate().orElse(null);
  }

  /**
   * Open time after {@code failedRecoveries} failed recoveries in a row: the recovery timeout grown by the backoff,
   * saturating at the cap for any count (even {@link Integer#MAX_VALUE}).
   */
  long openNanos(int failedRecoveries) {
    if (failedRecoveries <= 0 || backoff == 1.0) {
      return recoveryNanos;
    }
    double grown = recoveryNanos * Math.pow(backoff, failedRecoveries);
    return grown >= maxRecoveryNanos ? maxRecoveryNanos : (long) grown;
  }

  /** The failure-rate threshold, when the policy is a rate. */
  OptionalDouble failureRateThreshold() {
    return rate == null ? OptionalDouble.empty() : OptionalDouble.of(rate.failureRateThreshold());
  }

  /** {@code n + 1}, saturating at {@link Integer#MAX_VALUE}. */
  static int plusOne(int n) {
    return n == Integer.MAX_VALUE ? n : n + 1;
  }
}
