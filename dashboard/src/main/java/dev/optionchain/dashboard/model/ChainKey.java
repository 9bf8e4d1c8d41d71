package dev.optionchain.dashboard.model;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Which option chain: every contract of every root of one underlying and expiration.
 *
 * @param symbol the underlying's ticker, upper case
 * @param expiration the expiration date
 */
public record ChainKey(String symbol, LocalDate expiration) {

  /** Requires both components. */
  public ChainKey {
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(expiration, "expiration");
  }

  @Override
  public String toString() {
    return symbol + " " + expiration;
  }
}
