package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What users can type: every bad value gets a clear 4xx in JSON, never a 500 or a stack trace. */
class HttpBoundaryTest {

  @TempDir
  static Path dataDir;

  private static DashboardApp app;
  private static Api api;

  @BeforeAll
  static void start() {
    app = TestDashboards.start(dataDir, TestDashboards.clock(), Map.of("admin.token", "t0ken"));
    api = new Api(app.url());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"AAPL$", "TOOLONGSYMBOL1", "A%20B", "%F0%9F%92%A5", "..%2F..%2Fetc", "a_b"})
  void malformedSymbolsAre400(String symbol) {
    for (String path : List.of("/api/quote/", "/api/info/", "/api/history/", "/api/options/",
        "/api/dashboard/")) {
      Api.Response r = api.get(path + symbol + (path.equals("/api/options/") ? "?expiration=2030-01-18" : ""));
      assertThat(r.status()).as("%s%s -> %s", path, symbol, r).isIn(400, 404);
      assertThat(r.json().path("error").asText()).as("%s", r).isNotBlank();
      assertThat(r.raw().body()).doesNotContain("Exception").doesNotContain("at dev.");
    }
    assertThat(api.get("/api/quote/" + symbol).status()).isEqualTo(400);
  }

  @Test
  void symbolsAreUpperCased() {
    assertThat(api.get("/api/quote/aapl").json().path("data").path("symbol").asText()).isEqualTo("AAPL");
  }

  @Test
  void badHistoryParametersAre400WithTheReason() {
    assertThat(api.get("/api/history/AAPL?interval=hourly").json().path("error").asText()).contains("interval");
    assertThat(api.get("/api/history/AAPL?interval=hourly").status()).isEqualTo(400);
    assertThat(api.get("/api/history/AAPL?start=2024-02-30").status()).isEqualTo(400);
    assertThat(api.get("/api/history/AAPL?start=yesterday").json().path("error").asText()).contains("start");
    assertThat(api.get("/api/history/AAPL?start=2025-06-01&end=2025-01-01").status()).isEqualTo(400);
    assertThat(api.get("/api/history/AAPL?start=1900-01-01&end=2025-01-01").json().path("error").asText())
        .contains("20 years");
  }

  @Test
  void theChainNeedsAListedExpiration() {
    Api.Response missing = api.get("/api/options/AAPL");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().path("error").asText()).contains("expiration");
    assertThat(api.get("/api/options/AAPL?expiration=next-friday").status()).isEqualTo(400);
    Api.Response unlisted = api.get("/api/options/AAPL?expiration=2031-02-29");
    assertThat(unlisted.status()).isEqualTo(400);
    Api.Response notListed = api.get("/api/options/AAPL?expiration=2030-01-02");
    assertThat(notListed.status()).isEqualTo(400);
    assertThat(notListed.json().path("error").asText()).contains("not listed");
  }

  @Test
  void unknownSymbolsAre404() {
    assertThat(api.get("/api/quote/NOPEQ").status()).isEqualTo(404);
    assertThat(api.get("/api/info/NOPEQ").status()).isEqualTo(404);
    assertThat(api.get("/api/options/NOPEQ/expirations").status()).isEqualTo(404);
    assertThat(api.get("/api/dashboard/NOPEQ").status()).isEqualTo(404);
  }

  @Test
  void unknownRoutesAre404InJson() {
    Api.Response r = api.get("/api/nothing/here");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().path("error").asText()).contains("/api/nothing/here");
  }

  @Test
  void oversizedRequestsAreRefusedCleanly() {
    Api.Response r = api.get("/api/quote/AAPL?x=" + "a".repeat(20_000));
    assertThat(r.status()).isBetween(400, 499);
  }

  @Test
  void livenessAndReadinessDescribeTheServiceItself() {
    Api.Response live = api.get("/health/live");
    assertThat(live.status()).isEqualTo(200);
    assertThat(live.json().path("status").asText()).isEqualTo("UP");
    Api.Response ready = api.get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().path("database").asText()).isEqualTo("UP");
  }

  @Test
  void theBreakerHealthCheckListsAllFive() {
    Api.Response r = api.get("/api/health/circuit-breakers");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("breakers").size()).isEqualTo(5);
    assertThat(r.json().path("breakers").path("options_chain").path("failureThreshold").asInt()).isEqualTo(3);
    assertThat(r.json().path("breakers").path("expirations").path("recoveryTimeoutSeconds").asInt()).isEqualTo(75);
    assertThat(r.json().path("closed").size()).isEqualTo(5);
    assertThat(r.json().path("degraded").isBoolean()).isTrue();
  }

  @Test
  void adminEndpointsNeedTheBearerToken() {
    Api.Response none = api.post("/api/admin/circuit-breakers/reset", "");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("WWW-Authenticate")).isPresent();
    assertThat(api.post("/api/admin/circuit-breakers/reset", "", "wrong").status()).isEqualTo(401);

    Api.Response forced = api.post("/api/admin/circuit-breakers/ticker_info/open", "", "t0ken");
    assertThat(forced.status()).isEqualTo(200);
    assertThat(forced.json().path("forcedOpen").asBoolean()).isTrue();
    assertThat(app.breakers().get("ticker_info").orElseThrow().isOpen()).isTrue();
    Api.Response info = api.get("/api/info/MSFT");
    assertThat(info.status()).isEqualTo(503);
    assertThat(info.header("Retry-After")).isPresent();

    Api.Response reset = api.post("/api/admin/circuit-breakers/ticker_info/reset", "", "t0ken");
    assertThat(reset.status()).isEqualTo(200);
    assertThat(reset.json().path("state").asText()).isEqualTo("CLOSED");
    assertThat(api.post("/api/admin/circuit-breakers/reset", "", "t0ken").json().size()).isEqualTo(5);
    assertThat(api.post("/api/admin/circuit-breakers/nope/reset", "", "t0ken").status()).isEqualTo(404);
  }

  @Test
  void theSimulatorsControlApiIsReachableThroughTheDashboardWithTheAdminToken() {
    assertThat(api.post("/api/sim/faults", "{\"endpoint\":\"lookup\",\"mode\":\"outage\"}").status())
        .isEqualTo(401);
    Api.Response set = api.post("/api/sim/faults", "{\"endpoint\":\"lookup\",\"mode\":\"outage\"}", "t0ken");
    assertThat(set.status()).isEqualTo(200);
    assertThat(api.get("/api/sim/faults").raw().body()).contains("lookup");
    assertThat(api.post("/api/sim/faults", "{\"endpoint\":\"lookup\",\"mode\":\"sideways\"}", "t0ken").status())
        .isEqualTo(400);
    assertThat(api.delete("/api/sim/faults/lookup", "t0ken").status()).isEqualTo(200);
    assertThat(api.get("/api/sim/stats").json().path("endpoints").isObject()).isTrue();
  }
}
