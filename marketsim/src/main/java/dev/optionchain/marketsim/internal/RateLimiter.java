package dev.optionchain.marketsim.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-client request counts in fixed one-minute windows aligned to the simulator clock's minutes,
 * as Tradier's {@code X-Ratelimit-*} headers report them. A counter is kept per (bucket, client):
 * the {@code "*"} bucket counts every market-data request (Tradier's shared budget); a
 * {@code rate_limit} fault on one endpoint counts that endpoint in its own bucket.
 *
 * <p>Thread-safe: each counter is updated atomically with {@link ConcurrentHashMap#compute}.
 */
final class RateLimiter {

  /** The allowance reported, but not enforced, when no rate_limit fault is set (Tradier's market-data budget). */
  static final int NOMINAL_PER_MINUTE = 120;
  static final long WINDOW_MS = 60_000;
  private static final int MAX_TRACKED = 10_000;

  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  /** Counts one request and returns the window's usage including it. */
  Usage hit(String bucket, String client, long nowMillis) {
    long start = Math.floorDiv(nowMillis, WINDOW_MS) * WINDOW_MS;
    Window w = windows.compute(bucket + '\u0000' + client,
        (key, old) -> old == null || old.start() != start ? new Window(start, 1) : new Window(start, old.used() + 1));
    if (windows.size() > MAX_TRACKED) {
      windows.values().removeIf(old -> old.start() != start);
    }
    return new Usage(w.used(), start + WINDOW_MS);
  }

  void clear() {
    windows.clear();
  }

  /** Forgets the counts of one bucket (a new rate_limit fault on it starts with a fresh budget). */
  void reset(String bucket) {
    String prefix = bucket + '\u0000';
    windows.keySet().removeIf(key -> key.startsWith(prefix));
  }

  private record Window(long start, int used) {
  }

  /**
   * @param used           requests in the current window, this one included
   * @param windowEndMillis epoch milliseconds at which the window resets
   */
  record Usage(int used, long windowEndMillis) {
  }
}
