package dev.optionchain.dashboard.model;

import java.util.Objects;

/**
 * What the dashboard shows about a security besides its price: name, type, exchange, 52-week range and average
 * volume. Tradier carries these on its quote, so they are read from {@code /v1/markets/quotes} under their own
 * breaker ({@code ticker_info}).
 *
 * @param symbol the ticker
 * @param name the security's name
 * @param type {@code stock}, {@code etf}, ...
 * @param exchange the exchange code
 * @param week52High 52-week high
 * @param week52Low 52-week low
 * @param averageVolume average daily volume
 */
public record TickerInfo(
    String symbol, String name, String type, String exchange, Double week52High, Double week52Low,
    Long averageVolume) {

  /** Requires a symbol. */
  public TickerInfo {
    Objects.requireNonNull(symbol, "symbol");
  }

  /**
   * Takes the descriptive fields of a quote.
   *
   * @param q the quote
   * @return the ticker info
   */
  public static TickerInfo of(Quote q) {
    return new TickerInfo(q.symbol(), q.description(), q.type(), q.exchange(), q.week52High(), q.week52Low(),
        q.averageVolume());
  }
}
