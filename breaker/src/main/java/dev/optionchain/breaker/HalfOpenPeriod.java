package dev.optionchain.breaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HALF_OPEN: up to {@code trialCalls} trials at once; {@code successesToClose} successes close the breaker, any failure
 * re-opens it. Once trials have been running without a pause for {@code halfOpenMaxDuration} (with the default single
 * trial: once the trial has run that long), the running trials count as failed and the breaker re-opens. That is
 * evaluated without a thread, by the next admission, outcome or read after that time.
 */
final class HalfOpenPeriod extends Period {

  private static final VarHandle BUSY_SINCE;

  static {
    try {
      BUSY_SINCE = MethodHandles.lookup().findVarHandle(HalfOpenPeriod.class, "busySince", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger successes = new AtomicInteger();
  private final long maxNanos;
  /**
   * Precise breaker-clock reading when the trials now running began to run without a pause; valid while any runs.
   * It only moves forward ({@link #startBusy}), so that it is never earlier than the start of the current stretch.
   */
  private volatile long busySince;

  HalfOpenPeriod(Rules r, long now, Instant at, int consecutiveFailures, int failedRecoveries) {
    super(CircuitBreakerState.HALF_OPEN, now, at, consecutiveFailures, failedRecoveries, 0, null);
    this.maxNanos = r.halfOpenMaxNanos;
    this.busySince = now;
  }

  @Override
  Period admitGated(BreakerCore b) {
    if (inFlight.get() > 0) {
      Period due = due(b, b.decisionNanos(), false);
      if (due != this) {
        b.transition(this, due, overdueReason());
        return null;
      }
    }
    for (;;) {
      int n = inFlight.get();
      if (n >= b.rules.trialCalls) {
        throw b.reject(CircuitBreakerState.HALF_OPEN, 0L);
      }
      if (n == 0) {
        startBusy(b.nanos()); // before the permit is taken: whoever sees a trial running sees when it began
      }
      if (inFlight.compareAndSet(n, n + 1)) {
        return this;
      }
    }
  }

  /** OPEN, dated when the maximum duration ran out, if trials have been running that long. */
  @Override
  Period due(BreakerCore b, long now, boolean gated) {
    if (inFlight.get() == 0) {
      return this;
    }
    long deadline = busySince + maxNanos;
    if (now - deadline < 0) {
      return this;
    }
    int recoveries = Rules.plusOne(failedRecoveries);
    return new OpenPeriod(b.rules.openNanos(recoveries), deadline, b.wall().minusNanos(now - deadline),
        Rules.plusOne(consecutiveFailures), recoveries, false, null);
  }

  @Override
  void onSuccess(BreakerCore b, boolean slow, long now) {
    if (overdue(b, now)) {
      return;
    }
    int n = successes.incrementAndGet();
    inFlight.decrementAndGet();
    if (n >= b.rules.successesToClose) {
      b.transition(this, new ClosedPeriod(b.rules, now, b.wall(), 0, true, failedRecoveries, null),
          n == 1 ? "trial call succeeded" : n + " trial calls succeeded");
    }
  }

  @Override
  void onFailure(BreakerCore b, boolean slow, long now) {
    if (overdue(b, now)) {
      return;
    }
    int recoveries = Rules.plusOne(failedRecoveries);
    b.transition(this, new OpenPeriod(b.rules.openNanos(recoveries), now, b.wall(),
        Rules.plusOne(consecutiveFailures), recoveries, false, null), "trial call failed");
  }

  @Override
  void onIgnored(BreakerCore b, long now) {
    if (!overdue(b, now)) {
      inFlight.decrementAndGet();
    }
  }

  @Override
  long nextOpenNanos(Rules r) {
    return r.openNanos(Rules.plusOne(failedRecoveries));
  }

  /**
   * Dates a busy stretch that may be starting: every thread that finds no trial running writes its clock reading
   * before competing for the first permit. The latest reading wins: a thread that read the clock, was preempted and
   * lost the permit must not date the winner's stretch back by its preemption (and fail its trial early).
   */
  private void startBusy(long now) {
    for (;;) {
      long since = busySince;
      if (now - since <= 0 || BUSY_SINCE.compareAndSet(this, since, now)) {
        return;
      }
    }
  }

  /** Trials running now. */
  int inFlight() {
    return inFlight.get();
  }

  /**
   * Whether this trial finished after the period's maximum duration: then it counted as failed when the time ran out,
   * and its own outcome is late. Makes that transition if nobody has yet.
   */
  private boolean overdue(BreakerCore b, long now) {
    Period due = due(b, now, false);
    if (due == this) {
      return false;
    }
    b.transition(this, due, overdueReason());
    return true;
  }

  private String overdueReason() {
    return "trial call did not finish within " + Duration.ofNanos(maxNanos);
  }
}
