package dev.optionchain.dashboard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optionchain.breaker.testing.ManualClock;
import dev.optionchain.dashboard.Api;
import dev.optionchain.dashboard.DashboardApp;
import dev.optionchain.dashboard.TestDashboards;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} end to end: the dashboard and its embedded simulator on ephemeral ports, an outage of the
 * option chains injected through the simulator's control API, the breaker's time moved by a {@link ManualClock}, and
 * the exposition parsed as Prometheus text after the trip and after the recovery.
 */
class MetricsEndpointTest {

  private static final String CHAIN = "options_chain";

  @TempDir
  Path dataDir;

  private final ManualClock clock = TestDashboards.clock();
  private DashboardApp app;

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void metricsFollowATripAndARecoveryOfTheOptionChainBreaker() {
    app = TestDashboards.start(dataDir, clock, TestDashboards.withoutMemory(Map.of()));
    Api api = new Api(app.url());
    Api sim = new Api(app.simulator().orElseThrow().baseUrl());
    List<String> symbols = app.simulator().orElseThrow().symbols();
    String symbol = symbols.contains("AAPL") ? "AAPL" : symbols.get(0);
    String expiration = ok(api.get("/api/options/" + symbol + "/expirations"))
        .path("data").path("dates").get(0).asText();
    String chainPath = "/api/options/" + symbol + "?expiration=" + expiration;

    assertSource(api.get(chainPath), "live");                        // success 1, live 1
    ok(sim.post("/sim/faults", "{\"endpoint\":\"chains\",\"mode\":\"outage\"}"));
    for (int i = 0; i < 3; i++) {
      assertSource(api.get(chainPath), "cache");                     // failure 3, cache 3, server_error 3
    }
    assertThat(app.breakers().get(CHAIN).orElseThrow().isOpen()).isTrue();

    PrometheusText open = scrape(api);
    assertThat(open.value("circuitbreaker_state", "name", CHAIN, "state", "open")).isEqualTo(1.0);
    assertThat(open.value("circuitbreaker_state", "name", CHAIN, "state", "closed")).isZero();
    assertThat(open.value("circuitbreaker_transitions_total", "name", CHAIN, "from", "CLOSED", "to", "OPEN"))
        .isEqualTo(1.0);
    assertThat(open.value("circuitbreaker_calls_total", "name", CHAIN, "outcome", "failure")).isEqualTo(3.0);
    assertThat(open.value("circuitbreaker_failure_count", "name", CHAIN)).isEqualTo(3.0);
    assertThat(open.value("circuitbreaker_failure_threshold", "name", CHAIN)).isEqualTo(3.0);

    assertSource(api.get(chainPath), "cache");                       // rejected 1, cache 4
    ok(sim.delete("/sim/faults"));
    clock.advance(Duration.ofSeconds(90));
    assertSource(api.get(chainPath), "live");                        // the trial: success 2, live 2
    assertThat(app.breakers().get(CHAIN).orElseThrow().isClosed()).isTrue();

    PrometheusText t = scrapeUntil(api, m -> m.sum("http_server_requests_seconds_count",
        Map.of("uri", "/api/options/{symbol}")) >= 6);
    assertThat(t.value("circuitbreaker_state", "name", CHAIN, "state", "closed")).isEqualTo(1.0);
    assertThat(t.value("circuitbreaker_state", "name", CHAIN, "state", "open")).isZero();
    assertThat(t.value("circuitbreaker_state", "name", CHAIN, "state", "half_open")).isZero();
    assertThat(t.value("circuitbreaker_transitions_total", "name", CHAIN, "from", "CLOSED", "to", "OPEN"))
        .isEqualTo(1.0);
    assertThat(t.value("circuitbreaker_transitions_total", "name", CHAIN, "from", "OPEN", "to", "HALF_OPEN"))
        .isEqualTo(1.0);
    assertThat(t.value("circuitbreaker_transitions_total", "name", CHAIN, "from", "HALF_OPEN", "to", "CLOSED"))
        .isEqualTo(1.0);
    assertThat(t.sum("circuitbreaker_transitions_total", Map.of("name", CHAIN))).as("no other transition")
        .isEqualTo(3.0);
    assertThat(t.value("circuitbreaker_calls_total", "name", CHAIN, "outcome", "success")).isEqualTo(2.0);
    assertThat(t.value("circuitbreaker_calls_total", "name", CHAIN, "outcome", "failure")).isEqualTo(3.0);
    assertThat(t.value("circuitbreaker_calls_total", "name", CHAIN, "outcome", "rejected")).isEqualTo(1.0);
    assertThat(t.value("circuitbreaker_calls_total", "name", CHAIN, "outcome", "ignored")).isZero();
    assertThat(t.value("circuitbreaker_failure_count", "name", CHAIN)).isZero();
    assertThat(t.value("circuitbreaker_state", "name", "current_price", "state", "closed"))
        .as("all five breakers are published").isEqualTo(1.0);
    assertThat(t.series("circuitbreaker_state")).hasSize(15);

    assertThat(t.value("market_responses_total", "endpoint", CHAIN, "source", "cache")).isEqualTo(4.0);
    assertThat(t.value("market_responses_total", "endpoint", CHAIN, "source", "live")).isEqualTo(2.0);
    assertThat(t.value("upstream_requests_seconds_count", "endpoint", CHAIN, "outcome", "server_error"))
        .isEqualTo(3.0);
    assertThat(t.value("upstream_requests_seconds_count", "endpoint", CHAIN, "outcome", "success")).isEqualTo(2.0);
    assertThat(t.value("upstream_requests_seconds_bucket", "endpoint", CHAIN, "outcome", "server_error",
        "le", "+Inf")).isEqualTo(3.0);
    assertThat(t.type("upstream_requests_seconds")).contains("histogram");

    assertThat(t.value("http_server_requests_seconds_count", "method", "GET", "uri", "/api/options/{symbol}",
        "status", "200", "outcome", "SUCCESS")).isEqualTo(6.0);
    assertThat(t.series("http_server_requests_seconds_count")).as("route patterns, never raw paths")
        .allSatisfy(s -> assertThat(s.labels().get("uri")).doesNotContain(symbol));
    assertThat(t.type("http_server_requests_seconds")).contains("histogram");

    for (String jvm : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
        "jvm_gc_memory_allocated_bytes_total", "process_uptime_seconds", "system_cpu_count")) {
      assertThat(t.has(jvm)).as(jvm).isTrue();
    }
  }

  /** Scrapes {@code /metrics}, checking the status and the content type, and parses the body. */
  private static PrometheusText scrape(Api api) {
    Api.Response r = api.get("/metrics");
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.header("Content-Type")).hasValueSatisfying(ct ->
        assertThat(ct.replace(" ", "").toLowerCase(Locale.ROOT)).startsWith("text/plain;version=0.0.4"));
    return PrometheusText.parse(r.raw().body());
  }

  /**
   * Scrapes until {@code ready} holds (at most 50 scrapes): a request is recorded when its answer is complete, which
   * may be a moment after the client has read it.
   */
  private static PrometheusText scrapeUntil(Api api, Predicate<PrometheusText> ready) {
    PrometheusText t = scrape(api);
    for (int i = 0; i < 50 && !ready.test(t); i++) {
      t = scrape(api);
    }
    return t;
  }

  private static JsonNode ok(Api.Response r) {
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json();
  }

  private static void assertSource(Api.Response r, String source) {
    assertThat(ok(r).path("source").asText()).as("%s", r).isEqualTo(source);
  }
}
