package dev.optionchain.breaker;

import java.util.concurrent.CancellationException;
import java.util.function.Predicate;

/**
 * Turns what a call did into an outcome and records it: in the breaker's lifetime totals, then in the period that
 * admitted the call (which ignores it if that period has ended). A plain CLOSED success never comes here: see
 * {@link CircuitBreaker#onValue}.
 *
 * <p>Classification: a {@link CancellationException} counts as the {@link CancellationPolicy} says; then
 * {@code ignoreExceptions} selects ignored calls, {@code recordExceptions} failures, and other exceptions are
 * successes; a value selected by {@code recordResult} is a failure. A call that is not ignored and took at least
 * {@code slowCallDuration} is slow: a failure, unless the failure-rate policy tracks slow calls on their own rate.
 * Ignored calls are never slow.
 */
final class Outcomes {

  // lifetime counter kinds
  static final int SUCCESS = 0;
  static final int FAILURE = 1;
  static final int REJECTED = 2;
  static final int IGNORED = 3;
  static final int SLOW = 4;

  private Outcomes() {}

  /** A call that returned {@code value}, started at {@code start} (0 unless timed). */
  static void value(BreakerCore b, Period p, Object value, long start) {
    Rules r = b.rules;
    boolean slow = r.timed && b.nanos() - start >= r.slowNanos;
    boolean failed = r.resultPredicate && test(b, r.config.recordResult(), value, "recordResult", true);
    record(b, p, failed ? FAILURE : SUCCESS, slow);
  }

  /** A call that threw {@code error} (or whose stage failed with it). */
  static void error(BreakerCore b, Period p, Throwable error, long start) {
    Rules r = b.rules;
    int outcome;
    if (error instanceof CancellationException) {
      outcome = r.cancellationFails ? FAILURE : IGNORED;
    } else if (!r.exceptionPredicates) {
      outcome = FAILURE;
    } else if (test(b, r.config.ignoreExceptions(), error, "ignoreExceptions", false)) {
      outcome = IGNORED;
    } else {
      outcome = test(b, r.config.recordExceptions(), error, "recordExceptions", true) ? FAILURE : SUCCESS;
    }
    boolean slow = outcome != IGNORED && r.timed && b.nanos() - start >= r.slowNanos;
    record(b, p, outcome, slow);
  }

  /** A call whose returned future was cancelled by its caller before it completed. */
  static void cancelled(BreakerCore b, Period p) {
    record(b, p, b.rules.cancellationFails ? FAILURE : IGNORED, false);
  }

  private static void record(BreakerCore b, Period p, int outcome, boolean slow) {
    Rules r = b.rules;
    if (slow && !r.slowTracked && outcome == SUCCESS) {
      outcome = FAILURE;
    }
    if (slow) {
      b.totals.increment(SLOW);
    }
    // a CLOSED success needs the time only for a time window; everything else is rare enough to read it
    boolean timeless = outcome == SUCCESS && p instanceof ClosedPeriod
        && !(((ClosedPeriod) p).window instanceof TimeWindow);
    long now = timeless ? 0L : b.nanos();
    switch (outcome) {
      case SUCCESS:
        b.totals.increment(SUCCESS);
        p.onSuccess(b, slow && r.slowTracked, now);
        break;
      case FAILURE:
        b.totals.increment(FAILURE);
        b.failedAt(now);
        p.onFailure(b, slow, now);
        break;
      default:
        b.totals.increment(IGNORED);
        p.onIgnored(b, now);
    }
  }

  /**
   * Evaluates a user predicate; one that throws is logged and taken as {@code whenBroken}: the answer that records the
   * outcome as a failure (true for {@code recordExceptions} and {@code recordResult}, false for
   * {@code ignoreExceptions}), so that a broken predicate cannot stop the breaker from tripping.
   */
  private static <V> boolean test(BreakerCore b, Predicate<? super V> predicate, V value, String which,
      boolean whenBroken) {
    try {
      return predicate.test(value);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      b.callbackFailures.report(which + " predicate threw; treating as " + whenBroken, b.nanos(), e);
      return whenBroken;
    }
  }
}
