package dev.optionchain.marketsim.internal;

/**
 * A stock or ETF quote at one {@link MarketMoment}, in Tradier's units: prices in dollars
 * (cents precision), {@code changePercentage} in percent, sizes in round lots, dates in epoch
 * milliseconds. {@code close} is {@code null} while the session is open. Immutable.
 */
record StockQuote(Security security, double last, double change, double changePercentage, long volume,
          long averageVolume, long lastVolume, long tradeDate, double open, double high, double low,
          Double close, double prevclose, double week52High, double week52Low, double bid, long bidSize,
          String bidExchange, double ask, long askSize, String askExchange, long quoteDate) {
}
