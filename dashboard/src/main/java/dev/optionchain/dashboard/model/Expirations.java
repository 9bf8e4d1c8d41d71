package dev.optionchain.dashboard.model;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The expiration dates of a symbol's listed options, soonest first.
 *
 * @param symbol the underlying's ticker
 * @param dates expiration dates, soonest first
 */
public record Expirations(String symbol, List<LocalDate> dates) {

  /** Copies and sorts the dates. */
  public Expirations {
    Objects.requireNonNull(symbol, "symbol");
    dates = List.copyOf(new TreeSet<>(dates)); // not a stream: cheaper before the JIT has compiled this
  }
}
