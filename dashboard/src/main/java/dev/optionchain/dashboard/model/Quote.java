package dev.optionchain.dashboard.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A quote for one security, as Tradier's {@code /v1/markets/quotes} reports it. Price fields are null when the
 * upstream has none (e.g. {@code open} before the session starts).
 *
 * @param symbol the ticker, upper-case
 * @param description the security's name
 * @param exchange the exchange code
 * @param type {@code stock}, {@code etf}, {@code index} or {@code option}
 * @param last last trade price
 * @param change change since the previous close
 * @param changePercentage change in percent
 * @param volume shares traded today
 * @param averageVolume average daily volume
 * @param tradeTime time of the last trade
 * @param open session open
 * @param high session high
 * @param low session low
 * @param close session close (null while trading)
 * @param prevClose previous session's close
 * @param week52High 52-week high
 * @param week52Low 52-week low
 * @param bid best bid
 * @param bidSize best bid size
 * @param ask best ask
 * @param askSize best ask size
 */
public record Quote(
    String symbol, String description, String exchange, String type,
    Double last, Double change, Double changePercentage, Long volume, Long averageVolume, Instant tradeTime,
    Double open, Double high, Double low, Double close, Double prevClose,
    Double week52High, Double week52Low,
    Double bid, Long bidSize, Double ask, Long askSize) {

  /** Requires a symbol. */
  public Quote {
    Objects.requireNonNull(symbol, "symbol");
  }
}
