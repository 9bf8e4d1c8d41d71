package dev.optionchain.breaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CLOSED: calls pass; failures count toward the consecutive threshold or the period's own rate window. After a
 * recovery with ramp-up, only a growing share of calls is admitted until the ramp ends.
 *
 * <p>The admission of a CLOSED call is {@link CircuitBreaker#admit()}'s single comparison; only a breaker that is
 * tripping or ramping comes here.
 */
final class ClosedPeriod extends Period {

  private static final VarHandle FAILURES;

  static {
    try {
      FAILURES = MethodHandles.lookup().findVarHandle(Period.class, "consecutiveFailures", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The consecutive-failure count that trips this period; {@link Integer#MAX_VALUE} under a rate policy. */
  final int tripAt;
  /** This period's rate window, or null under the consecutive policy. */
  final RateWindow window;

  private final long rampNanos;
  private final AtomicLong rampCalls;
  private volatile boolean ramping;

  ClosedPeriod(Rules r, long now, Instant at, int consecutiveFailures, boolean ramp, int failedRecoveries,
      String origin) {
    super(CircuitBreakerState.CLOSED, now, at, consecutiveFailures, failedRecoveries,
        ramp && r.rampNanos > 0 ? 0 : r.tripAt, origin);
    this.tripAt = r.tripAt;
    this.window = r.rate == null ? null : RateWindow.create(r.rate, r.slowTracked, now);
    this.rampNanos = ramp ? r.rampNanos : 0L;
    this.rampCalls = rampNanos > 0 ? new AtomicLong() : null;
    this.ramping = rampNanos > 0;
  }

  /** A fresh CLOSED period: no failures, no ramp, no failed recoveries. */
  static ClosedPeriod fresh(BreakerCore b, long now, Instant at, String origin) {
    return new ClosedPeriod(b.rules, now, at, 0, false, 0, origin);
  }

  @Override
  Period admitGated(BreakerCore b) {
    if (consecutiveFailures >= tripAt) {
      // the failure that reached the threshold is being turned into OPEN by its thread; make sure it happens
      trip(b, consecutiveFailuresReason(consecutiveFailures));
      return null;
    }
    long now = b.nanos();
    if (rampAdmits(now)) {
      return this;
    }
    throw b.reject(CircuitBreakerState.CLOSED, rampRetryAfter(now));
  }

  @Override
  void onSuccess(BreakerCore b, boolean slow, long now) {
    clearFailures();
    if (window != null) {
      String reason = slow ? window.slowSuccess(now) : window.success(now);
      if (reason != null) {
        trip(b, reason);
      }
    }
  }

  @Override
  void onFailure(BreakerCore b, boolean slow, long now) {
    int consecutive = countFailure(b.rules.maxConsecutive);
    String reason;
    if (window != null) {
      reason = window.failure(slow, now);
    } else {
      reason = consecutive >= tripAt ? consecutiveFailuresReason(consecutive) : null;
    }
    if (reason != null) {
      trip(b, reason);
    }
  }

  /**
   * Adds a failure to the consecutive count, saturating at {@code max} instead of wrapping negative: past
   * {@link Integer#MAX_VALUE} under the consecutive policy; one below it under a rate policy, whose count is only
   * shown and must never reach the gate's {@code admitLimit} of {@link Integer#MAX_VALUE}.
   */
  private int countFailure(int max) {
    for (;;) {
      int n = consecutiveFailures;
      if (n >= max) {
        return n;
      }
      if (FAILURES.compareAndSet(this, n, n + 1)) {
        return n + 1;
      }
    }
  }

  /**
   * A success resets the consecutive count. The field is read, and written only when it is neither zero (the common
   * case: no write at all) nor at the threshold: once the threshold is reached the breaker is tripping and a late
   * success must not re-open the gate.
   */
  void clearFailures() {
    for (;;) {
      int n = consecutiveFailures;
      if (n == 0 || n >= tripAt || FAILURES.compareAndSet(this, n, 0)) {
        return;
      }
    }
  }

  /**
   * Replaces this period by OPEN, timed from a fresh reading of the precise clock (a trip is rare; the OPEN period must
   * never be dated earlier than the trip). A trip during ramp-up is a failed recovery and grows the open time.
   */
  void trip(BreakerCore b, String reason) {
    long now = b.nanos();
    boolean rampingUp = ramping;
    int recoveries = rampingUp ? Rules.plusOne(failedRecoveries) : 0;
    b.transition(this, new OpenPeriod(b.rules.openNanos(recoveries), now, b.wall(), consecutiveFailures, recoveries,
        false, null), rampingUp ? reason + " during ramp-up" : reason);
  }

  @Override
  long nextOpenNanos(Rules r) {
    return r.openNanos(ramping ? Rules.plusOne(failedRecoveries) : 0);
  }

  static String consecutiveFailuresReason(int n) {
    return n == 1 ? "1 consecutive failure" : n + " consecutive failures";
  }

  // ------------------------------------------------------------------------------------------------ ramp-up

  /** Share of calls admitted at {@code now}: 10% right after closing, growing linearly to 100%. */
  double share(long now) {
    if (!ramping) {
      return 1.0;
    }
    double progress = (double) (now - enteredNanos) / rampNanos;
    return progress >= 1.0 ? 1.0 : 0.1 + 0.9 * Math.max(0.0, progress);
  }

  /**
   * Decides whether a call is admitted while ramping; ends the ramp when its time is over. Admission is
   * deterministic: the n-th call is admitted when {@code ceil(n * share)} grows, so the first call after closing
   * goes through and, at share s, one call in 1/s does.
   */
  private boolean rampAdmits(long now) {
    if (!ramping) {
      return true;
    }
    if (now - enteredNanos >= rampNanos) {
      ramping = false;
      admitLimit = tripAt;
      return true;
    }
    double share = share(now);
    long n = rampCalls.incrementAndGet();
    return Math.ceil(n * share) > Math.ceil((n - 1) * share);
  }

  /** Time for the admitted share to grow by a tenth, bounded by the end of the ramp. */
  private long rampRetryAfter(long now) {
    long left = rampNanos - (now - enteredNanos);
    return Math.max(0L, Math.min(left, rampNanos / 10));
  }
}
