package dev.optionchain.dashboard.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of one upstream call: its circuit breaker, its timeouts, its memory and its bulkhead. Immutable.
 *
 * @param name the breaker's name, e.g. {@code options_chain}
 * @param failureThreshold consecutive failures (slow calls included) that open it
 * @param recoveryTimeout time open before a trial call
 * @param requestTimeout the upstream request timeout for this call (the whole response)
 * @param connectTimeout the TCP connect timeout for this call
 * @param freshFor how long an answer of this call is served from memory without another upstream call
 * @param slowCallDuration an upstream call taking at least this long counts as a failure of the breaker even when it
 *     succeeds (its answer is still used); shorter than {@code requestTimeout}; empty: slow calls are not counted
 *     (by default {@link #defaultSlowCallDuration two thirds of the request timeout})
 * @param maxConcurrentCalls upstream calls of this kind in flight at once; one more is refused at once (the cache
 *     or 503)
 * @param maxWaitingRequests requests waiting at once for this kind's upstream work: those making an upstream call and
 *     those sharing one in flight; one more is refused at once; at least {@code maxConcurrentCalls}
 */
public record BreakerSettings(String name, int failureThreshold, Duration recoveryTimeout, Duration requestTimeout,
    Duration connectTimeout, FreshFor freshFor, Optional<Duration> slowCallDuration, int maxConcurrentCalls,
    int maxWaitingRequests) {

  /** Validates what the keys cannot check alone; messages name the keys. */
  public BreakerSettings {
    Objects.requireNonNull(slowCallDuration, "slowCallDuration");
    String prefix = "breaker." + name + ".";
    slowCallDuration.ifPresent(slow -> {
      if (slow.compareTo(requestTimeout) >= 0) {
        throw new IllegalArgumentException(prefix + "slow-call-duration (" + text(slow) + ") must be shorter than "
            + prefix + "request-timeout (" + text(requestTimeout) + "): a call that slow has already timed out");
      }
    });
    if (maxWaitingRequests < maxConcurrentCalls) {
      throw new IllegalArgumentException(prefix + "max-waiting-requests (" + maxWaitingRequests + ") must be at least "
          + prefix + "max-concurrent-calls (" + maxConcurrentCalls + "): the caller making a call waits for it too");
    }
  }

  /**
   * Returns the slow-call duration of a call whose {@code slow-call-duration} is not set: two thirds of its request
   * timeout (2 s of 3 s), so that a call is counted as slow well before it times out, and a lower request timeout
   * never leaves a slow-call duration above it.
   *
   * @param requestTimeout the call's request timeout, positive
   * @return two thirds of it, in whole milliseconds; empty when that is under 1 ms
   */
  public static Optional<Duration> defaultSlowCallDuration(Duration requestTimeout) {
    long millis = requestTimeout.toMillis() * 2 / 3;
    return millis < 1 ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
  }

  private static String text(Duration d) {
    return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }
}
