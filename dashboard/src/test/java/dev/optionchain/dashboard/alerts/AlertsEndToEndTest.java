package dev.optionchain.dashboard.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optionchain.breaker.testing.ManualClock;
import dev.optionchain.dashboard.Api;
import dev.optionchain.dashboard.DashboardApp;
import dev.optionchain.dashboard.TestDashboards;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The running service alerts a webhook when a breaker opens and when it recovers, off the request path. */
class AlertsEndToEndTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dataDir;

  private static String tripAndRecoverChains(DashboardApp app, ManualClock clock) {
    Api api = new Api(app.url());
    Api sim = new Api(app.simulator().orElseThrow().baseUrl());
    String expiration = api.get("/api/options/AAPL/expirations").json().path("data").path("dates").get(0).asText();
    String path = "/api/options/AAPL?expiration=" + expiration;
    assertThat(api.get(path).status()).isEqualTo(200);
    sim.post("/sim/faults", "{\"endpoint\":\"chains\",\"mode\":\"outage\"}");
    for (int i = 0; i < 3; i++) {
      assertThat(api.get(path).status()).isEqualTo(200);
    }
    sim.delete("/sim/faults");
    clock.advance(Duration.ofSeconds(90));
    assertThat(api.get(path).json().path("source").asText()).isEqualTo("live");
    return path;
  }

  @Test
  void aWebhookReceivesTheTripAndTheRecovery() throws Exception {
    ManualClock clock = TestDashboards.clock();
    try (WebhookReceiver receiver = WebhookReceiver.start();
        DashboardApp app = TestDashboards.start(dataDir, clock,
            TestDashboards.withoutMemory(Map.of("alerts.webhooks", receiver.uri().toString())))) {
      tripAndRecoverChains(app, clock);
      for (int i = 0; i < 2; i++) {
        assertThat(receiver.awaitRequest(Duration.ofSeconds(20))).as("alert %d", i).isTrue();
      }
      JsonNode open = JSON.readTree(receiver.received().get(0).body());
      assertThat(open.path("breaker").asText()).isEqualTo("options_chain");
      assertThat(open.path("from").asText()).isEqualTo("CLOSED");
      assertThat(open.path("to").asText()).isEqualTo("OPEN");
      assertThat(open.path("reason").asText()).isEqualTo("3 consecutive failures");
      assertThat(open.path("failureCount").asInt()).isEqualTo(3);
      assertThat(open.path("lastFailure").asText()).isNotBlank();
      JsonNode closed = JSON.readTree(receiver.received().get(1).body());
      assertThat(closed.path("from").asText()).isEqualTo("HALF_OPEN");
      assertThat(closed.path("to").asText()).isEqualTo("CLOSED");
      assertThat(receiver.received()).hasSize(2);
    }
  }

  @Test
  void aHangingReceiverDoesNotSlowRequests() {
    ManualClock clock = TestDashboards.clock();
    try (WebhookReceiver receiver = WebhookReceiver.start().hang();
        DashboardApp app = TestDashboards.start(dataDir, clock,
            TestDashboards.withoutMemory(Map.of("alerts.webhooks", receiver.uri().toString(), "alerts.timeout", "30s")))) {
      String path = tripAndRecoverChains(app, clock);
      Api api = new Api(app.url());
      long start = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        assertThat(api.get(path).status()).isEqualTo(200);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("20 requests while the receiver holds the first alert for 30 s").isLessThan(Duration.ofSeconds(15));
      receiver.release();
    }
  }
}
