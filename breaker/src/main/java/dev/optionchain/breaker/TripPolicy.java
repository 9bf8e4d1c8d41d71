package dev.optionchain.breaker;

import java.util.OptionalDouble;

/**
 * When a CLOSED breaker trips: after a number of consecutive failures, or when the failure rate over a sliding window
 * reaches a threshold. One or the other, chosen explicitly; every setting belongs to the policy it applies to, so none
 * can be set and silently ignored. Immutable.
 *
 * <pre>{@code
 * TripPolicy.consecutiveFailures(5);                                      // the default
 * TripPolicy.failureRate(50, SlidingWindow.ofCalls(100), 20);             // 50 % of the last 100 calls, once 20 are in
 * TripPolicy.failureRate(50, SlidingWindow.ofTime(Duration.ofSeconds(30)), 20)
 *     .withSlowCallRateThreshold(80);                                     // or 80 % slow calls (needs slowCallDuration)
 * }</pre>
 *
 * Pass it to {@link CircuitBreakerConfig.Builder#tripPolicy(TripPolicy)};
 * {@link CircuitBreakerConfig.Builder#failureThreshold(int)} is a shorthand for {@link #consecutiveFailures(int)}.
 */
public sealed interface TripPolicy permits TripPolicy.ConsecutiveFailures, TripPolicy.FailureRate {

  /**
   * Trips after {@code threshold} consecutive failures; a success sets the count back to 0.
   *
   * @param threshold at least 1
   * @return the policy
   * @throws IllegalArgumentException if {@code threshold < 1}
   */
  static ConsecutiveFailures consecutiveFailures(int threshold) {
    return new ConsecutiveFailures(threshold);
  }

  /**
   * Trips when the failure rate over {@code window} is at or above {@code percent}, once the window holds
   * {@code minimumCalls} calls.
   *
   * @param percent the failure rate that trips, in (0, 100]
   * @param window the window: the last N calls of the CLOSED period, or the calls of its last T
   * @param minimumCalls at least 1, and at most the size of a count window (a count window never holds more)
   * @return the policy, without a slow-call threshold
   * @throws IllegalArgumentException if an argument is out of range
   */
  static FailureRate failureRate(double percent, SlidingWindow window, int minimumCalls) {
    return new FailureRate(percent, window, minimumCalls, OptionalDouble.empty());
  }

  /**
   * The consecutive-failure policy.
   *
   * @param threshold consecutive failures that trip, at least 1
   */
  record ConsecutiveFailures(int threshold) implements TripPolicy {
    /**
     * Validates the threshold.
     *
     * @param threshold consecutive failures that trip, at least 1
     * @throws IllegalArgumentException if {@code threshold < 1}
     */
    public ConsecutiveFailures {
      if (threshold < 1) {
        throw new IllegalArgumentException("failureThreshold must be >= 1, was " + threshold);
      }
    }

    @Override
    public String toString() {
      return "failureThreshold=" + threshold;
    }
  }

  /**
   * The failure-rate policy. Only calls of the current CLOSED period count; ignored calls do not count at all.
   *
   * @param failureRateThreshold the failure rate that trips, percent in (0, 100]
   * @param window the sliding window
   * @param minimumCalls calls the window must hold before its rates are acted on; never more than a count window's
   *     size
   * @param slowCallRateThreshold the slow-call rate that trips, percent in (0, 100], if slow calls are tracked on
   *     their own rate; when empty, a slow call counts as a failure. Requires
   *     {@link CircuitBreakerConfig.Builder#slowCallDuration}.
   */
  record FailureRate(double failureRateThreshold, SlidingWindow window, int minimumCalls,
      OptionalDouble slowCallRateThreshold) implements TripPolicy {

    /**
     * Validates every component.
     *
     * @param failureRateThreshold the failure rate that trips, percent in (0, 100]
     * @param window the sliding window, not null
     * @param minimumCalls calls the window must hold before its rates are acted on, at least 1 and at most a count
     *     window's size
     * @param slowCallRateThreshold the slow-call rate that trips, percent in (0, 100], or empty; not null
     * @throws IllegalArgumentException if a component is out of range or null
     */
    public FailureRate {
      percent("failureRateThreshold", failureRateThreshold);
      if (window == null) {
        throw new IllegalArgumentException("slidingWindow must not be null, was null");
      }
      if (minimumCalls < 1) {
        throw new IllegalArgumentException("minimumCalls must be >= 1, was " + minimumCalls);
      }
      if (window instanceof SlidingWindow.Calls && minimumCalls > ((SlidingWindow.Calls) window).size()) {
        throw new IllegalArgumentException("minimumCalls must not exceed the count window's size ("
            + ((SlidingWindow.Calls) window).size() + ", which is all it ever holds), was " + minimumCalls);
      }
      if (slowCallRateThreshold == null) {
        throw new IllegalArgumentException("slowCallRateThreshold must not be null (use OptionalDouble.empty()), "
            + "was null");
      }
      if (slowCallRateThreshold.isPresent()) {
        percent("slowCallRateThreshold", slowCallRateThreshold.getAsDouble());
      }
    }

    /**
     * Returns this policy with slow calls tracked on their own rate: the breaker also trips when the share of slow
     * calls in the window is at or above {@code percent}, and slow calls no longer count as failures.
     *
     * @param percent in (0, 100]
     * @return a new policy
     * @throws IllegalArgumentException if out of range
     */
    public FailureRate withSlowCallRateThreshold(double percent) {
      return new FailureRate(failureRateThreshold, window, minimumCalls, OptionalDouble.of(percent));
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("failureRateThreshold=").append(failureRateThreshold)
          .append("%, slidingWindow=").append(window).append(", minimumCalls=").append(minimumCalls);
      if (slowCallRateThreshold.isPresent()) {
        sb.append(", slowCallRateThreshold=").append(slowCallRateThreshold.getAsDouble()).append('%');
      }
      return sb.toString();
    }

    private static void percent(String name, double percent) {
      if (!(percent > 0.0 && percent <= 100.0)) {
        throw new IllegalArgumentException(name + " must be in (0, 100], was " + percent);
      }
    }
  }
}
