package dev.optionchain.dashboard.market;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validation of what users type: symbols and dates. Every rejection is an {@link InvalidRequestException}. */
public final class Requests {

  /** What a symbol must look like after upper-casing. */
  public static final Pattern SYMBOL = Pattern.compile("^[A-Z0-9.\\-]{1,12}$");

  private Requests() {}

  /**
   * Upper-cases and validates a symbol.
   *
   * @param raw what the user sent
   * @return the symbol, upper-case
   * @throws InvalidRequestException if it does not match {@link #SYMBOL}
   */
  public static String symbol(String raw) {
    String s = raw == null ? "" : raw.trim().toUpperCase(Locale.ROOT);
    if (!SYMBOL.matcher(s).matches()) {
      throw new InvalidRequestException(
          "symbol must be 1 to 12 letters, digits, '.' or '-', was '" + shorten(raw) + "'");
    }
    return s;
  }

  /**
   * Parses an ISO date ({@code YYYY-MM-DD}).
   *
   * @param name the parameter's name, for the message
   * @param raw what the user sent
   * @return the date
   * @throws InvalidRequestException if it is not a valid date
   */
  public static LocalDate date(String name, String raw) {
    try {
      return LocalDate.parse(raw == null ? "" : raw.trim());
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(name + " must be a date like 2026-01-16, was '" + shorten(raw) + "'");
    }
  }

  /** Keeps error messages short and printable whatever the user sent. */
  static String shorten(String raw) {
    if (raw == null) {
      return "";
    }
    String printable = raw.replaceAll("[^\\x20-\\x7E]", "?");
    return printable.length() <= 40 ? printable : printable.substring(0, 40) + "...";
  }
}
