package dev.optionchain.marketsim.internal;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OCC option symbol as Tradier writes it (root not space-padded):
 * {@code ROOT + YYMMDD + C|P + strike×1000 in 8 digits}, e.g. {@code AAPL261218C00200000}.
 * Immutable.
 */
record OccSymbol(String root, LocalDate expiration, OptionType type, long strikeMillis) {

  private static final Pattern FORMAT = Pattern.compile("([A-Z][A-Z0-9]{0,5})(\\d{6})([CP])(\\d{8})");
  private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");

  OccSymbol {
    if (strikeMillis <= 0 || strikeMillis > 99_999_999L) {
      throw new IllegalArgumentException("strikeMillis: " + strikeMillis + " does not fit 8 digits");
    }
  }

  static Optional<OccSymbol> parse(String symbol) {
    Matcher m = FORMAT.matcher(symbol);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      LocalDate date = LocalDate.parse("20" + m.group(2), DateTimeFormatter.BASIC_ISO_DATE);
      long strike = Long.parseLong(m.group(4));
      if (strike == 0) {
        return Optional.empty();
      }
      return Optional.of(new OccSymbol(m.group(1), date, OptionType.ofOcc(m.group(3).charAt(0)), strike));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  double strike() {
    return strikeMillis / 1000.0;
  }

  @Override
  public String toString() {
    return root + expiration.format(YYMMDD) + type.occ() + String.format("%08d", strikeMillis);
  }
}
