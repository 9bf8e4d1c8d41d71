package dev.optionchain.breaker;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The system clock, with a coarse monotonic reading for hot-path decisions.
 *
 * <p>{@link #coarseNanoTime()} returns a value of {@link System#nanoTime()} published by a daemon thread every
 * millisecond. It never runs ahead of {@code System.nanoTime()} and lags it by about a millisecond (more only when the
 * machine is so loaded that the ticker thread is not scheduled), so a decision taken on it can only be late, never
 * early: a breaker may stay OPEN a millisecond past its recovery timeout, never leave it too soon. The thread starts
 * when the first breaker reads the coarse clock (class initialisation of {@link Ticker}).
 */
final class SystemClock implements BreakerClock {

  static final SystemClock INSTANCE = new SystemClock();

  private final Clock wallClock = Clock.systemUTC();

  private SystemClock() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant now() {
    return wallClock.instant();
  }

  /** Returns {@code System.nanoTime()} as of at most about a millisecond ago. */
  static long coarseNanoTime() {
    return Ticker.now;
  }

  @Override
  public String toString() {
    return "BreakerClock.system()";
  }

  /** Holder of the coarse reading; loading this class starts the ticker thread. */
  private static final class Ticker implements Runnable {
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    static volatile long now = System.nanoTime();

    static {
      Thread thread = new Thread(new Ticker(), "optionchain-breaker-ticker");
      thread.setDaemon(true);
      thread.setPriority(Thread.MAX_PRIORITY);
      thread.start();
    }

    @Override
    public void run() {
      while (true) {
        LockSupport.parkNanos(TICK_NANOS);
        now = System.nanoTime();
      }
    }
  }
}
