package dev.optionchain.marketsim.internal;

import java.time.Instant;

/**
 * One option's quote at one {@link MarketMoment}, in Tradier's units (see {@link Greeks}). Prices
 * are on the option's tick grid; {@code last}, {@code change}, {@code open}, {@code high},
 * {@code low}, {@code close} and {@code prevclose} are {@code null} where Tradier prints
 * {@code null} (never traded, or the session still open for {@code close}). IVs are 0 when the
 * price admits no volatility (e.g. a zero bid). {@code theoretical} is the model value the quote
 * was built around; it is not part of Tradier's payload. {@code underlying} is the underlying's symbol, which differs
 * from the OCC root for SPXW and adjusted roots (PLTR1). Immutable.
 */
record OptionQuote(OccSymbol occ, String description, Expiration expiration, Double last, Double change,
           Double changePercentage, long volume, Double open, Double high, Double low, Double close,
           double bid, double ask, long bidSize, long askSize, String bidExchange, String askExchange,
           long quoteDate, long tradeDate, Double prevclose, long openInterest, Greeks greeks, double bidIv,
           double midIv, double askIv, double smvVol, Instant updatedAt, double theoretical, String underlying) {

  String symbol() {
    return occ.toString();
  }
}
