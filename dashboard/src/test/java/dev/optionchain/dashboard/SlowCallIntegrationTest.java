package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optionchain.breaker.CircuitBreakerState;
import dev.optionchain.breaker.testing.ManualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow calls open a breaker, end to end: the simulator holds each quote request (injected latency), and while it is
 * held the test moves the service's {@link ManualClock} past the breaker's slow-call duration, so that the breaker
 * measures the call as slow whatever the machine's real speed. A slow call's answer is still served; enough of them
 * in a row open the breaker like failures, and the requests after it are answered from the cache without calling.
 */
class SlowCallIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir
  Path dataDir;

  private final ManualClock clock = TestDashboards.clock();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  void slowCallsCountTowardTheThresholdAndOpenTheBreaker() throws Exception {
    try (DashboardApp app = TestDashboards.start(dataDir, clock, TestDashboards.withoutMemory(Map.of(
        "breaker.current_price.failure-threshold", "2", "breaker.current_price.slow-call-duration", "1s",
        "breaker.current_price.request-timeout", "20s")))) {
      Api api = new Api(app.url());
      Api sim = new Api(app.simulator().orElseThrow().baseUrl());
      String symbol = app.simulator().orElseThrow().symbols().get(0);
      assertThat(api.get("/api/quote/" + symbol).status()).isEqualTo(200);
      assertThat(sim.post("/sim/faults", "{\"endpoint\":\"quotes\",\"mode\":\"latency\",\"latencyMs\":3000}")
          .status()).isEqualTo(200);

      for (int slow = 1; slow <= 2; slow++) {
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(HttpRequest.newBuilder(
            URI.create(app.url() + "/api/quote/" + symbol)).build(), HttpResponse.BodyHandlers.ofString());
        int held = slow;
        awaitHeld(sim, held);
        clock.advance(Duration.ofSeconds(1)); // the call, admitted before the simulator saw it, now lasts 1 s
        HttpResponse<String> r = answer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("source").asText()).as("a slow answer is still served")
            .isEqualTo("live");
      }

      JsonNode breaker = api.get("/api/health/circuit-breakers").json().path("breakers").path("current_price");
      assertThat(breaker.path("state").asText()).isEqualTo("OPEN");
      assertThat(breaker.path("slowCalls").asLong()).isEqualTo(2);
      assertThat(breaker.path("failureCount").asLong()).isEqualTo(2);
      long upstreamCalls = quoteStats(sim).path("requests").asLong();
      Api.Response fromCache = api.get("/api/quote/" + symbol);
      assertThat(fromCache.json().path("source").asText()).isEqualTo("cache");
      assertThat(fromCache.json().path("reason").asText()).isEqualTo("breaker_open");
      assertThat(quoteStats(sim).path("requests").asLong()).as("not called while open").isEqualTo(upstreamCalls);

      assertThat(sim.delete("/sim/faults").status()).isEqualTo(200);
      clock.advance(Duration.ofSeconds(60));
      assertThat(api.get("/api/quote/" + symbol).json().path("source").asText()).as("the trial call")
          .isEqualTo("live");
      assertThat(app.breakers().get("current_price").orElseThrow().getState())
          .isEqualTo(CircuitBreakerState.CLOSED);
    }
  }

  @Test
  void aSlowCallDurationOfZeroCountsNoCallAsSlow() throws Exception {
    try (DashboardApp app = TestDashboards.start(dataDir, clock, TestDashboards.withoutMemory(Map.of(
        "breaker.current_price.failure-threshold", "1", "breaker.current_price.slow-call-duration", "0s",
        "breaker.current_price.request-timeout", "20s")))) {
      Api api = new Api(app.url());
      Api sim = new Api(app.simulator().orElseThrow().baseUrl());
      String symbol = app.simulator().orElseThrow().symbols().get(0);
      sim.post("/sim/faults", "{\"endpoint\":\"quotes\",\"mode\":\"latency\",\"latencyMs\":1000}");
      CompletableFuture<HttpResponse<String>> answer = http.sendAsync(HttpRequest.newBuilder(
          URI.create(app.url() + "/api/quote/" + symbol)).build(), HttpResponse.BodyHandlers.ofString());
      awaitHeld(sim, 1);
      clock.advance(Duration.ofSeconds(10));
      assertThat(answer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(app.breakers().get("current_price").orElseThrow().getState()).isEqualTo(CircuitBreakerState.CLOSED);
      assertThat(api.get("/api/health/circuit-breakers").json().path("breakers").path("current_price")
          .path("slowCalls").asLong()).isZero();
    }
  }

  /** Waits until the simulator holds the {@code n}-th delayed quote request. */
  private static void awaitHeld(Api sim, long n) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (quoteStats(sim).path("faults").asLong() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the simulator never held quote request " + n);
      }
      Thread.sleep(10);
    }
  }

  private static JsonNode quoteStats(Api sim) {
    return sim.get("/sim/stats").json().path("endpoints").path("quotes");
  }
}
