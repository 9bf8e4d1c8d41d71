package dev.optionchain.dashboard.market;

import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.dashboard.upstream.RateLimit;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * An {@link UpstreamBudget} in one process: at most {@code perMinute} calls in any 60 seconds, measured on the
 * service's monotonic clock, plus whatever the upstream says.
 *
 * <p>Algorithm: a sliding log of the last {@code perMinute} call times (a ring of monotonic readings). A call is
 * allowed when fewer than the limit were made in the last 60 s, so no fixed one-minute window of the upstream's can
 * see more than {@code perMinute}; the wait otherwise is until the oldest counted call leaves the window. Calls for
 * data that has a cached fallback may use only {@code perMinute - reserve}, keeping {@code reserve} (a quarter) for
 * data that has nothing cached, which would otherwise be a 503. Independently, when an answer's
 * {@code X-Ratelimit-Available} is 0, or a 429 asks for a wait, no call is allowed until the upstream's window ends
 * (its {@code X-Ratelimit-Expiry}, converted from wall time to a monotonic deadline once, when learned), or for
 * {@link #MAX_PAUSE} at most, so that no garbage header or wall-clock jump stops calls for long.
 *
 * <p>In a fleet cut off from Redis, the limit is this instance's share: {@code perMinute} divided by the instances
 * seen, read at every call. With {@code perMinute} 0 only the upstream's headers and 429s limit calls. Thread-safe: every method takes one
 * short lock.
 */
final class LocalBudget implements UpstreamBudget {

  static final long WINDOW_NANOS = Duration.ofMinutes(1).toNanos();

  private final BreakerClock clock;
  private final int perMinute;
  private final IntSupplier instances;
  /** Monotonic times of the last calls, a ring of {@code perMinute}; {@code count} of them are in use. */
  private final long[] calls;
  private int head;
  private int count;
  private boolean paused;
  private long pausedUntil;

  LocalBudget(int perMinute, BreakerClock clock) {
    this(perMinute, () -> 1, clock);
  }

  LocalBudget(int perMinute, IntSupplier instances, BreakerClock clock) {
    if (perMinute < 0) {
      throw new IllegalArgumentException("perMinute must not be negative, was " + perMinute);
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.perMinute = perMinute;
    this.instances = Objects.requireNonNull(instances, "instances");
    this.calls = new long[Math.max(1, perMinute)];
  }

  @Override
  public synchronized Optional<Duration> tryAcquire(boolean hasFallback) {
    long now = clock.nanoTime();
    if (paused) {
      long left = pausedUntil - now;
      if (left > 0) {
        return Optional.of(Duration.ofNanos(left));
      }
      paused = false;
    }
    if (perMinute == 0) {
      return Optional.empty();
    }
    expire(now);
    int share = share();
    int limit = hasFallback ? share - share / 4 : share;
    if (count >= limit) {
      // the call that must leave the window before one more is allowed
      long leaving = calls[(head + count - limit) % calls.length];
      return Optional.of(Duration.ofNanos(Math.max(1, leaving + WINDOW_NANOS - now)));
    }
    calls[(head + count) % calls.length] = now;
    count++;
    return Optional.empty();
  }

  @Override
  public void observe(RateLimit limit) {
    if (limit.available() > 0) {
      return;
    }
    Duration left = Duration.between(clock.now(), limit.expiry());
    if (!left.isNegative() && !left.isZero()) {
      pause(left);
    }
  }

  @Override
  public synchronized Duration pause(Duration wait) {
    if (wait.isNegative() || wait.isZero()) {
      return Duration.ZERO;
    }
    Duration capped = wait.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : wait;
    long until = clock.nanoTime() + capped.toNanos();
    if (!paused || until - pausedUntil > 0) {
      pausedUntil = until;
      paused = true;
    }
    return capped;
  }

  @Override
  public synchronized long available() {
    long now = clock.nanoTime();
    if (paused && pausedUntil - now > 0) {
      return 0;
    }
    if (perMinute == 0) {
      return Long.MAX_VALUE;
    }
    expire(now);
    return Math.max(0, share() - count);
  }

  /** The calls this instance may make in a window: all of them, or its share of a fleet's. */
  private int share() {
    return Math.max(1, perMinute / Math.max(1, instances.getAsInt()));
  }

  private void expire(long now) {
    while (count > 0 && now - calls[head] >= WINDOW_NANOS) {
      head = (head + 1) % calls.length;
      count--;
    }
  }
}
