package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.marketsim.MarketSim;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without an admin token the admin endpoints are closed to everyone; with a real upstream there is no sim proxy. */
class AdminDisabledTest {

  @Test
  void withNoAdminTokenConfiguredAdminEndpointsAre403(@TempDir Path dataDir) {
    try (DashboardApp app = TestDashboards.start(dataDir, TestDashboards.clock(), Map.of())) {
      Api api = new Api(app.url());
      assertThat(api.post("/api/admin/circuit-breakers/reset", "").status()).isEqualTo(403);
      assertThat(api.post("/api/admin/circuit-breakers/quotes/open", "", "anything").status()).isEqualTo(403);
      assertThat(app.breakers().getClosedBreakers()).hasSize(5);
    }
  }

  @Test
  void withARealUpstreamTheSimulatorApiIsAbsent(@TempDir Path dataDir) {
    try (MarketSim upstream = MarketSim.builder().token("tradier-token").start();
        DashboardApp app = TestDashboards.start(dataDir, TestDashboards.clock(), Map.of(
            "upstream.base-url", upstream.baseUrl(), "upstream.token", "tradier-token"))) {
      Api api = new Api(app.url());
      assertThat(app.simulator()).isEmpty();
      assertThat(api.get("/api/sim/faults").status()).isEqualTo(404);
      assertThat(api.get("/api/quote/AAPL").json().path("source").asText()).isEqualTo("live");
    }
  }

  @Test
  void aWrongUpstreamTokenIsAnUpstreamFailure(@TempDir Path dataDir) {
    try (MarketSim upstream = MarketSim.builder().token("right").start();
        DashboardApp app = TestDashboards.start(dataDir, TestDashboards.clock(), Map.of(
            "upstream.base-url", upstream.baseUrl(), "upstream.token", "wrong"))) {
      Api api = new Api(app.url());
      Api.Response r = api.get("/api/quote/AAPL");
      assertThat(r.status()).isEqualTo(502);
      assertThat(r.json().path("error").asText()).contains("UNAUTHORIZED");
      assertThat(app.breakers().get("current_price").orElseThrow().getStatus().failureCount()).isEqualTo(1);
    }
  }
}
