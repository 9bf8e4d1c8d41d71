package dev.optionchain.marketsim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The market-data endpoints: request parsing and validation, and Tradier's payload shapes.
 * Each method answers the JSON body for a valid request or throws {@link ApiException} (400).
 * Unknown symbols are not errors: quotes list them under {@code unmatched_symbols}, the other
 * endpoints answer a {@code null} payload, as Tradier does.
 *
 * <p>Thread-safe (stateless apart from the thread-safe {@link MarketData}).
 */
final class TradierApi {

  static final int MAX_SYMBOLS = 100;
  static final LocalDate MIN_DATE = LocalDate.of(1970, 1, 1);
  static final LocalDate MAX_DATE = LocalDate.of(2199, 12, 31);
  static final long MAX_HISTORY_YEARS = 25;

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
      .withResolverStyle(ResolverStyle.STRICT);

  private final MarketData market;

  TradierApi(MarketData market) {
    this.market = market;
  }

  /** {@code GET|POST /v1/markets/quotes?symbols=A,B[&greeks=true]} */
  ObjectNode quotes(Context ctx, MarketMoment moment) {
    String raw = param(ctx, "symbols");
    Set<String> symbols = new LinkedHashSet<>();
    if (raw != null) {
      for (String part : raw.split(",")) {
        String symbol = part.trim().toUpperCase(Locale.ROOT);
        if (!symbol.isEmpty()) {
          symbols.add(symbol);
        }
      }
    }
    if (symbols.isEmpty()) {
      throw ApiException.missing("symbols");
    }
    if (symbols.size() > MAX_SYMBOLS) {
      throw new ApiException(400, "Too many symbols: " + symbols.size() + " (at most " + MAX_SYMBOLS
          + " per request)", "request.too_many_symbols");
    }
    boolean greeks = flag(ctx, "greeks");
    List<JsonNode> quotes = new ArrayList<>();
    List<JsonNode> unmatched = new ArrayList<>();
    for (String symbol : symbols) {
      Optional<Security> security = market.universe().find(symbol);
      if (security.isPresent()) {
        quotes.add(TradierJson.quote(market.quote(security.get(), moment)));
        continue;
      }
      Optional<OptionQuote> option = OccSymbol.parse(symbol).flatMap(occ -> market.option(occ, moment));
      if (option.isPresent()) {
        quotes.add(TradierJson.option(option.get(), greeks, moment.open()));
      } else {
        unmatched.add(Json.MAPPER.getNodeFactory().textNode(symbol));
      }
    }
    ObjectNode root = Json.object();
    ObjectNode body = root.putObject("quotes");
    if (!quotes.isEmpty()) {
      body.set("quote", Json.oneOrMany(quotes));
    }
    if (!unmatched.isEmpty()) {
      body.putObject("unmatched_symbols").set("symbol", Json.oneOrMany(unmatched));
    }
    return root;
  }

  /** {@code GET /v1/markets/history?symbol=&interval=daily|weekly|monthly&start=&end=} */
  ObjectNode history(Context ctx, MarketMoment moment) {
    String symbol = symbol(ctx);
    String intervalName = param(ctx, "interval");
    Interval interval = Interval.DAILY;
    if (intervalName != null && !intervalName.isBlank()) {
      try {
        interval = Interval.valueOf(intervalName.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid("interval", intervalName, "expected daily, weekly or monthly");
      }
    }
    LocalDate end = date(ctx, "end");
    LocalDate start = date(ctx, "start");
    if (end == null) {
      end = start != null && start.isAfter(moment.day()) ? start : moment.day();
    }
    if (start == null) {
      start = end.minusYears(1);
    }
    if (start.isAfter(end)) {
      throw new ApiException(400, "Invalid range: start " + start + " is after end " + end,
          "request.invalid_parameter");
    }
    if (ChronoUnit.YEARS.between(start, end) >= MAX_HISTORY_YEARS) {
      throw new ApiException(400, "Invalid range: " + start + " to " + end + " spans more than "
          + MAX_HISTORY_YEARS + " years", "request.invalid_parameter");
    }
    ObjectNode root = Json.object();
    Optional<Security> security = market.universe().find(symbol);
    List<Bar> bars = security.isEmpty() || start.isAfter(moment.day()) ? List.of()
        : market.history(security.get(), start, end, interval, moment);
    if (bars.isEmpty()) {
      root.putNull("history");
      return root;
    }
    List<JsonNode> days = new ArrayList<>(bars.size());
    for (Bar bar : bars) {
      days.add(TradierJson.bar(bar, security.get().index()));
    }
    root.putObject("history").set("day", Json.oneOrMany(days));
    return root;
  }

  /**
   * {@code GET /v1/markets/options/expirations?symbol=[&includeAllRoots=true][&strikes=true][&contractSize=true]
   * [&expirationType=true]}: without {@code includeAllRoots} only the expirations of the symbol's own root (SPX:
   * the monthlies; SPXW's weeklies need it), as on Tradier.
   */
  ObjectNode expirations(Context ctx, MarketMoment moment) {
    String symbol = symbol(ctx);
    boolean strikes = flag(ctx, "strikes");
    boolean contractSize = flag(ctx, "contractSize");
    boolean expirationType = flag(ctx, "expirationType");
    boolean allRoots = flag(ctx, "includeAllRoots");
    ObjectNode root = Json.object();
    Optional<Security> security = market.universe().find(symbol);
    List<Expiration> expirations = security.isEmpty() ? List.of()
        : market.expirations(security.get(), moment, allRoots);
    if (expirations.isEmpty()) {
      root.putNull("expirations");
      return root;
    }
    ObjectNode body = root.putObject("expirations");
    List<JsonNode> items = new ArrayList<>();
    if (!strikes && !contractSize && !expirationType) {
      for (Expiration e : expirations) {
        items.add(Json.MAPPER.getNodeFactory().textNode(e.date().toString()));
      }
      body.set("date", Json.oneOrMany(items));
      return root;
    }
    for (Expiration e : expirations) {
      ObjectNode item = Json.object();
      item.put("date", e.date().toString());
      if (contractSize) {
        item.put("contract_size", OptionQuoter.CONTRACT_SIZE);
      }
      if (expirationType) {
        item.put("expiration_type", e.type());
      }
      if (strikes) {
        List<JsonNode> values = new ArrayList<>();
        for (double strike : market.strikes(security.get(), moment, e)) {
          values.add(Json.MAPPER.getNodeFactory().numberNode(strike));
        }
        item.putObject("strikes").set("strike", Json.oneOrMany(values));
      }
      items.add(item);
    }
    body.set("expiration", Json.oneOrMany(items));
    return root;
  }

  /** {@code GET /v1/markets/options/chains?symbol=&expiration=YYYY-MM-DD[&greeks=true]} */
  ObjectNode chains(Context ctx, MarketMoment moment) {
    String symbol = symbol(ctx);
    LocalDate expirationDate = date(ctx, "expiration");
    if (expirationDate == null) {
      throw ApiException.missing("expiration");
    }
    boolean greeks = flag(ctx, "greeks");
    ObjectNode root = Json.object();
    Optional<Security> security = market.universe().find(symbol);
    Optional<Expiration> expiration = security.isEmpty() ? Optional.empty()
        : market.expiration(security.get(), moment, expirationDate);
    if (expiration.isEmpty()) {
      root.putNull("options");
      return root;
    }
    List<JsonNode> options = new ArrayList<>();
    for (OptionQuote q : market.chain(security.get(), moment, expiration.get())) {
      options.add(TradierJson.option(q, greeks, moment.open()));
    }
    if (options.isEmpty()) {
      root.putNull("options");
      return root;
    }
    root.putObject("options").set("option", Json.oneOrMany(options));
    return root;
  }

  /** {@code GET /v1/markets/lookup?q=[&types=stock,etf][&exchanges=Q,N]} */
  ObjectNode lookup(Context ctx, MarketMoment moment) {
    String q = param(ctx, "q");
    if (q == null || q.isBlank()) {
      throw ApiException.missing("q");
    }
    List<Security> hits = market.universe().lookup(q.trim(), list(ctx, "types", false), list(ctx, "exchanges", true));
    ObjectNode root = Json.object();
    if (hits.isEmpty()) {
      root.putNull("securities");
      return root;
    }
    List<JsonNode> items = new ArrayList<>();
    for (Security s : hits) {
      items.add(TradierJson.security(s));
    }
    root.putObject("securities").set("security", Json.oneOrMany(items));
    return root;
  }

  /** The JSON body a request would get (used by the {@code empty} fault): {@code {"<root>": null}}. */
  static ObjectNode nullPayload(Endpoint endpoint) {
    ObjectNode root = Json.object();
    root.putNull(endpoint.root());
    return root;
  }

  private static String param(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null && ctx.method() == HandlerType.POST) {
      value = ctx.formParam(name);
    }
    return value;
  }

  private static String symbol(Context ctx) {
    String symbol = param(ctx, "symbol");
    if (symbol == null || symbol.isBlank()) {
      throw ApiException.missing("symbol");
    }
    return symbol.trim().toUpperCase(Locale.ROOT);
  }

  private static boolean flag(Context ctx, String name) {
    String value = param(ctx, name);
    if (value == null || value.isEmpty()) {
      return false;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw ApiException.invalid(name, value, "expected true or false");
  }

  private static LocalDate date(Context ctx, String name) {
    String value = param(ctx, name);
    if (value == null || value.isBlank()) {
      return null;
    }
    LocalDate date;
    try {
      date = LocalDate.parse(value.trim(), DATE);
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(name, value, "expected a date YYYY-MM-DD");
    }
    if (date.isBefore(MIN_DATE) || date.isAfter(MAX_DATE)) {
      throw ApiException.invalid(name, value, "expected a date between " + MIN_DATE + " and " + MAX_DATE);
    }
    return date;
  }

  private static Set<String> list(Context ctx, String name, boolean upper) {
    String value = param(ctx, name);
    Set<String> items = new LinkedHashSet<>();
    if (value != null) {
      for (String part : value.split(",")) {
        String item = part.trim();
        if (!item.isEmpty()) {
          items.add(upper ? item.toUpperCase(Locale.ROOT) : item.toLowerCase(Locale.ROOT));
        }
      }
    }
    return items;
  }
}
