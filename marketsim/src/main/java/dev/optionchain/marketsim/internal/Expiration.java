package dev.optionchain.marketsim.internal;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A listed expiration date. {@code standard} is true for the monthly cycle (the third Friday, or
 * the Thursday before it when that Friday is a holiday), false for weeklies. Options expire at the
 * 16:00 America/New_York close of {@code date}. Immutable.
 */
record Expiration(LocalDate date, boolean standard) {

  Instant expiresAt() {
    return MarketCalendar.close(date);
  }

  /** Tradier's {@code expiration_type}. */
  String type() {
    return standard ? "standard" : "weeklys";
  }
}
