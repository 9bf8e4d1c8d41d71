package dev.optionchain.dashboard.model;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Which price history: a symbol's bars of one interval from {@code start} to {@code end}, both included.
 *
 * @param symbol the ticker, upper case
 * @param interval the bar interval
 * @param start the first date
 * @param end the last date
 */
public record HistoryKey(String symbol, Interval interval, LocalDate start, LocalDate end) {

  /** Requires every component. */
  public HistoryKey {
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
  }

  @Override
  public String toString() {
    return symbol + " " + interval.wireName() + " " + start + ".." + end;
  }
}
