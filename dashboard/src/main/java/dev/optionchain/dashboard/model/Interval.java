package dev.optionchain.dashboard.model;

import java.util.Locale;

/** Bar interval of a price history, as Tradier names them. */
public enum Interval {
  DAILY, WEEKLY, MONTHLY;

  /**
   * Returns the name Tradier uses: {@code daily}, {@code weekly} or {@code monthly}.
   *
   * @return the wire name
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name, case-insensitively.
   *
   * @param s the name
   * @return the interval
   * @throws IllegalArgumentException naming the value if it is not one
   */
  public static Interval parse(String s) {
    if (s != null) {
      for (Interval i : values()) {
        if (i.wireName().equalsIgnoreCase(s.trim())) {
          return i;
        }
      }
    }
    throw new IllegalArgumentException("interval must be daily, weekly or monthly, was '" + s + "'");
  }
}
