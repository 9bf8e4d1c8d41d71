package dev.optionchain.dashboard.model;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * Bars of one symbol and interval over a date range, oldest first.
 *
 * @param symbol the ticker
 * @param interval the bar interval
 * @param start first date asked for
 * @param end last date asked for
 * @param bars the bars, oldest first; empty when there are none
 */
public record PriceHistory(String symbol, Interval interval, LocalDate start, LocalDate end, List<Bar> bars) {

  /** Copies the bars. */
  public PriceHistory {
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(interval, "interval");
    bars = List.copyOf(bars);
  }
}
