package dev.optionchain.dashboard.model;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One bar of a price history.
 *
 * @param date the bar's date (the first trading day of the week or month for weekly and monthly bars)
 * @param open open price
 * @param high high price
 * @param low low price
 * @param close close price
 * @param volume shares traded
 */
public record Bar(LocalDate date, double open, double high, double low, double close, long volume) {

  /** Requires a date. */
  public Bar {
    Objects.requireNonNull(date, "date");
  }
}
