package dev.optionchain.dashboard.config;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Objects;

/**
 * How long an upstream answer is served from memory without asking the upstream again: a fixed duration
 * ({@code 2s}; {@code 0s} keeps nothing), or {@code next-close}, until the next regular close of the US market (16:00
 * America/New_York on the next weekday; holidays are not known, so on one the answer is fetched again after a close
 * that did not happen, which costs one call). Immutable.
 *
 * @param fixed the duration, when not {@code untilNextClose}
 * @param untilNextClose whether answers stay fresh until the next close
 */
public record FreshFor(Duration fixed, boolean untilNextClose) {

  /** The value that means "until the next close". */
  public static final String NEXT_CLOSE = "next-close";

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final LocalTime CLOSE = LocalTime.of(16, 0);

  /** Validates. */
  public FreshFor {
    Objects.requireNonNull(fixed, "fixed");
    if (fixed.isNegative()) {
      throw new IllegalArgumentException("fresh-for must not be negative, was " + fixed);
    }
  }

  /**
   * A fixed duration.
   *
   * @param d zero or positive
   * @return the policy
   */
  public static FreshFor of(Duration d) {
    return new FreshFor(d, false);
  }

  /**
   * Returns whether answers are kept at all.
   *
   * @return false for {@code 0s}
   */
  public boolean enabled() {
    return untilNextClose || !fixed.isZero();
  }

  /**
   * Returns how long an answer fetched at {@code now} stays fresh.
   *
   * @param now the wall-clock time of the fetch
   * @return zero or positive
   */
  public Duration after(Instant now) {
    if (!untilNextClose) {
      return fixed;
    }
    return Duration.between(now, nextClose(now));
  }

  /**
   * The first 16:00 New York on a weekday strictly after {@code now}.
   *
   * @param now an instant
   * @return the next close
   */
  static Instant nextClose(Instant now) {
    ZonedDateTime t = now.atZone(NEW_YORK).with(CLOSE);
    while (!t.toInstant().isAfter(now) || t.getDayOfWeek() == DayOfWeek.SATURDAY
        || t.getDayOfWeek() == DayOfWeek.SUNDAY) {
      t = t.plusDays(1).with(CLOSE);
    }
    return t.toInstant();
  }

  @Override
  public String toString() {
    return untilNextClose ? NEXT_CLOSE : fixed.toString().toLowerCase(Locale.ROOT).substring(2);
  }
}
