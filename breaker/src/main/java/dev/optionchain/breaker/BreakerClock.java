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
   * <p>Breakers using the system clock decide whether a rejected call's recovery timeout is over on a
   * millisecond-resolution copy of {@code System.nanoTime()}, because a precise read (about 22 ns on this project's
   * virtual machines) costs more than the rest of a rejection. The copy is kept fresh by one shared daemon thread that
   * exists only while OPEN or HALF_OPEN breakers are being called: it starts at the first rejection that needs it and
   * stops by itself after a second without one, so no thread runs while every breaker is CLOSED. The copy can only lag,
   * so a breaker may leave OPEN about a millisecond late, never early. Everything else (trips, slow calls, time
   * windows, statuses of CLOSED breakers) reads {@code System.nanoTime()} itself.
   *
   * @return the shared system clock
   */
  static BreakerClock system() {
    return SystemClock.INSTANCE;
  }
}
