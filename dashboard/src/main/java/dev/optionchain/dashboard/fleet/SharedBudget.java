package dev.optionchain.dashboard.fleet;

import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.dashboard.market.UpstreamBudget;
import dev.optionchain.dashboard.upstream.RateLimit;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * The fleet's upstream budget: at most {@code upstream.rate-limit-per-minute} calls in any 60 s for all instances
 * together, kept in Redis by one atomic script per upstream call ({@link Scripts#BUDGET}: a sliding log scored by
 * Redis's own clock, a quarter kept for data that has nothing cached, as in the local budget), plus the pauses the
 * upstream asks for (a 429, {@code X-Ratelimit-Available: 0}), which then hold for every instance.
 *
 * <p>It is asked only before an upstream call (a memory hit and the breaker never ask it), and waits at most the
 * fleet's command timeout. When Redis is not usable or does not answer in time, the instance spends a local budget
 * of its share, {@code perMinute / instances seen}, so that a fleet cut off from Redis stays near the limit. Every
 * call made on the shared budget is also taken from the local one (when it has room), so the local share knows the
 * recent calls when it takes over. Thread-safe.
 */
final class SharedBudget implements UpstreamBudget {

  static final long WINDOW_MILLIS = 60_000;

  private final int perMinute;
  private final int reserve;
  private final String me;
  private final RedisLink link;
  private final UpstreamBudget local;
  private final BreakerClock clock;
  private final AtomicLong seq = new AtomicLong();
  /**
   * This run of the instance, in each call's member of the log: an instance restarted within the minute under the
   * same id counts from 1 again, and its calls must not replace those it made before (a sorted set keeps one score
   * per member), which let the fleet make twice its budget.
   */
  private final String run = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
  /** The fleet's calls in the window, as last seen (by a call or the heartbeat). */
  private volatile long used;

  SharedBudget(int perMinute, String me, RedisLink link, IntSupplier instances, BreakerClock clock) {
    this.perMinute = perMinute;
    this.reserve = perMinute / 4;
    this.me = me;
    this.link = link;
    this.local = UpstreamBudget.localShare(perMinute, instances, clock);
    this.clock = clock;
  }

  @Override
  public Optional<Duration> tryAcquire(boolean hasFallback) {
    if (perMinute == 0 || !link.active()) {
      return local.tryAcquire(hasFallback);
    }
    String member = me + "#" + run + "#" + seq.incrementAndGet();
    int limit = hasFallback ? perMinute - reserve : perMinute;
    Optional<List<Object>> r = link.awaitScript(Scripts.BUDGET,
        new String[] {"ocd:budget:calls", "ocd:budget:pause"}, limit, WINDOW_MILLIS, member, MAX_PAUSE.toMillis());
    if (r.isEmpty()) {
      return local.tryAcquire(hasFallback); // Redis did not answer in time: this call is counted locally
    }
    used = (Long) r.get().get(2);
    if ((Long) r.get().get(0) == 1) {
      local.tryAcquire(hasFallback); // so that the local share knows this call, should it take over
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis(Math.max(1, (Long) r.get().get(1))));
  }

  @Override
  public void observe(RateLimit limit) {
    local.observe(limit);
    if (limit.available() <= 0 && link.active()) {
      Duration left = Duration.between(clock.now(), limit.expiry());
      if (!left.isNegative() && !left.isZero()) {
        sharePause(left.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : left);
      }
    }
  }

  @Override
  public Duration pause(Duration wait) {
    Duration applied = local.pause(wait);
    if (!applied.isZero() && link.active()) {
      sharePause(applied);
    }
    return applied;
  }

  private void sharePause(Duration wait) {
    link.script(Scripts.PAUSE, new String[] {"ocd:budget:pause"}, Math.max(1, wait.toMillis()));
  }

  @Override
  public long available() {
    if (perMinute == 0 || !link.active()) {
      return local.available();
    }
    return Math.max(0, perMinute - used);
  }

  /** The heartbeat's count of the fleet's calls in the window. */
  void used(long calls) {
    this.used = calls;
  }
}
