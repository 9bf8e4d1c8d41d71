package dev.optionchain.dashboard.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Call or put. */
public enum OptionType {
  CALL, PUT;

  /**
   * Returns {@code call} or {@code put}, as Tradier writes them.
   *
   * @return the wire name
   */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code call} or {@code put}, case-insensitively.
   *
   * @param s the name
   * @return the type
   * @throws IllegalArgumentException if it is neither
   */
  public static OptionType parse(String s) {
    if ("call".equalsIgnoreCase(s)) {
      return CALL;
    }
    if ("put".equalsIgnoreCase(s)) {
      return PUT;
    }
    throw new IllegalArgumentException("option_type must be call or put, was '" + s + "'");
  }
}
