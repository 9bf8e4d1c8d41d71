package dev.optionchain.dashboard.market;

import dev.optionchain.dashboard.upstream.RateLimit;
import java.time.Duration;
import java.util.Optional;

/**
 * How many upstream calls the service may still make: one budget for all kinds of data, since the upstream counts
 * them together (Tradier: 120 market-data requests per minute per token). Asked before every upstream call, told of
 * the upstream's rate-limit headers after every answer and of every 429.
 *
 * <p>The service's implementation is local ({@link LocalBudget}); a fleet can put a shared one behind this interface
 * without touching the request path. Implementations are thread-safe and never block.
 */
public interface UpstreamBudget {

  /**
   * The longest the upstream's word stops calls: 5 minutes. Tradier's window is one minute, so a longer wait read
   * from a header is garbage, or a wall clock out of step with the upstream's; past the cap one call is made, and an
   * upstream still limited says so again.
   */
  Duration MAX_PAUSE = Duration.ofMinutes(5);

  /**
   * Takes one call from the budget, if there is one.
   *
   * @param hasFallback whether the caller has a cached answer to fall back on; such calls (refreshes) may be refused
   *     earlier than calls for data that has nothing cached, so that new data keeps a share of the budget
   * @return empty when the call may go ahead (and was counted); else how long until one may
   */
  Optional<Duration> tryAcquire(boolean hasFallback);

  /**
   * Learns the upstream's own view of the budget from an answer's headers: when it says none is left, no call is
   * made until its window ends (at most {@link #MAX_PAUSE}).
   *
   * @param limit the headers
   */
  void observe(RateLimit limit);

  /**
   * Makes no call for {@code wait} (the upstream answered 429 and asked for it), at most {@link #MAX_PAUSE}.
   *
   * @param wait how long
   * @return the pause made: {@code wait} capped at {@link #MAX_PAUSE}; zero for a wait that is not positive
   */
  Duration pause(Duration wait);

  /**
   * Returns the calls that may still be made now.
   *
   * @return zero or more
   */
  long available();

  /**
   * Returns the budget of one process.
   *
   * @param perMinute calls allowed in any 60 seconds; 0 for none of our own (the upstream's headers still count)
   * @param clock the service's clock (its monotonic reading)
   * @return a {@link LocalBudget}
   */
  static UpstreamBudget local(int perMinute, dev.optionchain.breaker.BreakerClock clock) {
    return new LocalBudget(perMinute, () -> 1, clock);
  }

  /**
   * Returns the budget of one instance of a fleet cut off from the others: its share, {@code perMinute / instances},
   * so that the fleet stays near the upstream's limit while it cannot count together.
   *
   * @param perMinute the fleet's calls allowed in any 60 seconds; 0 for none of our own
   * @param instances the number of instances sharing it (read at every call; below 1 counts as 1)
   * @param clock the service's clock (its monotonic reading)
   * @return a {@link LocalBudget} of the share
   */
  static UpstreamBudget localShare(int perMinute, java.util.function.IntSupplier instances,
      dev.optionchain.breaker.BreakerClock clock) {
    return new LocalBudget(perMinute, instances, clock);
  }
}
