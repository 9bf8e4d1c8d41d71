package dev.optionchain.dashboard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optionchain.breaker.testing.ManualClock;
import dev.optionchain.dashboard.DashboardApp;
import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dataDir;

  private final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private DashboardApp app;
  private URI sim;

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void metricsFollowATripAndARecoveryOfTheOptionChainBreaker() {
    app = DashboardApp.start(DashboardConfig.from(Settings.defaults().with(
        Map.of("server.port", "0", "data.dir", dataDir.toString()), "test")), clock);
    sim = URI.create(app.simulator().orElseThrow().baseUrl());
    List<String> symbols = app.simulator().orElseThrow().symbols();
    String symbol = symbols.contains("AAPL") ? "AAPL" : symbols.get(0);
    String expiration = json(get(app.url(), "/api/options/" + symbol + "/expirations"))
        .path("data").path("dates").get(0).asText();
    String chainPath = "/api/options/" + symbol + "?expiration=" + expiration;

    assertSource(get(app.url(), chainPath), "live");                        // success 1, live 1
    send(sim, "POST", "/sim/faults", "{\"endpoint\":\"chains\",\"mode\":\"outage\"}");
    for (int i = 0; i < 3; i++) {
      assertSource(get(app.url(), chainPath), "cache");                     // failure 3, cache 3, server_error 3
    }
    assertThat(app.breakers().get(CHAIN).orElseThrow().isOpen()).isTrue();

    PrometheusText open = scrape();
    assertThat(open.value("circuitbreaker_state", "name", CHAIN, "state", "open")).isEqualTo(1.0);
    assertThat(open.value("circuitbreaker_state", "name", CHAIN, "state", "closed")).isZero();
    assertThat(open.value("circuitbreaker_transitions_total", "name", CHAIN, "from", "CLOSED", "to", "OPEN"))
        .isEqualTo(1.0);
    assertThat(open.value("circuitbreaker_calls_total", "name", CHAIN, "outcome", "failure")).isEqualTo(3.0);
    assertThat(open.value("circuitbreaker_failure_count", "name", CHAIN)).isEqualTo(3.0);
    assertThat(open.value("circuitbreaker_failure_threshold", "name", CHAIN)).isEqualTo(3.0);

    assertSource(get(app.url(), chainPath), "cache");                       // rejected 1, cache 4
    send(sim, "DELETE", "/sim/faults", null);
    clock.advance(Duration.ofSeconds(90));
    assertSource(get(app.url(), chainPath), "live");                        // the trial: success 2, live 2
    assertThat(app.breakers().get(CHAIN).orElseThrow().isClosed()).isTrue();

    PrometheusText t = scrapeUntil(m -> m.sum("http_server_requests_seconds_count",
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
  private PrometheusText scrape() {
    HttpResponse<String> r = send(app.url(), "GET", "/metrics", null);
    assertThat(r.statusCode()).as("%s", r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct ->
        assertThat(ct.replace(" ", "").toLowerCase(Locale.ROOT)).startsWith("text/plain;version=0.0.4"));
    return PrometheusText.parse(r.body());
  }

  /**
   * Scrapes until {@code ready} holds (at most 50 scrapes): a request is recorded when its answer is complete, which
   * may be a moment after the client has read it.
   */
  private PrometheusText scrapeUntil(Predicate<PrometheusText> ready) {
    PrometheusText t = scrape();
    for (int i = 0; i < 50 && !ready.test(t); i++) {
      t = scrape();
    }
    return t;
  }

  private HttpResponse<String> get(URI base, String path) {
    return send(base, "GET", path, null);
  }

  private HttpResponse<String> send(URI base, String method, String path, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    if (json != null) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (!path.startsWith("/api/") && !path.equals("/metrics")) {
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(200);
      }
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(HttpResponse<String> r) {
    assertThat(r.statusCode()).as("%s", r.body()).isEqualTo(200);
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertSource(HttpResponse<String> r, String source) {
    assertThat(json(r).path("source").asText()).as("%s", r.body()).isEqualTo(source);
  }
}
