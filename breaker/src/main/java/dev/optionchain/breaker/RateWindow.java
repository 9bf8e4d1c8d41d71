package dev.optionchain.breaker;

/**
 * The failure and slow-call rates of one CLOSED period, for rate mode.
 *
 * <p>Windows do not see successful calls one by one. Every outcome is counted in the breaker's per-thread
 * {@link CallCounters}; a window keeps only what it needs to turn those cumulative counts into "the last N calls" or
 * "the last T seconds": positions of recent failures (count window) or the cumulative counts at bucket boundaries
 * (time window). Only a failure or a slow call can push a rate up, so the rates are evaluated on those outcomes alone,
 * and a successful call costs a rate-mode breaker what it costs a consecutive-mode one (plus, for a time window, one
 * read of the coarse clock). Windows lock only on failures, slow calls, bucket changes and status reads.
 */
abstract class RateWindow {

  final CallCounters counters;
  private final double failureRateThreshold;
  private final double slowRateThreshold;
  private final int minimumCalls;
  private final String description;

  RateWindow(CallCounters counters, CircuitBreakerConfig config) {
    this.counters = counters;
    this.minimumCalls = config.minimumCalls();
    this.failureRateThreshold = config.failureRateThreshold().orElse(100.0);
    this.slowRateThreshold = config.slowCallRateThreshold().orElse(0.0);
    this.description = config.slidingWindow().toString();
  }

  static RateWindow create(CallCounters counters, CircuitBreakerConfig config, long now) {
    SlidingWindow w = config.slidingWindow();
    if (w instanceof SlidingWindow.Calls) {
      return new CountWindow(counters, config, ((SlidingWindow.Calls) w).size());
    }
    return new TimeWindow(counters, config, (SlidingWindow.Time) w, now);
  }

  /** Whether slow calls are tracked apart from failures. */
  final boolean tracksSlowCalls() {
    return slowRateThreshold > 0;
  }

  /** Called before an outcome at {@code now} is counted. */
  abstract void beforeCount(long now);

  /**
   * Called after a failure or a tracked slow call has been counted.
   *
   * @return the reason to trip, or null
   */
  abstract String onBadOutcome(boolean failure, boolean slow, long now);

  /** Returns {calls, failures, slow calls} currently in the window. */
  abstract long[] contents(long now);

  /** Calls the window must hold before its rates count. */
  long minimumCalls() {
    return minimumCalls;
  }

  /** Returns the reason to trip for these window contents, or null. */
  final String verdict(long calls, long failures, long slow) {
    if (calls <= 0 || calls < minimumCalls()) {
      return null;
    }
    double failureRate = percent(failures, calls);
    if (failureRate >= failureRateThreshold) {
      return "failure rate " + format(failureRate) + "% >= " + format(failureRateThreshold) + "% over "
          + description + " (" + failures + " of " + calls + " calls)";
    }
    if (slowRateThreshold > 0) {
      double slowRate = percent(slow, calls);
      if (slowRate >= slowRateThreshold) {
        return "slow-call rate " + format(slowRate) + "% >= " + format(slowRateThreshold) + "% over " + description
            + " (" + slow + " of " + calls + " calls)";
      }
    }
    return null;
  }

  static double percent(long part, long whole) {
    return part * 100.0 / whole;
  }

  static String format(double percent) {
    return Double.toString(Math.round(percent * 10.0) / 10.0);
  }
}
