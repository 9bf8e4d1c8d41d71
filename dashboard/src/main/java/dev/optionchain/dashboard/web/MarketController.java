package dev.optionchain.dashboard.web;

import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.dashboard.market.DashboardView;
import dev.optionchain.dashboard.market.InvalidRequestException;
import dev.optionchain.dashboard.market.MarketDataService;
import dev.optionchain.dashboard.market.Requests;
import dev.optionchain.dashboard.market.Sourced;
import dev.optionchain.dashboard.model.Interval;
import dev.optionchain.dashboard.model.OptionChain;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** The market-data endpoints under {@code /api}. Validates input, asks the service, writes provenance. */
final class MarketController {

  private final MarketDataService market;
  private final BreakerClock clock;

  MarketController(MarketDataService market, BreakerClock clock) {
    this.market = market;
    this.clock = clock;
  }

  /** {@code GET /api/quote/{symbol}}. */
  void quote(Context ctx) {
    QueryParams.of(ctx);
    Sourced<?> q = market.quote(symbol(ctx));
    ctx.json(Json.sourced(q, q.data()));
  }

  /** {@code GET /api/info/{symbol}}. */
  void info(Context ctx) {
    QueryParams.of(ctx);
    Sourced<?> i = market.info(symbol(ctx));
    ctx.json(Json.sourced(i, i.data()));
  }

  /** {@code GET /api/history/{symbol}?interval=daily&start=&end=}. */
  void history(Context ctx) {
    QueryParams params = QueryParams.of(ctx, "interval", "start", "end");
    String symbol = symbol(ctx);
    Interval interval = params.oneOf("interval", "daily", "weekly", "monthly").map(Interval::parse)
        .orElse(Interval.DAILY);
    LocalDate start = params.date("start").orElse(null);
    LocalDate end = params.date("end").orElse(null);
    Sourced<?> h = market.history(symbol, interval, start, end);
    ctx.json(Json.sourced(h, h.data()));
  }

  /** {@code GET /api/options/{symbol}/expirations}. */
  void expirations(Context ctx) {
    QueryParams.of(ctx);
    Sourced<?> e = market.expirations(symbol(ctx));
    ctx.json(Json.sourced(e, e.data()));
  }

  /** {@code GET /api/options/{symbol}?expiration=YYYY-MM-DD}. */
  void chain(Context ctx) {
    QueryParams params = QueryParams.of(ctx, "expiration");
    String symbol = symbol(ctx);
    LocalDate expiration = params.date("expiration").orElseThrow(() -> new InvalidRequestException(
        "expiration is required, e.g. ?expiration=2026-01-16; see /api/options/" + symbol + "/expirations"));
    Sourced<OptionChain> c = market.chain(symbol, expiration);
    ctx.json(Json.sourced(c, chainJson(c.data())));
  }

  /** {@code GET /api/dashboard/{symbol}}. */
  void dashboard(Context ctx) {
    QueryParams.of(ctx);
    DashboardView v = market.dashboard(symbol(ctx));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("symbol", v.symbol());
    m.put("expiration", v.expiration().map(LocalDate::toString).orElse(null));
    m.put("quote", Json.part(v.quote(), v.quote().value().map(Sourced::data).orElse(null)));
    m.put("info", Json.part(v.info(), v.info().value().map(Sourced::data).orElse(null)));
    m.put("expirations", Json.part(v.expirations(), v.expirations().value().map(Sourced::data).orElse(null)));
    m.put("chain", Json.part(v.chain(), v.chain().value().map(s -> chainJson(s.data())).orElse(null)));
    m.put("history", Json.part(v.history(), v.history().value().map(Sourced::data).orElse(null)));
    ctx.json(m);
  }

  private Map<String, Object> chainJson(OptionChain chain) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("underlying", chain.underlying());
    m.put("expiration", chain.expiration().toString());
    m.put("daysToExpiry",
        ChronoUnit.DAYS.between(LocalDate.ofInstant(clock.now(), ZoneOffset.UTC), chain.expiration()));
    m.put("roots", chain.roots());
    m.put("rows", chain.rows());
    return m;
  }

  private static String symbol(Context ctx) {
    return Requests.symbol(ctx.pathParam("symbol"));
  }
}
