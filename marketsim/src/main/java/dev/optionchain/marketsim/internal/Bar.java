package dev.optionchain.marketsim.internal;

import java.time.LocalDate;

/** One OHLCV bar, prices in dollars rounded to cents. Immutable. */
record Bar(LocalDate date, double open, double high, double low, double close, long volume) {
}
