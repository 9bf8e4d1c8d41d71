package dev.optionchain.dashboard.upstream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.optionchain.dashboard.model.Bar;
import dev.optionchain.dashboard.model.Greeks;
import dev.optionchain.dashboard.model.OptionContract;
import dev.optionchain.dashboard.model.OptionType;
import dev.optionchain.dashboard.model.Quote;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads Tradier's market-data JSON into the model, defensively, from Jackson's tree model.
 *
 * <p>Tradier's JSON is converted from XML, which shapes it: a payload is an object under one root key
 * ({@code quotes}, {@code history}, ...) or JSON {@code null} when there is nothing; a list of one is the element
 * itself, a longer list an array ({@link #oneOrMany}); any number may be {@code null}. Only the documented forms are
 * read: a payload object without its list ({@code {"history":{}}}, {@code {"expirations":{"dates":...}}}) is a
 * wrong shape, never an empty answer. Every reader here either
 * returns a value or throws {@link ShapeException} naming the field and what was wrong: never a Jackson exception, a
 * {@code NullPointerException} or a {@code DateTimeParseException}. Values are typed strictly: a string where a
 * number belongs is a wrong shape, not a number to guess at. An answer that cannot be what was asked is a wrong shape
 * too: a price (but an index's level), size, volume or open interest below zero, a strike not above zero, two bars of
 * one date, and in a chain a contract of another underlying or expiration than asked, or one contract listed twice.
 *
 * <p>Placeholder zeros become null. Tradier writes 0 where it has no value; these are read as "no value":
 * <ul>
 *   <li>quotes: {@code week_52_high} and {@code week_52_low} of 0 (indexes such as VIX carry them), an
 *       {@code average_volume} of 0, a {@code prevclose} of 0, a {@code trade_date} of 0 (no trade);</li>
 *   <li>quotes of {@code type: index}: {@code volume}, {@code bid}, {@code ask}, {@code bidsize} and {@code asksize}
 *       of 0 (an index is not traded and has no book);</li>
 *   <li>option greeks: {@code bid_iv}, {@code mid_iv}, {@code ask_iv} and {@code smv_vol} of 0 (no volatility
 *       prices a zero bid; an implied volatility of 0 is never a measurement).</li>
 * </ul>
 *
 * <p>Stateless; thread-safe.
 */
final class TradierJson {

  /** Shared and thread-safe; rejects trailing content after the JSON value. */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private static final int PREVIEW_CHARS = 40;

  /** What follows the root in an OCC symbol: {@code YYMMDD}, {@code C} or {@code P}, the strike in 8 digits. */
  private static final Pattern OCC_TAIL = Pattern.compile("\\d{6}[CP]\\d{8}");

  private TradierJson() {
  }

  /** JSON that parsed but is not the expected shape. No stack trace: it is always rethrown as MALFORMED. */
  static final class ShapeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ShapeException(String message) {
      super(message, null, false, false);
    }
  }

  // ---- endpoints --------------------------------------------------------------------------------------------

  /**
   * Finds the quote of {@code symbol} in a {@code /v1/markets/quotes} answer.
   *
   * @return the quote, or null when the answer has none for the symbol ({@code {"quotes":null}}, another symbol)
   * @throws UnknownSymbolException when the answer lists the symbol under {@code unmatched_symbols}
   */
  static Quote quote(JsonNode root, String symbol) {
    JsonNode quotes = payload(root, "quotes");
    if (quotes == null) {
      return null;
    }
    if (!quotes.hasNonNull("quote") && !quotes.hasNonNull("unmatched_symbols")) {
      throw new ShapeException("quotes: neither 'quote' nor 'unmatched_symbols'");
    }
    for (JsonNode q : oneOrMany(quotes, "quote")) {
      requireObject(q, "quotes.quote");
      if (requiredText(q, "quote", "symbol").equalsIgnoreCase(symbol)) {
        return quoteOf(q);
      }
    }
    JsonNode unmatched = quotes.get("unmatched_symbols");
    if (unmatched != null && unmatched.isObject()) {
      for (JsonNode s : oneOrMany(unmatched, "symbol")) {
        if (s.isTextual() && s.asText().trim().equalsIgnoreCase(symbol)) {
          throw new UnknownSymbolException(symbol);
        }
      }
    }
    return null;
  }

  /** The bars of a {@code /v1/markets/history} answer, oldest first; empty for {@code {"history":null}}. */
  static List<Bar> bars(JsonNode root) {
    JsonNode history = payload(root, "history");
    if (history == null) {
      return List.of();
    }
    List<Bar> bars = new ArrayList<>();
    Set<LocalDate> dates = new HashSet<>();
    for (JsonNode day : list(history, "history", "day")) {
      requireObject(day, "history.day");
      Bar bar = new Bar(date(day, "day", "date"),
          requiredPrice(day, "day", "open"), requiredPrice(day, "day", "high"),
          requiredPrice(day, "day", "low"), requiredPrice(day, "day", "close"),
          requiredCount(day, "day", "volume"));
      if (!dates.add(bar.date())) {
        throw new ShapeException("history.day: two bars of " + bar.date());
      }
      bars.add(bar);
    }
    bars.sort(Comparator.comparing(Bar::date));
    return bars;
  }

  /** The dates of a {@code /v1/markets/options/expirations} answer; empty for {@code {"expirations":null}}. */
  static List<LocalDate> expirationDates(JsonNode root) {
    JsonNode expirations = payload(root, "expirations");
    if (expirations == null) {
      return List.of();
    }
    List<LocalDate> dates = new ArrayList<>();
    if (expirations.hasNonNull("date")) {
      for (JsonNode d : oneOrMany(expirations, "date")) {
        dates.add(parseDate(d, "expirations.date"));
      }
      return dates;
    }
    // with strikes, contractSize or expirationType asked: {"expiration": [{"date": ..., "strikes": ...}, ...]}
    for (JsonNode e : list(expirations, "expirations", "expiration")) {
      requireObject(e, "expirations.expiration");
      dates.add(date(e, "expiration", "date"));
    }
    return dates;
  }

  /**
   * The contracts of a {@code /v1/markets/options/chains} answer for {@code underlying} and {@code expiration}; empty
   * for {@code {"options":null}}. A contract of another underlying (compared ignoring case) or expiration, or one
   * OCC symbol listed twice, is a wrong shape: the answer is not the chain asked for.
   */
  static List<OptionContract> contracts(JsonNode root, String underlying, LocalDate expiration) {
    JsonNode options = payload(root, "options");
    if (options == null) {
      return List.of();
    }
    List<OptionContract> contracts = new ArrayList<>();
    Set<String> symbols = new HashSet<>();
    for (JsonNode o : list(options, "options", "option")) {
      requireObject(o, "options.option");
      OptionContract c = contractOf(o);
      if (!c.underlying().equalsIgnoreCase(underlying) || !c.expiration().equals(expiration)) {
        throw new ShapeException("option " + c.symbol() + " is of " + c.underlying() + " " + c.expiration()
            + ", not of the chain asked for, " + underlying + " " + expiration);
      }
      if (!symbols.add(c.symbol())) {
        throw new ShapeException("option " + c.symbol() + " is listed twice");
      }
      contracts.add(c);
    }
    return contracts;
  }

  /** The securities of a {@code /v1/markets/lookup} answer; empty for {@code {"securities":null}}. */
  static List<TradierClient.Security> securities(JsonNode root) {
    JsonNode securities = payload(root, "securities");
    if (securities == null) {
      return List.of();
    }
    List<TradierClient.Security> found = new ArrayList<>();
    for (JsonNode s : list(securities, "securities", "security")) {
      requireObject(s, "securities.security");
      found.add(new TradierClient.Security(requiredText(s, "security", "symbol"), text(s, "security", "exchange"),
          text(s, "security", "type"), text(s, "security", "description")));
    }
    return found;
  }

  /**
   * Returns Tradier's explanation from an error body ({@code {"fault":{"faultstring":"..."}}}), if it has one.
   *
   * @return the faultstring, or null when the body is not such JSON
   */
  static String faultstring(byte[] body) {
    try {
      JsonNode fault = MAPPER.readTree(body).path("fault").path("faultstring");
      return fault.isTextual() ? fault.asText() : null;
    } catch (IOException | RuntimeException e) {
      return null; // not JSON: the caller falls back to the body text
    }
  }

  // ---- records ----------------------------------------------------------------------------------------------

  private static Quote quoteOf(JsonNode q) {
    String w = "quote";
    String type = text(q, w, "type");
    boolean index = "index".equalsIgnoreCase(type);
    Long volume = count(q, w, "volume");
    Double bid = price(q, w, "bid");
    Long bidSize = count(q, w, "bidsize");
    Double ask = price(q, w, "ask");
    Long askSize = count(q, w, "asksize");
    return new Quote(requiredText(q, w, "symbol"), text(q, w, "description"), text(q, w, "exch"),
        type, level(q, "last", index), decimal(q, w, "change"), decimal(q, w, "change_percentage"),
        index ? nonZero(volume) : volume, nonZero(count(q, w, "average_volume")), epochMillis(q, w, "trade_date"),
        level(q, "open", index), level(q, "high", index), level(q, "low", index), level(q, "close", index),
        nonZero(level(q, "prevclose", index)), nonZero(level(q, "week_52_high", index)),
        nonZero(level(q, "week_52_low", index)),
        index ? nonZero(bid) : bid, index ? nonZero(bidSize) : bidSize,
        index ? nonZero(ask) : ask, index ? nonZero(askSize) : askSize);
  }

  /**
   * A quote's price level: a price, never below zero, except for an index, which is a computed number (breadth
   * indexes go below zero).
   */
  private static Double level(JsonNode q, String field, boolean index) {
    return index ? decimal(q, "quote", field) : price(q, "quote", field);
  }

  /** A placeholder zero is no value. */
  private static Double nonZero(Double d) {
    return d == null || d == 0.0 ? null : d;
  }

  private static Long nonZero(Long n) {
    return n == null || n == 0L ? null : n;
  }

  private static OptionContract contractOf(JsonNode o) {
    String w = "option";
    String typeName = requiredText(o, w, "option_type");
    OptionType type;
    try {
      type = OptionType.parse(typeName);
    } catch (IllegalArgumentException e) {
      throw new ShapeException("option.option_type: expected call or put, got " + preview(o.get("option_type")));
    }
    Long contractSize = integer(o, w, "contract_size");
    if (contractSize != null && (contractSize < 0 || contractSize > Integer.MAX_VALUE)) {
      throw new ShapeException("option.contract_size: out of range: " + contractSize);
    }
    String symbol = requiredText(o, w, "symbol");
    String root = text(o, w, "root_symbol");
    double strike = requiredDecimal(o, w, "strike");
    if (strike <= 0) {
      throw new ShapeException("option.strike: expected a price above zero, got " + preview(o.get("strike")));
    }
    return new OptionContract(symbol, root == null || root.isBlank() ? occRoot(symbol) : root,
        requiredText(o, w, "underlying"), type,
        strike, date(o, w, "expiration_date"), text(o, w, "expiration_type"),
        contractSize == null ? null : contractSize.intValue(), price(o, w, "last"), decimal(o, w, "change"),
        price(o, w, "bid"), count(o, w, "bidsize"), price(o, w, "ask"), count(o, w, "asksize"),
        count(o, w, "volume"), count(o, w, "open_interest"), greeksOf(o.get("greeks")));
  }

  private static Greeks greeksOf(JsonNode g) {
    if (g == null || g.isNull()) {
      return null;
    }
    requireObject(g, "option.greeks");
    String w = "greeks";
    return new Greeks(decimal(g, w, "delta"), decimal(g, w, "gamma"), decimal(g, w, "theta"),
        decimal(g, w, "vega"), decimal(g, w, "rho"), decimal(g, w, "phi"), nonZero(decimal(g, w, "bid_iv")),
        nonZero(decimal(g, w, "mid_iv")), nonZero(decimal(g, w, "ask_iv")), nonZero(decimal(g, w, "smv_vol")),
        text(g, w, "updated_at"));
  }

  /** The root of an OCC symbol as Tradier writes it ({@code ROOT + YYMMDD + C|P + 8 digits}). */
  private static String occRoot(String symbol) {
    int tail = symbol.length() - 15;
    if (tail <= 0 || !OCC_TAIL.matcher(symbol).region(tail, symbol.length()).matches()) {
      throw new ShapeException("option.symbol: not an OCC symbol and no root_symbol: " + symbol);
    }
    return symbol.substring(0, symbol.length() - 15);
  }

  // ---- shape helpers ----------------------------------------------------------------------------------------

  /**
   * Returns the payload object under the root key, or null when it is JSON {@code null}. A missing key or a
   * root that is not an object is a wrong shape.
   */
  private static JsonNode payload(JsonNode root, String key) {
    if (root == null || !root.isObject()) {
      throw new ShapeException("expected a JSON object at the top level, got " + kind(root));
    }
    JsonNode payload = root.get(key);
    if (payload == null) {
      throw new ShapeException("no '" + key + "' field at the top level");
    }
    if (payload.isNull()) {
      return null;
    }
    requireObject(payload, key);
    return payload;
  }

  /** Tradier's one-or-many: missing or null is none, an array its elements, anything else a list of one. */
  static List<JsonNode> oneOrMany(JsonNode parent, String key) {
    JsonNode value = parent.get(key);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      return List.of(value);
    }
    List<JsonNode> items = new ArrayList<>(value.size());
    value.forEach(items::add);
    return items;
  }

  /** A payload's list: required (a payload without it is a wrong shape), then one-or-many. */
  private static List<JsonNode> list(JsonNode payload, String where, String key) {
    if (!payload.hasNonNull(key)) {
      throw new ShapeException(where + ": no '" + key + "' list");
    }
    return oneOrMany(payload, key);
  }

  private static void requireObject(JsonNode node, String where) {
    if (!node.isObject()) {
      throw new ShapeException(where + ": expected an object, got " + kind(node) + " " + preview(node));
    }
  }

  private static String text(JsonNode o, String where, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw wrongType(where, field, "a string", v);
    }
    return v.asText();
  }

  private static String requiredText(JsonNode o, String where, String field) {
    String s = text(o, where, field);
    if (s == null || s.isBlank()) {
      throw new ShapeException(where + "." + field + ": missing");
    }
    return s;
  }

  private static Double decimal(JsonNode o, String where, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw wrongType(where, field, "a number", v);
    }
    double d = v.doubleValue();
    if (!Double.isFinite(d)) {
      throw wrongType(where, field, "a finite number", v);
    }
    return d;
  }

  private static double requiredDecimal(JsonNode o, String where, String field) {
    Double d = decimal(o, where, field);
    if (d == null) {
      throw new ShapeException(where + "." + field + ": missing");
    }
    return d;
  }

  /** A price: a finite number, zero or more; null when absent. */
  private static Double price(JsonNode o, String where, String field) {
    Double d = decimal(o, where, field);
    if (d != null && d < 0) {
      throw wrongType(where, field, "a price of zero or more", o.get(field));
    }
    return d;
  }

  private static double requiredPrice(JsonNode o, String where, String field) {
    Double d = price(o, where, field);
    if (d == null) {
      throw new ShapeException(where + "." + field + ": missing");
    }
    return d;
  }

  /** A size, volume or open interest: an integer, zero or more; null when absent. */
  private static Long count(JsonNode o, String where, String field) {
    Long n = integer(o, where, field);
    if (n != null && n < 0) {
      throw wrongType(where, field, "a count of zero or more", o.get(field));
    }
    return n;
  }

  private static long requiredCount(JsonNode o, String where, String field) {
    Long n = count(o, where, field);
    if (n == null) {
      throw new ShapeException(where + "." + field + ": missing");
    }
    return n;
  }

  /** An integral number; a floating-point value is accepted only when whole (e.g. {@code 100.0}). */
  private static Long integer(JsonNode o, String where, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.longValue();
    }
    if (v.isFloatingPointNumber()) {
      double d = v.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
        return (long) d;
      }
    }
    throw wrongType(where, field, "an integer", v);
  }

  /** Epoch milliseconds; Tradier writes 0 when there has been no trade, read as null. */
  private static Instant epochMillis(JsonNode o, String where, String field) {
    Long ms = integer(o, where, field);
    return ms == null || ms == 0 ? null : Instant.ofEpochMilli(ms); // never throws: any long is in range
  }

  private static LocalDate date(JsonNode o, String where, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      throw new ShapeException(where + "." + field + ": missing");
    }
    return parseDate(v, where + "." + field);
  }

  private static LocalDate parseDate(JsonNode v, String where) {
    if (v.isTextual()) {
      try {
        return isoDate(v.asText().trim());
      } catch (DateTimeException e) {
        // falls through to the shape error
      }
    }
    throw new ShapeException(where + ": expected a date YYYY-MM-DD, got " + preview(v));
  }

  /**
   * {@link LocalDate#parse} with a fast path for the only form Tradier sends, {@code YYYY-MM-DD}: a chain has a date
   * per contract, and the general parser costs about 10 microseconds a date until the JIT has compiled it, which
   * under the upstream budget takes a long time. The same dates as {@code LocalDate.parse}, and it refuses the same
   * strings, with a {@link DateTimeException} (not always the subclass {@code DateTimeParseException}).
   */
  static LocalDate isoDate(String text) {
    if (text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') {
      int year = digits(text, 0, 4);
      int month = digits(text, 5, 7);
      int day = digits(text, 8, 10);
      if (year >= 0 && month >= 0 && day >= 0) {
        return LocalDate.of(year, month, day); // DateTimeException for a month or day out of range
      }
    }
    return LocalDate.parse(text);
  }

  /** The decimal value of {@code text[from, to)}, or -1 if a character is not an ASCII digit. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static ShapeException wrongType(String where, String field, String expected, JsonNode v) {
    return new ShapeException(where + "." + field + ": expected " + expected + ", got " + preview(v));
  }

  private static String kind(JsonNode node) {
    return node == null ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static String preview(JsonNode node) {
    String s = String.valueOf(node);
    return s.length() <= PREVIEW_CHARS ? s : s.substring(0, PREVIEW_CHARS) + "...";
  }
}
