package dev.optionchain.breaker;

import java.time.Instant;

/**
 * The time source of a {@link CircuitBreaker}.
 *
 * <p>Two readings are kept apart, as in {@link System#nanoTime()} versus {@link java.time.Clock}: {@link #nanoTime()}
 * is monotonic and is the only reading used to measure durations (recovery timeouts, time windows, slow calls);
 * {@link #now()} is wall-clock time and is used only for the timestamps shown in statuses, events and logs.
 * Durations are compared overflow-safely ({@code now - start >= delay}), so {@code nanoTime()} may start anywhere,
 * including near {@link Long#MAX_VALUE}.
 *
 * <p>Tests use {@link dev.optionchain.breaker.testing.ManualClock} to move time by hand. Implementations must be
 * thread-safe.
 */
public interface BreakerClock {

  /**
   * Returns a monotonic reading in nanoseconds, meaningful only as a difference to another reading of the same clock.
   *
   * @return the current monotonic time in nanoseconds
   */
  long nanoTime();

  /**
   * Returns the current wall-clock instant, used for timestamps only.
   *
   * @return the current instant, never {@code null}
   */
  Instant now();

  /**
   * Returns the system clock: {@link System#nanoTime()} and {@link java.time.Clock#systemUTC()}.
   *
   * <p>Breakers using the system clock make their admission decisions (is the recovery timeout over? which time-window
   * bucket is current?) with a millisecond-resolution reading kept fresh by one shared daemon thread, because a
   * {@code System.nanoTime()} call costs 20-30 ns on common virtualized machines, more than the rest of a rejected call.
   * That thread is started the first time a breaker needs it. Slow-call durations are always measured with
   * {@code System.nanoTime()}.
   *
   * @return the shared system clock
   */
  static BreakerClock system() {
    return SystemClock.INSTANCE;
  }
}
