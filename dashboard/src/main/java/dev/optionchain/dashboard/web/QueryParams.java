package dev.optionchain.dashboard.web;

import dev.optionchain.dashboard.market.InvalidRequestException;
import io.javalin.http.Context;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The query parameters of one API request, checked against the names its route accepts: an unknown name, or a name
 * given twice, is a 400 naming it, so a typo ({@code ?expiry=}) never silently means "the default". Values are read
 * through typed accessors whose errors name the parameter and echo the value at most {@value #ECHO_CHARS} printable
 * characters long. Immutable.
 */
final class QueryParams {

  /** The earliest date any date parameter accepts. */
  static final LocalDate MIN_DATE = LocalDate.of(1900, 1, 1);
  /** The latest date any date parameter accepts. */
  static final LocalDate MAX_DATE = LocalDate.of(2199, 12, 31);
  /** How much of a bad value an error message repeats. */
  static final int ECHO_CHARS = 40;

  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private final Map<String, List<String>> values;

  private QueryParams(Map<String, List<String>> values) {
    this.values = values;
  }

  /**
   * Reads and checks the request's query parameters.
   *
   * @param ctx the request
   * @param accepted the names the route takes
   * @return the parameters
   * @throws InvalidRequestException for an unknown name or a name given more than once
   */
  static QueryParams of(Context ctx, String... accepted) {
    Map<String, List<String>> all = ctx.queryParamMap();
    List<String> names = List.of(accepted);
    for (Map.Entry<String, List<String>> e : all.entrySet()) {
      if (!names.contains(e.getKey())) {
        throw new InvalidRequestException("unknown query parameter '" + echo(e.getKey()) + "'; "
            + (names.isEmpty() ? "this endpoint takes none" : "it takes " + String.join(", ", names)));
      }
      if (e.getValue().size() > 1) {
        throw new InvalidRequestException("query parameter '" + e.getKey() + "' is given " + e.getValue().size()
            + " times; give it once");
      }
    }
    return new QueryParams(all);
  }

  /**
   * Returns a parameter's value, trimmed; absent when missing or blank.
   *
   * @param name the parameter
   * @return its value
   */
  Optional<String> string(String name) {
    List<String> v = values.get(name);
    if (v == null || v.isEmpty() || v.get(0).isBlank()) {
      return Optional.empty();
    }
    return Optional.of(v.get(0).trim());
  }

  /**
   * Returns an integer parameter.
   *
   * @param name the parameter
   * @param min the smallest value accepted
   * @param max the largest value accepted
   * @param fallback the value when the parameter is absent
   * @return the value
   * @throws InvalidRequestException if it is not an integer in {@code [min, max]}
   */
  int integer(String name, int min, int max, int fallback) {
    Optional<String> raw = string(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(raw.get());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidRequestException(name + " must be an integer from " + min + " to " + max + ", was '"
        + echo(raw.get()) + "'");
  }

  /**
   * Returns a date parameter: {@code YYYY-MM-DD}, from {@link #MIN_DATE} to {@link #MAX_DATE}.
   *
   * @param name the parameter
   * @return the date, or empty when absent
   * @throws InvalidRequestException if it is not such a date
   */
  Optional<LocalDate> date(String name) {
    Optional<String> raw = string(name);
    return raw.map(v -> date(name, v));
  }

  /**
   * Parses a date as {@link #date(String)} does.
   *
   * @param name the parameter, for the message
   * @param raw the value
   * @return the date
   */
  static LocalDate date(String name, String raw) {
    if (DATE.matcher(raw).matches()) {
      try {
        LocalDate d = LocalDate.parse(raw);
        if (!d.isBefore(MIN_DATE) && !d.isAfter(MAX_DATE)) {
          return d;
        }
        throw new InvalidRequestException(name + " must be from " + MIN_DATE + " to " + MAX_DATE + ", was '"
            + raw + "'");
      } catch (DateTimeException e) {
        // not a calendar date, e.g. 2024-02-30: reported below
      }
    }
    throw new InvalidRequestException(name + " must be a date like 2026-01-16 (YYYY-MM-DD), was '" + echo(raw) + "'");
  }

  /**
   * Returns one of a fixed set of words, case-insensitively.
   *
   * @param name the parameter
   * @param words the accepted values, lower case
   * @return the value, lower case, or empty when absent
   * @throws InvalidRequestException if it is not one of them
   */
  Optional<String> oneOf(String name, String... words) {
    Optional<String> raw = string(name);
    if (raw.isEmpty()) {
      return raw;
    }
    String v = raw.get().toLowerCase(Locale.ROOT);
    if (List.of(words).contains(v)) {
      return Optional.of(v);
    }
    String last = words[words.length - 1];
    String choices = words.length == 1 ? last
        : String.join(", ", List.of(words).subList(0, words.length - 1)) + " or " + last;
    throw new InvalidRequestException(name + " must be " + choices + ", was '" + echo(raw.get()) + "'");
  }

  /**
   * Makes what a user sent safe to repeat in a message: printable ASCII only, at most {@value #ECHO_CHARS}
   * characters.
   *
   * @param raw what was sent
   * @return the echo
   */
  static String echo(String raw) {
    if (raw == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(Math.min(raw.length(), ECHO_CHARS + 3));
    for (int i = 0; i < raw.length() && b.length() < ECHO_CHARS; i++) {
      char c = raw.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return raw.length() > ECHO_CHARS ? b.append("...").toString() : b.toString();
  }
}
