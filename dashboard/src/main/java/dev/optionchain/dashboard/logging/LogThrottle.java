package dev.optionchain.dashboard.logging;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * At most one log line per period for one kind of event, so that a failure repeated per key, per request or per
 * connection (a database that is down, Redis answering errors, connections shed at the limit) cannot bury everything
 * else in the log. The first event is logged at once; the events held back after it are counted, and the next line
 * that goes out can say how many there were ({@link #suffix}); the metrics count every one of them.
 *
 * <p>Thread-safe: {@link #admit()} takes this object's lock for a few instructions.
 */
public final class LogThrottle {

  /** The usual period: one line per kind every ten seconds. */
  public static final Duration PERIOD = Duration.ofSeconds(10);

  private final long periodNanos;
  private boolean logged;
  private long loggedAt;
  private long held;

  /**
   * @param period the shortest time between two lines
   */
  public LogThrottle(Duration period) {
    this.periodNanos = period.toNanos();
  }

  /**
   * Decides whether this event is logged.
   *
   * @return -1 to hold it back; otherwise how many were held back since the last line that went out
   */
  public synchronized long admit() {
    long now = System.nanoTime();
    if (logged && now - loggedAt < periodNanos) {
      held++;
      return -1;
    }
    long before = held;
    logged = true;
    loggedAt = now;
    held = 0;
    return before;
  }

  /**
   * The end of a line that went out after {@code held} were held back.
   *
   * @param held what {@link #admit()} returned
   * @return empty when none were held back
   */
  public String suffix(long held) {
    return held == 0 ? "" : " (and " + held + " more like it in the last "
        + TimeUnit.NANOSECONDS.toSeconds(periodNanos) + " s, not logged)";
  }
}
