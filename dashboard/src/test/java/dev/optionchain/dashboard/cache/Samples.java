package dev.optionchain.dashboard.cache;

import dev.optionchain.dashboard.model.Bar;
import dev.optionchain.dashboard.model.Greeks;
import dev.optionchain.dashboard.model.Interval;
import dev.optionchain.dashboard.model.OptionChain;
import dev.optionchain.dashboard.model.OptionContract;
import dev.optionchain.dashboard.model.OptionType;
import dev.optionchain.dashboard.model.PriceHistory;
import dev.optionchain.dashboard.model.Quote;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Model values for the cache tests: every field set, or every nullable field null. */
final class Samples {

  static final LocalDate EXPIRATION = LocalDate.of(2026, 1, 16);
  /** Exactly representable in microseconds, so it survives the round trip unchanged. */
  static final Instant T0 = Instant.parse("2025-06-02T14:30:00.123456Z");

  private static final DateTimeFormatter OCC_DATE = DateTimeFormatter.ofPattern("yyMMdd", Locale.ROOT);

  private Samples() {}

  static Quote fullQuote(String symbol, double last) {
    return new Quote(symbol, symbol + " Inc.", "Q", "stock",
        last, 1.25, 0.66, 51_234_567L, 48_000_000L, Instant.parse("2025-06-02T14:29:59.987654Z"),
        188.5, 191.0, 187.75, 190.1, 189.0,
        260.1, 164.08,
        189.99, 300L, 190.01, 200L);
  }

  static Quote bareQuote(String symbol) {
    return new Quote(symbol, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null);
  }

  static Greeks fullGreeks(double delta) {
    return new Greeks(delta, 0.012, -0.05, 0.21, 0.08, -0.09, 0.29, 0.3, 0.31, 0.305, "2025-06-02 14:29:05");
  }

  static String occ(String underlying, LocalDate expiration, OptionType type, double strike) {
    return String.format(Locale.ROOT, "%s%s%s%08d", underlying, OCC_DATE.format(expiration),
        type == OptionType.CALL ? "C" : "P", Math.round(strike * 1000));
  }

  /** A contract with every field set; {@code mark} goes into {@code last} so tests can tell versions apart. */
  static OptionContract fullContract(String underlying, LocalDate expiration, OptionType type, double strike,
      double mark) {
    return new OptionContract(occ(underlying, expiration, type, strike), underlying, underlying, type, strike, expiration,
        "standard", 100, mark, -0.35, mark - 0.05, 12L, mark + 0.05, 30L, 1_234L, 5_678L,
        fullGreeks(type == OptionType.CALL ? 0.5 : -0.5));
  }

  static OptionContract bareContract(String underlying, LocalDate expiration, OptionType type, double strike) {
    return new OptionContract(occ(underlying, expiration, type, strike), underlying, underlying, type, strike, expiration,
        null, null, null, null, null, null, null, null, null, null, null);
  }

  /** {@code strikes} strikes from 100 by 2.5, a call and a put each, all with {@code last == mark}. */
  static OptionChain chain(String underlying, LocalDate expiration, int strikes, double mark) {
    List<OptionContract> contracts = new ArrayList<>();
    for (int i = 0; i < strikes; i++) {
      double strike = 100 + 2.5 * i;
      contracts.add(fullContract(underlying, expiration, OptionType.PUT, strike, mark));
      contracts.add(fullContract(underlying, expiration, OptionType.CALL, strike, mark));
    }
    return new OptionChain(underlying, expiration, contracts);
  }

  /** Daily bars on every day from {@code first}, {@code count} of them, closes starting at {@code close}. */
  static PriceHistory daily(String symbol, LocalDate first, int count, double close) {
    List<Bar> bars = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double c = close + i;
      bars.add(new Bar(first.plusDays(i), c - 1, c + 2, c - 2, c, 1_000_000L + i));
    }
    return new PriceHistory(symbol, Interval.DAILY, first, first.plusDays(count - 1L), bars);
  }
}
