package dev.optionchain.dashboard.web;

import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.dashboard.history.BreakerHistory;
import dev.optionchain.dashboard.history.SlaReport;
import dev.optionchain.dashboard.history.TransitionRecord;
import dev.optionchain.dashboard.market.InvalidRequestException;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The breakers' persisted history: the recent-transitions timeline and the SLA report. */
final class HistoryController {

  private static final Pattern WINDOW = Pattern.compile("(\\d{1,4})([mhd])");
  private static final Duration MIN_WINDOW = Duration.ofMinutes(1);
  private static final Duration MAX_WINDOW = Duration.ofDays(90);

  private final BreakerHistory history;
  private final CircuitBreakerRegistry registry;

  HistoryController(BreakerHistory history, CircuitBreakerRegistry registry) {
    this.history = history;
    this.registry = registry;
  }

  /** {@code GET /api/health/transitions?limit=50}: newest first. */
  void transitions(Context ctx) {
    int limit = QueryParams.of(ctx, "limit").integer("limit", 1, 1000, 50);
    List<Map<String, Object>> out = new ArrayList<>();
    for (TransitionRecord t : history.recent(limit)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("breaker", t.breaker());
      m.put("from", t.from().name());
      m.put("to", t.to().name());
      m.put("at", t.at().toString());
      m.put("reason", t.reason());
      m.put("failureCount", t.failureCount());
      m.put("origin", t.origin().orElse(null));
      out.add(m);
    }
    ctx.json(Map.of("transitions", out));
  }

  /** {@code GET /api/health/sla?window=24h}: per breaker, over the window. */
  void sla(Context ctx) {
    String window = QueryParams.of(ctx, "window").string("window").orElse("24h").toLowerCase(Locale.ROOT);
    Duration length = window(window);
    Map<String, Object> breakers = new LinkedHashMap<>();
    SlaReport any = null;
    for (SlaReport r : history.sla(registry.getAll().keySet(), length).values()) {
      any = r;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("availabilityPercent", round(r.availabilityPercent()));
      m.put("trips", r.trips());
      m.put("meanTimeToRecoverSeconds", r.meanTimeToRecover().map(HistoryController::seconds).orElse(null));
      m.put("maxTimeToRecoverSeconds", r.maxTimeToRecover().map(HistoryController::seconds).orElse(null));
      m.put("ongoingOutageSeconds", r.ongoingOutage().map(HistoryController::seconds).orElse(null));
      m.put("requests", r.totalRequests());
      m.put("servedLive", r.liveAnswers());
      m.put("servedFromCache", r.cachedAnswers());
      m.put("unavailable", r.unavailableAnswers());
      m.put("cacheSharePercent", r.cacheSharePercent().map(HistoryController::round).orElse(null));
      breakers.put(r.breaker(), m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("window", window);
    out.put("from", any == null ? null : any.from().toString());
    out.put("to", any == null ? null : any.to().toString());
    out.put("breakers", breakers);
    ctx.json(out);
  }

  static Duration window(String window) {
    Matcher m = WINDOW.matcher(window);
    if (!m.matches()) {
      throw new InvalidRequestException("window must be like 30m, 24h or 7d (1 minute to 90 days), was '"
          + QueryParams.echo(window) + "'");
    }
    long n = Long.parseLong(m.group(1));
    Duration d = m.group(2).equals("m") ? Duration.ofMinutes(n)
        : m.group(2).equals("h") ? Duration.ofHours(n) : Duration.ofDays(n);
    if (d.compareTo(MIN_WINDOW) < 0 || d.compareTo(MAX_WINDOW) > 0) {
      throw new InvalidRequestException("window must be from 1 minute to 90 days, was '" + window + "'");
    }
    return d;
  }

  private static double seconds(Duration d) {
    return round(d.toMillis() / 1000.0);
  }

  private static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
