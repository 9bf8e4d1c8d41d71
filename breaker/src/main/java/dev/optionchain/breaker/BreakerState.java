package dev.optionchain.breaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One period of a breaker's life in one state. A breaker holds exactly one current period in a volatile field and
 * moves to the next by replacing it under its transition lock.
 *
 * <p>A period is created fresh for every transition and carries the counters that only matter while it lasts
 * (consecutive failures, the rate window, trial permits). A call remembers the period that admitted it and records
 * its outcome there, so an outcome that arrives after the period ended lands in a period nobody looks at any more:
 * this is the generation guard that stops a slow call admitted while CLOSED from re-opening a breaker that has since
 * recovered, or a late trial from closing a breaker that has re-opened.
 */
abstract class BreakerState {

  final CircuitBreakerState kind;

  /** Decision-clock reading when the period began. */
  final long enteredTicks;

  /**
   * Consecutive failures: counted while CLOSED, frozen while OPEN or HALF_OPEN (the failures that tripped the breaker
   * plus failed trials).
   */
  volatile int consecutiveFailures;

  /**
   * A call is admitted without further checks while {@code consecutiveFailures < admitLimit}. OPEN and HALF_OPEN set
   * it to 0, so every call takes the gated path. CLOSED sets it to the failure threshold (consecutive mode) so that the
   * very failure that reaches the threshold closes the gate atomically, before the transition to OPEN is even made:
   * with N threads at most {@code threshold + N - 1} calls are ever admitted. Rate mode sets it to
   * {@link Integer#MAX_VALUE}. While ramping up it is 0 until the ramp ends.
   */
  volatile int admitLimit;

  /** Wall-clock time the period began; set under the transition lock before the period is published. */
  Instant enteredAt;

  /** Consecutive failed recoveries before this period; the exponent of the recovery backoff. */
  final int failedRecoveries;

  BreakerState(CircuitBreakerState kind, long enteredTicks, int consecutiveFailures, int failedRecoveries,
      int admitLimit) {
    this.kind = kind;
    this.enteredTicks = enteredTicks;
    this.consecutiveFailures = consecutiveFailures;
    this.failedRecoveries = failedRecoveries;
    this.admitLimit = admitLimit;
  }

  /** CLOSED: calls pass; failures are counted toward the threshold or the rate window. */
  static final class Closed extends BreakerState {
    private static final VarHandle FAILURES;

    static {
      try {
        FAILURES = MethodHandles.lookup().findVarHandle(BreakerState.class, "consecutiveFailures", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    /** The rate window of this period, or null in consecutive mode. */
    final RateWindow window;

    /** The consecutive-failure count that trips this period; {@link Integer#MAX_VALUE} in rate mode. */
    final int tripAt;

    private final long rampNanos;
    private final AtomicLong rampCalls;
    private volatile boolean ramping;

    Closed(long now, int consecutiveFailures, int tripAt, RateWindow window, long rampNanos, int failedRecoveries) {
      super(CircuitBreakerState.CLOSED, now, consecutiveFailures, failedRecoveries, rampNanos > 0 ? 0 : tripAt);
      this.tripAt = tripAt;
      this.window = window;
      this.rampNanos = rampNanos;
      this.rampCalls = rampNanos > 0 ? new AtomicLong() : null;
      this.ramping = rampNanos > 0;
    }

    /** Whether the failure that reached the threshold has been counted and the trip is under way. */
    boolean tripping() {
      return consecutiveFailures >= tripAt;
    }

    /** Adds one consecutive failure and returns the new count. */
    int addFailure() {
      return (int) FAILURES.getAndAdd(this, 1) + 1;
    }

    /**
     * A success resets the consecutive count. The field is read, and written only when it is neither zero (the common
     * case: no write at all) nor at the threshold: once the threshold is reached the breaker has tripped and a late
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

    boolean ramping() {
      return ramping;
    }

    /** Share of calls admitted at {@code now}: 10% right after closing, growing linearly to 100%. */
    double share(long now) {
      if (!ramping()) {
        return 1.0;
      }
      double progress = (double) (now - enteredTicks) / rampNanos;
      return progress >= 1.0 ? 1.0 : 0.1 + 0.9 * Math.max(0.0, progress);
    }

    /**
     * Decides whether a call is admitted while ramping; ends the ramp when its time is over. Admission is
     * deterministic: the n-th call is admitted when {@code ceil(n * share)} grows, so the first call after closing
     * goes through and, at share s, one call in 1/s does.
     */
    boolean rampAdmits(long now) {
      if (!ramping) {
        return true;
      }
      if (now - enteredTicks >= rampNanos) {
        ramping = false;
        admitLimit = tripAt;
        return true;
      }
      double share = share(now);
      long n = rampCalls.incrementAndGet();
      return Math.ceil(n * share) > Math.ceil((n - 1) * share);
    }

    /** Time for the admitted share to grow by a tenth, bounded by the end of the ramp. */
    long rampRetryAfter(long now) {
      long left = rampNanos - (now - enteredTicks);
      return Math.max(0L, Math.min(left, rampNanos / 10));
    }
  }

  /** OPEN: calls are rejected until {@link #openUntil}, or until reset when forced. */
  static final class Open extends BreakerState {
    /** Decision-clock reading from which a trial call is allowed. */
    final long openUntil;
    /** How long this period lasts, after backoff. */
    final long openNanos;
    final boolean forced;

    Open(long now, long openNanos, int consecutiveFailures, int failedRecoveries, boolean forced) {
      super(CircuitBreakerState.OPEN, now, consecutiveFailures, failedRecoveries, 0);
      this.openNanos = openNanos;
      this.openUntil = now + openNanos;
      this.forced = forced;
    }

    /** Nanoseconds left until a trial is allowed; zero or negative once the recovery timeout has elapsed. */
    long remaining(long now) {
      return openUntil - now;
    }
  }

  /** HALF_OPEN: up to {@code trialCalls} trials at once; enough successes close, any failure re-opens. */
  static final class HalfOpen extends BreakerState {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger successes = new AtomicInteger();

    HalfOpen(long now, int consecutiveFailures, int failedRecoveries) {
      super(CircuitBreakerState.HALF_OPEN, now, consecutiveFailures, failedRecoveries, 0);
    }

    boolean tryAcquire(int permits) {
      for (;;) {
        int n = inFlight.get();
        if (n >= permits) {
          return false;
        }
        if (inFlight.compareAndSet(n, n + 1)) {
          return true;
        }
      }
    }

    void release() {
      inFlight.decrementAndGet();
    }

    /** Records a successful trial and returns the number so far. */
    int succeed() {
      int n = successes.incrementAndGet();
      release();
      return n;
    }

    int inFlight() {
      return inFlight.get();
    }
  }
}
