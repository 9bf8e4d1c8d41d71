package dev.optionchain.breaker;

import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Logs the failures of a breaker's user callbacks that run on every call (predicates, the trial gate) without flooding
 * the log: the first failure of each callback is logged at WARNING with its stack trace, later ones at most once per
 * {@link #INTERVAL_NANOS} (on the breaker's clock), with the number left unreported since. Listener failures, which
 * happen once per transition, are logged by {@link Delivery} every time.
 *
 * <p>Thread-safe and lock-free after a callback's first failure (which inserts its entry in a concurrent map); a
 * failure costs a map lookup and one or two atomic operations.
 */
final class CallbackFailures {

  /** At most one report per callback per minute after the first. */
  static final long INTERVAL_NANOS = 60_000_000_000L;

  private final String breaker;
  private final ConcurrentHashMap<String, Callback> callbacks = new ConcurrentHashMap<>(4);

  CallbackFailures(String breaker) {
    this.breaker = breaker;
  }

  /**
   * Reports that a callback failed, unless one of its failures was reported less than a minute ago.
   *
   * @param callback what failed and what was done instead, e.g. "recordExceptions predicate threw; treating as true"
   * @param nowNanos the breaker's monotonic clock
   * @param failure what it threw
   */
  void report(String callback, long nowNanos, Throwable failure) {
    Callback c = callbacks.get(callback);
    if (c == null) {
      c = callbacks.computeIfAbsent(callback, k -> new Callback(nowNanos));
    }
    if (!c.mayReport(nowNanos)) {
      c.unreported.increment();
      return;
    }
    long unreported = c.unreported.sumThenReset();
    if (Delivery.LOG.isLoggable(Level.WARNING)) {
      Delivery.LOG.log(Level.WARNING, "CircuitBreaker '" + breaker + "': " + callback
          + (unreported == 0 ? "" : " (" + unreported + " more failures since the last report)"), failure);
    }
  }

  /** One callback's reporting state. */
  private static final class Callback {
    /** When the next report may be made: at once for the first failure, a minute after each report. */
    private final AtomicLong nextReportAt;
    final LongAdder unreported = new LongAdder();

    Callback(long firstFailure) {
      nextReportAt = new AtomicLong(firstFailure);
    }

    /** Exactly one of the failures at or after the due time wins the report. */
    boolean mayReport(long now) {
      long next = nextReportAt.get();
      return now - next >= 0 && nextReportAt.compareAndSet(next, now + INTERVAL_NANOS);
    }
  }
}
