package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerState;
import dev.optionchain.breaker.testing.ManualClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transitions as they happen (SSE), persisted (timeline, restore after restart) and summarised (SLA). */
public class BreakerHistoryIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dataDir;

  private final ManualClock clock = TestDashboards.clock();
  private DashboardApp app;
  private Api api;
  private Api sim;

  private void start(ManualClock c) {
    app = TestDashboards.start(dataDir, c, TestDashboards.withoutMemory(Map.of()));
    api = new Api(app.url());
    sim = new Api(app.simulator().orElseThrow().baseUrl());
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  private CircuitBreaker chains() {
    return app.breakers().get("options_chain").orElseThrow();
  }

  /** Trips options_chain with an outage fault and three chain requests; returns the chain path. */
  private String tripChains() {
    JsonNode dates = api.get("/api/options/AAPL/expirations").json().path("data").path("dates");
    String path = "/api/options/AAPL?expiration=" + dates.get(0).asText();
    assertThat(api.get(path).status()).isEqualTo(200);
    assertThat(sim.post("/sim/faults", "{\"endpoint\":\"chains\",\"mode\":\"outage\"}").status()).isEqualTo(200);
    for (int i = 0; i < 3; i++) {
      api.get(path);
    }
    assertThat(chains().isOpen()).isTrue();
    return path;
  }

  private void recover(String path) {
    assertThat(sim.delete("/sim/faults").status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(90));
    assertThat(api.get(path).json().path("source").asText()).isEqualTo("live");
    assertThat(chains().isClosed()).isTrue();
  }

  @Test
  void serverSentEventsDeliverTheSnapshotThenEveryTransitionInOrder() throws Exception {
    start(clock);
    BlockingQueue<String[]> events = new LinkedBlockingQueue<>();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<java.io.InputStream> stream = http.send(
        HttpRequest.newBuilder(app.url().resolve("/api/events")).header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
        ct -> assertThat(ct).startsWith("text/event-stream"));
    Thread reader = new Thread(() -> readEvents(stream, events));
    reader.setDaemon(true);
    reader.start();

    String[] snapshot = events.poll(20, TimeUnit.SECONDS);
    assertThat(snapshot).isNotNull();
    assertThat(snapshot[0]).isEqualTo("snapshot");
    assertThat(JSON.readTree(snapshot[2]).path("breakers").size()).isEqualTo(5);

    recover(tripChains());
    List<String[]> transitions = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String[] e = events.poll(20, TimeUnit.SECONDS);
      assertThat(e).as("transition %d", i).isNotNull();
      transitions.add(e);
    }
    List<String> seen = new ArrayList<>();
    long lastId = Long.parseLong(snapshot[1]);
    for (String[] e : transitions) {
      assertThat(e[0]).isEqualTo("transition");
      assertThat(Long.parseLong(e[1])).isGreaterThan(lastId);
      lastId = Long.parseLong(e[1]);
      JsonNode t = JSON.readTree(e[2]);
      assertThat(t.path("breaker").asText()).isEqualTo("options_chain");
      assertThat(t.path("status").path("state").asText()).isEqualTo(t.path("to").asText());
      seen.add(t.path("from").asText() + "->" + t.path("to").asText());
    }
    assertThat(seen).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    stream.body().close();
  }

  /** Reads {event, id, data} triples from an SSE stream until it ends. */
  public static void readEvents(HttpResponse<java.io.InputStream> stream, BlockingQueue<String[]> out) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      String event = null;
      String id = null;
      StringBuilder data = new StringBuilder();
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isEmpty()) {
          if (event != null) {
            out.add(new String[] {event, id, data.toString()});
          }
          event = null;
          id = null;
          data.setLength(0);
        } else if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        }
      }
    } catch (java.io.IOException e) {
      // stream closed by the test
    }
  }

  @Test
  void transitionsArePersistedAndListedNewestFirst() {
    start(clock);
    recover(tripChains());
    JsonNode list = api.get("/api/health/transitions?limit=10").json().path("transitions");
    assertThat(list.size()).isEqualTo(3);
    assertThat(list.get(0).path("to").asText()).isEqualTo("CLOSED");
    assertThat(list.get(2).path("to").asText()).isEqualTo("OPEN");
    assertThat(list.get(2).path("reason").asText()).isEqualTo("3 consecutive failures");
    assertThat(api.get("/api/health/transitions?limit=0").status()).isEqualTo(400);
    assertThat(api.get("/api/health/transitions?limit=lots").status()).isEqualTo(400);
  }

  @Test
  void aRestartedServiceRestoresAnOpenBreakerWithItsRemainingTime() {
    start(clock);
    tripChains();
    Instant openedAt = chains().getStatus().stateSince();
    clock.advance(Duration.ofSeconds(30));
    app.close();

    ManualClock later = new ManualClock(clock.now().plusSeconds(10));
    start(later);
    assertThat(chains().getState()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(chains().getStatus().retryAt()).contains(openedAt.plusSeconds(90));
    assertThat(chains().getStatus().failureCount()).isEqualTo(3);
    JsonNode health = api.get("/api/health/circuit-breakers").json();
    assertThat(health.path("open").get(0).asText()).isEqualTo("options_chain");
    assertThat(sim.get("/sim/stats").json().path("endpoints").path("chains").path("requests").asLong(0))
        .as("the restarted service does not call the upstream that was failing").isZero();
    later.advance(Duration.ofSeconds(50));
    assertThat(chains().getState()).isEqualTo(CircuitBreakerState.HALF_OPEN);
  }

  @Test
  void anOpenBreakerWhoseTimeHasPassedComesBackHalfOpen() {
    start(clock);
    tripChains();
    app.close();
    start(new ManualClock(clock.now().plusSeconds(600)));
    assertThat(chains().getState()).isEqualTo(CircuitBreakerState.HALF_OPEN);
  }

  @Test
  void theSlaReportSummarisesAScriptedOutage() {
    start(clock);
    String path = tripChains();              // 1 live answer, 3 cached (upstream failed)
    clock.advance(Duration.ofSeconds(60));
    assertThat(api.get(path).json().path("reason").asText()).isEqualTo("breaker_open");  // 1 cached
    recover(path);                           // after 150 s in total: 1 live
    JsonNode sla = api.get("/api/health/sla?window=1h").json();
    assertThat(sla.path("window").asText()).isEqualTo("1h");
    JsonNode chains = sla.path("breakers").path("options_chain");
    assertThat(chains.path("trips").asInt()).isEqualTo(1);
    assertThat(chains.path("meanTimeToRecoverSeconds").asDouble()).isEqualTo(150.0);
    assertThat(chains.path("maxTimeToRecoverSeconds").asDouble()).isEqualTo(150.0);
    assertThat(chains.path("availabilityPercent").asDouble()).isCloseTo(100.0 * (1 - 90.0 / 3600), within(0.001));
    assertThat(chains.path("requests").asLong()).isEqualTo(6);
    assertThat(chains.path("servedFromCache").asLong()).isEqualTo(4);
    assertThat(chains.path("cacheSharePercent").asDouble()).isCloseTo(66.667, within(0.001));
    JsonNode quotes = sla.path("breakers").path("current_price");
    assertThat(quotes.path("availabilityPercent").asDouble()).isEqualTo(100.0);
    assertThat(quotes.path("trips").asInt()).isZero();
    assertThat(quotes.path("meanTimeToRecoverSeconds").isNull()).isTrue();
    assertThat(api.get("/api/health/sla?window=forever").status()).isEqualTo(400);
    assertThat(api.get("/api/health/sla?window=1000d").status()).isEqualTo(400);
  }
}
