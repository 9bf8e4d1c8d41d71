package dev.optionchain.breaker;

import java.time.Clock;
import java.time.Instant;

/**
 * The system clock: {@link System#nanoTime()} and {@link Clock#systemUTC()}. Breakers on it decide rejections on the
 * coarse reading of {@link CoarseClock#SYSTEM}.
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

  @Override
  public String toString() {
    return "BreakerClock.system()";
  }
}
