package dev.optionchain.breaker;

/**
 * The failure and slow-call rates of one CLOSED period, for the failure-rate policy. Each CLOSED period has its own
 * window, created empty, so that only the outcomes of calls admitted in this period count.
 *
 * <p>Every counted call (success or failure; ignored calls are not counted at all) is added to the window's own
 * striped {@link Counters}, at the cost of one more counter increment than the consecutive policy. The breaker trips
 * at the outcome after which the window holds at least {@code minimumCalls} calls with a rate at or above its
 * threshold, whatever that outcome is. A failure or a slow call always evaluates the window. A plain success lowers
 * both rates, so it evaluates the window only when something else may have raised them since the last evaluation:
 * while the window holds fewer than {@code minimumCalls} calls (this success may be the one that reaches the
 * minimum), and, in a time window, once per bucket (expired successes may leave its failures above the threshold).
 * So a window that is warm costs a success one counter increment (and, in time, a clock read). No path takes a lock.
 */
abstract class RateWindow {

  static final int CALLS = 0;
  static final int FAILURES = 1;
  static final int SLOW = 2;

  final Counters counts = new Counters();
  private final double failureRateThreshold;
  private final double slowRateThreshold;
  /** Calls the window must hold before its rates are acted on. */
  final int minimumCalls;
  private final String description;

  RateWindow(TripPolicy.FailureRate rate, boolean slowTracked) {
    this.failureRateThreshold = rate.failureRateThreshold();
    this.slowRateThreshold = slowTracked ? rate.slowCallRateThreshold().getAsDouble() : 0.0;
    this.minimumCalls = rate.minimumCalls();
    this.description = rate.window().toString();
  }

  static RateWindow create(TripPolicy.FailureRate rate, boolean slowTracked, long now) {
    SlidingWindow w = rate.window();
    if (w instanceof SlidingWindow.Calls) {
      return new CountWindow(rate, slowTracked, ((SlidingWindow.Calls) w).size());
    }
    return new TimeWindow(rate, slowTracked, (SlidingWindow.Time) w, now);
  }

  /** Whether slow calls are tracked apart from failures. */
  final boolean tracksSlowCalls() {
    return slowRateThreshold > 0;
  }

  /**
   * Counts a success that is not slow; returns the reason to trip, or null. {@code now} is read only by a time window
   * (a count window's success comes here from the CLOSED fast path, without a clock read).
   */
  abstract String success(long now);

  /** Counts a slow success (slow calls tracked); returns the reason to trip, or null. */
  abstract String slowSuccess(long now);

  /** Counts a failure, slow or not; returns the reason to trip, or null. */
  abstract String failure(boolean slow, long now);

  /** Returns {calls, failures, slow calls} in the window at {@code now}; failures and slow calls never exceed calls. */
  abstract long[] contents(long now);

  /** Returns the reason to trip for these window contents, or null. */
  final String verdict(long[] c) {
    long calls = c[0];
    if (calls <= 0 || calls < minimumCalls) {
      return null;
    }
    double failureRate = percent(c[1], calls);
    if (failureRate >= failureRateThreshold) {
      return "failure rate " + format(failureRate) + "% >= " + format(failureRateThreshold) + "% over "
          + description + " (" + c[1] + " of " + calls + " calls)";
    }
    if (slowRateThreshold > 0) {
      double slowRate = percent(c[2], calls);
      if (slowRate >= slowRateThreshold) {
        return "slow-call rate " + format(slowRate) + "% >= " + format(slowRateThreshold) + "% over " + description
            + " (" + c[2] + " of " + calls + " calls)";
      }
    }
    return null;
  }

  /** Builds contents, clamping failures and slow calls to the calls (counts read while others complete may skew). */
  static long[] contents(long calls, long failures, long slow) {
    calls = Math.max(0L, calls);
    return new long[] {calls, Math.max(0L, Math.min(failures, calls)), Math.max(0L, Math.min(slow, calls))};
  }

  static double percent(long part, long whole) {
    return part * 100.0 / whole;
  }

  static String format(double percent) {
    return Double.toString(Math.round(percent * 10.0) / 10.0);
  }
}
