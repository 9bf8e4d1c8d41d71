package dev.optionchain.dashboard.cache;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * At most one log line per period for one kind of event: with the database down, every pending key fails, is retried
 * and is given up, and a line for each would bury everything else in the log. The events held back are counted, and
 * the next line that goes out says how many there were; the metrics count every one of them.
 *
 * <p>Thread-safe: {@link #admit()} takes this object's lock for a few instructions.
 */
final class LogThrottle {

  /** The default period: one line per kind every ten seconds. */
  static final Duration PERIOD = Duration.ofSeconds(10);

  private final long periodNanos;
  private boolean logged;
  private long loggedAt;
  private long held;

  LogThrottle(Duration period) {
    this.periodNanos = period.toNanos();
  }

  /**
   * Decides whether this event is logged.
   *
   * @return -1 to hold it back; otherwise how many were held back since the last line that went out
   */
  synchronized long admit() {
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

  /** The end of a line that went out after {@code held} were held back: empty when none were. */
  String suffix(long held) {
    return held == 0 ? "" : " (and " + held + " more like it in the last "
        + TimeUnit.NANOSECONDS.toSeconds(periodNanos) + " s, not logged)";
  }
}
