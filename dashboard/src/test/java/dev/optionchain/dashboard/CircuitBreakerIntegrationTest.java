package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerState;
import dev.optionchain.breaker.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The breakers doing their job, end to end: the dashboard and the embedded market simulator on ephemeral ports, a
 * real DuckDB file, real HTTP, faults injected through the simulator's control API, and the breakers' time moved by a
 * {@link ManualClock}.
 */
class CircuitBreakerIntegrationTest {

  @TempDir
  Path dataDir;

  private final ManualClock clock = TestDashboards.clock();
  private DashboardApp app;
  private Api api;
  private Api sim;
  private String symbol;
  private String otherSymbol;

  private void start(Map<String, String> overrides) {
    app = TestDashboards.start(dataDir, clock, TestDashboards.withoutMemory(overrides));
    api = new Api(app.url());
    sim = new Api(app.simulator().orElseThrow().baseUrl());
    List<String> symbols = app.simulator().orElseThrow().symbols();
    symbol = symbols.contains("AAPL") ? "AAPL" : symbols.get(0);
    otherSymbol = symbols.stream().filter(s -> !s.equals(symbol)).findFirst().orElseThrow();
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  private void fault(String endpoint, String mode, String extra) {
    Api.Response r = sim.post("/sim/faults",
        "{\"endpoint\":\"" + endpoint + "\",\"mode\":\"" + mode + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}");
    assertThat(r.status()).as("setting fault %s %s: %s", endpoint, mode, r).isEqualTo(200);
  }

  private long upstreamRequests(String endpoint) {
    JsonNode n = sim.get("/sim/stats").json().path("endpoints").path(endpoint).path("requests");
    return n.asLong(0);
  }

  private CircuitBreaker breaker(String name) {
    return app.breakers().get(name).orElseThrow();
  }

  private String firstExpiration(String s) {
    Api.Response r = api.get("/api/options/" + s + "/expirations");
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().path("data").path("dates").get(0).asText();
  }

  @Test
  void healthyUpstreamServesLiveDataAndFillsTheCache() {
    start(Map.of());
    Api.Response quote = api.get("/api/quote/" + symbol.toLowerCase());
    assertThat(quote.status()).isEqualTo(200);
    assertThat(quote.json().path("source").asText()).isEqualTo("live");
    assertThat(quote.json().path("stale").asBoolean()).isFalse();
    assertThat(quote.json().path("asOf").asText()).isEqualTo(clock.now().toString());
    assertThat(quote.json().path("data").path("symbol").asText()).isEqualTo(symbol);
    assertThat(quote.json().path("data").path("last").asDouble()).isPositive();

    Api.Response info = api.get("/api/info/" + symbol);
    assertThat(info.status()).isEqualTo(200);
    assertThat(info.json().path("data").path("name").asText()).isNotBlank();
    assertThat(info.json().path("data").path("week52High").asDouble())
        .isGreaterThanOrEqualTo(info.json().path("data").path("week52Low").asDouble());

    Api.Response history = api.get("/api/history/" + symbol + "?interval=daily");
    assertThat(history.status()).isEqualTo(200);
    assertThat(history.json().path("data").path("bars").size()).isGreaterThan(200);

    String expiration = firstExpiration(symbol);
    Api.Response chain = api.get("/api/options/" + symbol + "?expiration=" + expiration);
    assertThat(chain.status()).as("%s", chain).isEqualTo(200);
    JsonNode rows = chain.json().path("data").path("rows");
    assertThat(rows.size()).isGreaterThan(10);
    JsonNode row = rows.get(rows.size() / 2);
    assertThat(row.path("call").path("greeks").path("delta").asDouble()).isBetween(0.0, 1.0);
    assertThat(row.path("put").path("greeks").path("delta").asDouble()).isBetween(-1.0, 0.0);

    app.awaitCacheWrites();
    assertThat(app.cache().rowCount("quotes")).isEqualTo(1);
    assertThat(app.cache().rowCount("ticker_info")).isEqualTo(1);
    assertThat(app.cache().rowCount("price_history")).isGreaterThan(200);
    assertThat(app.cache().rowCount("expirations")).isGreaterThan(3);
    assertThat(app.cache().rowCount("option_quotes")).isEqualTo(rows.size() * 2L);
    assertThat(app.breakers().getClosedBreakers()).hasSize(5);
  }

  @Test
  void anOutageOpensOnlyItsBreakerStopsUpstreamCallsAndServesTheCache() {
    start(Map.of());
    String expiration = firstExpiration(symbol);
    String chainPath = "/api/options/" + symbol + "?expiration=" + expiration;
    assertThat(api.get(chainPath).status()).isEqualTo(200);
    String otherExpiration = firstExpiration(otherSymbol);

    fault("chains", "outage", "");
    for (int i = 0; i < 3; i++) {
      Api.Response r = api.get(chainPath);
      assertThat(r.status()).as("failure %d served from the cache: %s", i, r).isEqualTo(200);
      assertThat(r.json().path("source").asText()).isEqualTo("cache");
      assertThat(r.json().path("stale").asBoolean()).isTrue();
      assertThat(r.json().path("reason").asText()).isEqualTo("upstream_failed");
    }
    assertThat(breaker("options_chain").isOpen()).isTrue();

    long before = upstreamRequests("chains");
    Api.Response cached = api.get(chainPath);
    assertThat(cached.status()).isEqualTo(200);
    assertThat(cached.json().path("source").asText()).isEqualTo("cache");
    assertThat(cached.json().path("stale").asBoolean()).isTrue();
    assertThat(cached.json().path("breaker").asText()).isEqualTo("options_chain");
    assertThat(cached.json().path("reason").asText()).isEqualTo("breaker_open");
    assertThat(cached.json().path("retryAfterSeconds").asLong()).isEqualTo(90);
    assertThat(cached.json().path("data").path("rows").size()).isGreaterThan(10);

    Api.Response uncached = api.get("/api/options/" + otherSymbol + "?expiration=" + otherExpiration);
    assertThat(uncached.status()).isEqualTo(503);
    assertThat(uncached.header("Retry-After")).contains("90");
    assertThat(uncached.json().path("breaker").asText()).isEqualTo("options_chain");
    assertThat(uncached.json().path("error").asText()).contains("options_chain");
    assertThat(upstreamRequests("chains")).as("no upstream call while open").isEqualTo(before);

    Api.Response quote = api.get("/api/quote/" + symbol);
    assertThat(quote.status()).isEqualTo(200);
    assertThat(quote.json().path("source").asText()).isEqualTo("live");
    assertThat(app.breakers().getOpenBreakers()).containsExactly("options_chain");

    Api.Response health = api.get("/api/health/circuit-breakers");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().path("degraded").asBoolean()).isTrue();
    assertThat(health.json().path("open").get(0).asText()).isEqualTo("options_chain");
    assertThat(health.json().path("breakers").path("options_chain").path("state").asText()).isEqualTo("OPEN");
    assertThat(health.json().path("breakers").path("options_chain").path("failureCount").asInt()).isEqualTo(3);
  }

  @Test
  void anUpstreamFailureWithNothingCachedIsA502() {
    start(Map.of());
    String expiration = firstExpiration(symbol);
    fault("chains", "error_rate", "\"rate\":1.0");
    Api.Response r = api.get("/api/options/" + symbol + "?expiration=" + expiration);
    assertThat(r.status()).isEqualTo(502);
    assertThat(r.json().path("breaker").asText()).isEqualTo("options_chain");
    assertThat(r.json().path("error").asText()).contains("SERVER_ERROR");
  }

  @Test
  void afterTheRecoveryTimeoutOneTrialCallGoesUpstreamAndClosesTheBreaker() {
    start(Map.of());
    String expiration = firstExpiration(symbol);
    String chainPath = "/api/options/" + symbol + "?expiration=" + expiration;
    assertThat(api.get(chainPath).status()).isEqualTo(200);
    fault("chains", "outage", "");
    for (int i = 0; i < 3; i++) {
      api.get(chainPath);
    }
    assertThat(breaker("options_chain").isOpen()).isTrue();
    assertThat(sim.delete("/sim/faults").status()).isEqualTo(200);

    clock.advance(Duration.ofSeconds(89));
    long before = upstreamRequests("chains");
    assertThat(api.get(chainPath).json().path("source").asText()).isEqualTo("cache");
    assertThat(upstreamRequests("chains")).isEqualTo(before);

    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker("options_chain").isHalfOpen()).isTrue();
    Api.Response trial = api.get(chainPath);
    assertThat(trial.status()).isEqualTo(200);
    assertThat(trial.json().path("source").asText()).isEqualTo("live");
    assertThat(upstreamRequests("chains")).as("exactly one trial call").isEqualTo(before + 1);
    assertThat(breaker("options_chain").isClosed()).isTrue();
    assertThat(api.get(chainPath).json().path("source").asText()).isEqualTo("live");
  }

  @Test
  void whenTheUpstreamSaysItsBudgetIsSpentNothingIsCalledUntilItsWindowEnds() {
    start(Map.of());
    assertThat(api.get("/api/quote/" + symbol).status()).isEqualTo(200);
    fault("quotes", "rate_limit", "\"perMinute\":1");
    long before = upstreamRequests("quotes");
    Api.Response last = api.get("/api/quote/" + symbol);
    assertThat(last.status()).as("the one call of the budget").isEqualTo(200);
    assertThat(last.json().path("source").asText()).isEqualTo("live");
    for (int i = 0; i < 8; i++) {
      Api.Response r = api.get("/api/quote/" + symbol);
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      assertThat(r.json().path("source").asText()).isEqualTo("cache");
      assertThat(r.json().path("reason").asText()).isEqualTo("rate_limited");
      assertThat(r.json().path("retryAfterSeconds").asLong()).isBetween(1L, 60L);
      assertThat(r.json().path("asOf").asText()).isEqualTo(last.json().path("asOf").asText());
    }
    Api.Response uncached = api.get("/api/quote/" + otherSymbol);
    assertThat(uncached.status()).as("nothing cached: 503 without calling").isEqualTo(503);
    assertThat(uncached.header("Retry-After")).isPresent();
    assertThat(upstreamRequests("quotes") - before)
        .as("X-Ratelimit-Available: 0 was believed: no 429 asked for, no call made").isEqualTo(1);
    assertThat(breaker("current_price").isClosed()).isTrue();
    assertThat(breaker("current_price").getStatus().failureCount()).as("not calling is no failure").isZero();

    clock.advance(Duration.ofSeconds(61));
    assertThat(api.get("/api/quote/" + symbol).json().path("source").asText()).as("a new window").isEqualTo("live");
  }

  @Test
  void aSlowUpstreamTripsTheBreakerOnTimeouts() {
    start(Map.of("breaker.price_history.request-timeout", "300ms"));
    fault("history", "latency", "\"latencyMs\":2000");
    for (int i = 0; i < 5; i++) {
      Api.Response r = api.get("/api/history/" + symbol);
      assertThat(r.status()).as("%s", r).isEqualTo(502);
      assertThat(r.json().path("error").asText()).contains("TIMEOUT");
    }
    assertThat(breaker("price_history").isOpen()).isTrue();
    Api.Response rejected = api.get("/api/history/" + symbol);
    assertThat(rejected.status()).isEqualTo(503);
    assertThat(rejected.header("Retry-After")).contains("60");
  }

  @Test
  void unknownSymbolsNeverTripABreaker() {
    start(Map.of());
    for (int i = 0; i < 20; i++) {
      Api.Response r = api.get("/api/quote/ZZZZQ");
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.json().path("error").asText()).contains("ZZZZQ");
    }
    assertThat(api.get("/api/options/ZZZZQ/expirations").status()).isEqualTo(404);
    assertThat(breaker("current_price").isClosed()).isTrue();
    assertThat(breaker("current_price").getStatus().failureCount()).isZero();
    assertThat(breaker("expirations").getStatus().failureCount()).isZero();
  }

  @Test
  void anEmptyPayloadNeverOverwritesCachedData() {
    start(Map.of());
    String expiration = firstExpiration(symbol);
    String chainPath = "/api/options/" + symbol + "?expiration=" + expiration;
    int rows = api.get(chainPath).json().path("data").path("rows").size();
    fault("chains", "empty", "");
    Api.Response r = api.get(chainPath);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("source").asText()).isEqualTo("cache");
    assertThat(r.json().path("error").isMissingNode()).isTrue();
    assertThat(r.json().path("data").path("rows").size()).isEqualTo(rows);
    app.awaitCacheWrites();
    assertThat(app.cache().rowCount("option_quotes")).isEqualTo(rows * 2L);
    assertThat(breaker("options_chain").getStatus().failureCount()).isEqualTo(1);
  }

  @Test
  void cachedDataSurvivesARestartOnTheSameDataDirectory() {
    start(Map.of());
    Api.Response first = api.get("/api/quote/" + symbol);
    assertThat(first.status()).isEqualTo(200);
    double last = first.json().path("data").path("last").asDouble();
    app.close();

    start(Map.of());
    fault("quotes", "outage", "");
    Api.Response again = api.get("/api/quote/" + symbol);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("source").asText()).isEqualTo("cache");
    assertThat(again.json().path("stale").asBoolean()).isTrue();
    assertThat(again.json().path("data").path("last").asDouble()).isEqualTo(last);
  }

  @Test
  void withBreakersDisabledEveryRequestReachesTheFailingUpstream() {
    start(Map.of("breakers.enabled", "false"));
    String expiration = firstExpiration(symbol);
    fault("chains", "outage", "");
    long before = upstreamRequests("chains");
    for (int i = 0; i < 6; i++) {
      assertThat(api.get("/api/options/" + symbol + "?expiration=" + expiration).status()).isEqualTo(502);
    }
    assertThat(upstreamRequests("chains") - before).isEqualTo(6);
    assertThat(api.get("/api/health/circuit-breakers").json().path("breakersEnabled").asBoolean()).isFalse();
  }

  @Test
  void theDashboardDegradesPartByPart() {
    start(Map.of());
    Api.Response healthy = api.get("/api/dashboard/" + symbol);
    assertThat(healthy.status()).as("%s", healthy).isEqualTo(200);
    for (String part : List.of("quote", "info", "expirations", "chain", "history")) {
      assertThat(healthy.json().path(part).path("status").asText()).as(part).isEqualTo("live");
    }
    assertThat(healthy.json().path("expiration").asText()).isNotBlank();

    fault("chains", "outage", "");
    fault("history", "outage", "");
    Api.Response degraded = api.get("/api/dashboard/" + otherSymbol);
    assertThat(degraded.status()).isEqualTo(200);
    assertThat(degraded.json().path("quote").path("status").asText()).isEqualTo("live");
    assertThat(degraded.json().path("chain").path("status").asText()).isEqualTo("unavailable");
    assertThat(degraded.json().path("chain").path("error").asText()).isNotBlank();
    assertThat(degraded.json().path("history").path("status").asText()).isEqualTo("unavailable");

    Api.Response fromCache = api.get("/api/dashboard/" + symbol);
    assertThat(fromCache.json().path("chain").path("status").asText()).isEqualTo("cache");
    assertThat(fromCache.json().path("chain").path("stale").asBoolean()).isTrue();
    assertThat(api.get("/api/dashboard/ZZZZQ").status()).isEqualTo(404);
  }

  @Test
  void breakerStateIsReportedInClosedHalfOpenAndOpen() {
    start(Map.of());
    fault("quotes", "outage", "");
    for (int i = 0; i < 5; i++) {
      api.get("/api/quote/" + symbol);
    }
    JsonNode open = api.get("/api/health/circuit-breakers").json();
    assertThat(open.path("open").toString()).contains("current_price");
    assertThat(open.path("breakers").path("current_price").path("retryAt").asText())
        .isEqualTo(clock.now().plusSeconds(60).toString());
    clock.advance(Duration.ofSeconds(60));
    JsonNode halfOpen = api.get("/api/health/circuit-breakers").json();
    assertThat(halfOpen.path("halfOpen").toString()).contains("current_price");
    assertThat(halfOpen.path("degraded").asBoolean()).isTrue();
    assertThat(breaker("current_price").getState()).isEqualTo(CircuitBreakerState.HALF_OPEN);
  }
}
