package dev.optionchain.dashboard.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.dashboard.Api;
import dev.optionchain.dashboard.DashboardApp;
import dev.optionchain.dashboard.TestDashboards;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decisions arrive late: an instance restarted with the OPEN it persisted, or one that made a decision alone while
 * cut off from Redis. A decision made on what the fleet has since overruled must not re-open a fleet that closed
 * since: every decision names the fleet's last decision it knew of, and Redis refuses one that is not the latest.
 */
class StaleDecisionsTest {

  static final String TOKEN = "fleet-test-admin-token-0123456789";
  static final String RESET = "/api/admin/circuit-breakers/options_chain/reset";

  @TempDir
  Path dir;

  private TestFleet fleet;

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void anInstanceRestartedWithAnOpenFromBeforeDoesNotReopenAFleetThatClosedSince() {
    fleet = TestFleet.start(dir, 2, Map.of("breaker.options_chain.recovery-timeout", "60s", "admin.token", TOKEN));
    SharedDecisionsTest.trip(fleet, 0); // a's own OPEN, for a minute
    TestFleet.await("b adopts a's OPEN", Duration.ofSeconds(2), () -> fleet.state(1, "options_chain").equals("OPEN"));
    fleet.app(0).close(); // a stops; its history keeps the OPEN, which it restores when it starts again
    fleet.clearFaults();
    assertThat(fleet.api(1).post(RESET, "", TOKEN).status()).isEqualTo(200); // the operator closes the fleet, on b
    assertThat(fleet.state(1, "options_chain")).isEqualTo("CLOSED");

    fleet.startInstance("a", Map.of()); // instance 2
    TestFleet.await("a learns the fleet's newer CLOSED", Duration.ofSeconds(5),
        () -> fleet.state(2, "options_chain").equals("CLOSED"));
    assertThat(fleet.state(1, "options_chain")).as("b is not re-opened by a's old OPEN").isEqualTo("CLOSED");
    assertThat(fleet.redis.cli("EXISTS", "ocd:breaker:options_chain")).isEqualTo("0");
  }

  @Test
  void anOldOpenDeliveredAfterTheFleetClosedIsIgnored() {
    fleet = TestFleet.start(dir, 2, Map.of("breaker.options_chain.recovery-timeout", "60s", "admin.token", TOKEN));
    SharedDecisionsTest.trip(fleet, 0);
    TestFleet.await("b adopts a's OPEN", Duration.ofSeconds(2), () -> fleet.state(1, "options_chain").equals("OPEN"));
    String open = fleet.redis.cli("GET", "ocd:breaker:options_chain"); // the OPEN as it was published
    fleet.clearFaults();
    assertThat(fleet.api(0).post(RESET, "", TOKEN).status()).isEqualTo(200);
    TestFleet.await("b adopts a's CLOSED", Duration.ofSeconds(2),
        () -> fleet.state(1, "options_chain").equals("CLOSED"));

    fleet.redis.cli("PUBLISH", "ocd:fleet", open); // delivered late
    // messages are handled in order: once the next one is adopted, the late OPEN has been handled too
    fleet.redis.cli("PUBLISH", "ocd:fleet", "{\"v\":1,\"type\":\"transition\",\"instance\":\"z\","
        + "\"breaker\":\"current_price\",\"from\":\"CLOSED\",\"to\":\"OPEN\",\"at\":\"2026-01-01T00:00:00Z\","
        + "\"reason\":\"marker\",\"remainingMs\":60000}");
    for (int i = 0; i < 2; i++) {
      int n = i;
      TestFleet.await("instance " + n + " handled the messages", Duration.ofSeconds(2),
          () -> fleet.state(n, "current_price").equals("OPEN"));
      assertThat(fleet.state(i, "options_chain")).as("instance %d", i).isEqualTo("CLOSED");
    }
  }

  @Test
  void theEndOfOneInstancesForcedOpenIsItsOwnAffairAndDoesNotCloseTheFleet() {
    fleet = TestFleet.start(dir, 2, Map.of("breaker.options_chain.recovery-timeout", "60s", "admin.token", TOKEN));
    String open = "/api/admin/circuit-breakers/options_chain/open";
    assertThat(fleet.api(0).post(open, "", TOKEN).status()).isEqualTo(200); // a: maintenance, not shared
    SharedDecisionsTest.trip(fleet, 1); // b trips on its own failures; the upstream stays down
    assertThat(fleet.health(0).path("breakers").path("options_chain").path("forcedOpen").asBoolean()).isTrue();

    assertThat(fleet.api(0).post(RESET, "", TOKEN).status()).isEqualTo(200); // a's maintenance ends
    TestFleet.await("a takes the fleet's OPEN", Duration.ofSeconds(3), () -> {
      var s = fleet.health(0).path("breakers").path("options_chain");
      return s.path("state").asText().equals("OPEN") && s.path("origin").asText().equals("b");
    });
    assertThat(fleet.state(1, "options_chain")).as("b stays OPEN: the upstream is still down").isEqualTo("OPEN");
  }

  @Test
  void anOpenDecidedBeforeTheInstanceEverReachedRedisIsSharedWhenItIsNewerThanTheFleetsLastDecision() {
    fleet = TestFleet.start(dir, 2, Map.of("breaker.options_chain.recovery-timeout", "60s", "admin.token", TOKEN));
    SharedDecisionsTest.trip(fleet, 0);
    fleet.clearFaults();
    assertThat(fleet.api(0).post(RESET, "", TOKEN).status()).isEqualTo(200); // the fleet's last decision: CLOSED
    TestFleet.await("b closed", Duration.ofSeconds(2), () -> fleet.state(1, "options_chain").equals("CLOSED"));

    fleet.redis.pause(); // c starts and cannot reach Redis
    Map<String, String> m = new java.util.HashMap<>(TestFleet.FAST);
    m.putAll(Map.of("upstream.base-url", fleet.sim.baseUrl(), "fleet.redis-url", fleet.redis.url(),
        "fleet.instance-id", "c", "breaker.options_chain.recovery-timeout", "60s"));
    try (DashboardApp c = DashboardApp.start(TestDashboards.config(dir.resolve("c"), m), BreakerClock.system())) {
      Api api = new Api(c.url());
      String path = SharedDecisionsTest.CHAIN + SharedDecisionsTest.expiration(api);
      fleet.fault("chains", "outage", "");
      for (int n = 0; n < 3; n++) {
        api.get(path);
      }
      assertThat(api.get("/api/health/circuit-breakers").json().path("breakers").path("options_chain")
          .path("state").asText()).isEqualTo("OPEN"); // decided alone, after the fleet's CLOSED
      fleet.redis.resume();
      for (int i = 0; i < 2; i++) {
        int n = i;
        TestFleet.await("instance " + n + " adopts c's OPEN", Duration.ofSeconds(15), () -> {
          var s = fleet.health(n).path("breakers").path("options_chain");
          return s.path("state").asText().equals("OPEN") && s.path("origin").asText().equals("c");
        });
      }
    } finally {
      fleet.redis.resume();
    }
  }
}
