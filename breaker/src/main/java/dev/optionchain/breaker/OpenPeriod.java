package dev.optionchain.breaker;

import java.time.Instant;

/**
 * OPEN: calls are rejected until the recovery timeout has elapsed on the breaker's clock (never before), or until
 * reset when forced. The first call after that moves the breaker to HALF_OPEN and becomes a trial, once the trial gate,
 * if any, allows it.
 *
 * <p>The rejection path reads the decision clock ({@link CircuitBreaker#decisionNanos()}), which for the system clock
 * is a coarse copy of {@link System#nanoTime()} that can only lag, so a decision can only be late, never early.
 */
final class OpenPeriod extends Period {

  /** How long this period lasts, after backoff. */
  final long openNanos;
  /** Breaker-clock reading from which a trial call is allowed. */
  final long openUntil;
  final boolean forced;

  OpenPeriod(long openNanos, long now, Instant at, int consecutiveFailures, int failedRecoveries, boolean forced,
      String origin) {
    super(CircuitBreakerState.OPEN, now, at, consecutiveFailures, failedRecoveries, 0, origin);
    this.openNanos = Math.min(openNanos, Rules.MAX_OPEN_NANOS);
    this.openUntil = now + this.openNanos;
    this.forced = forced;
  }

  /** Nanoseconds left until a trial is allowed; zero or negative once the recovery timeout has elapsed. */
  long remaining(long now) {
    return openUntil - now;
  }

  @Override
  Period admitGated(BreakerCore b) {
    if (forced) {
      throw b.reject(CircuitBreakerState.OPEN, b.rules.recoveryNanos);
    }
    long left = remaining(b.decisionNanos());
    if (left > 0) {
      throw b.reject(CircuitBreakerState.OPEN, left);
    }
    TrialGate gate = b.rules.gate;
    if (gate != null && !mayStartTrial(b, gate)) {
      throw b.reject(CircuitBreakerState.OPEN, gateRetryAfter(b, gate));
    }
    b.transition(this, due(b, openUntil, false), "recovery timeout elapsed");
    return null;
  }

  /**
   * HALF_OPEN, dated when the timeout elapsed rather than when someone noticed: that is when the breaker became
   * HALF_OPEN. With a trial gate, readers ({@code gated}) keep reporting OPEN until a call is let through.
   */
  @Override
  Period due(BreakerCore b, long now, boolean gated) {
    if (forced || remaining(now) > 0 || gated && b.rules.gate != null) {
      return this;
    }
    return new HalfOpenPeriod(b.rules, openUntil, enteredAt.plusNanos(openNanos), consecutiveFailures,
        failedRecoveries);
  }

  @Override
  void onSuccess(BreakerCore b, boolean slow, long now) {
    // an outcome admitted in an earlier period: only the lifetime totals count it
  }

  @Override
  void onFailure(BreakerCore b, boolean slow, long now) {
    // as above
  }

  @Override
  long nextOpenNanos(Rules r) {
    return openNanos;
  }

  private static boolean mayStartTrial(BreakerCore b, TrialGate gate) {
    try {
      return gate.mayStartTrial(b.name);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      b.callbackFailures.report("trial gate " + gate + " failed; starting the trial without it", b.nanos(), t);
      return true;
    }
  }

  private static long gateRetryAfter(BreakerCore b, TrialGate gate) {
    try {
      return gate.retryAfter().toNanos();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      b.callbackFailures.report("trial gate " + gate + " failed to give a retry-after; using 1 s", b.nanos(), t);
      return 1_000_000_000L;
    }
  }
}
