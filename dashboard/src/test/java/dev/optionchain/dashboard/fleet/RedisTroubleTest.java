package dev.optionchain.dashboard.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.dashboard.DashboardApp;
import dev.optionchain.dashboard.LogCapture;
import dev.optionchain.dashboard.TestDashboards;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis in trouble short of an outage: full, or answering with errors. An error reply is an answer: Redis is there,
 * so the fleet's own breaker must not open on it and cut every instance off from the others.
 */
class RedisTroubleTest {

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
  void aFullRedisAnswersErrorsButTheInstancesStayConnectedAndStillShareTheirDecisions() {
    fleet = TestFleet.start(dir, 2, Map.of("breaker.options_chain.recovery-timeout", "60s"));
    // maxmemory below what is used, and the default policy (noeviction): every write is refused with OOM
    assertThat(fleet.redis.cli("CONFIG", "SET", "maxmemory", "1")).isEqualTo("OK");
    double before = fleet.metric(0, "fleet_redis_errors_total");
    TestFleet.await("four heartbeats refused", Duration.ofSeconds(10),
        () -> fleet.metric(0, "fleet_redis_errors_total") >= before + 4);
    for (int i = 0; i < 2; i++) {
      assertThat(fleet.connected(i)).as("instance %d still uses Redis", i).isTrue();
    }
    SharedDecisionsTest.trip(fleet, 0);
    TestFleet.await("b adopts a's OPEN through a full Redis", Duration.ofSeconds(2),
        () -> fleet.state(1, "options_chain").equals("OPEN"));
  }

  /** The fleet's own lines (its breaker around Redis, the link) logged while {@code run} runs. */
  private static long fleetLines(Runnable run) {
    try (LogCapture log = LogCapture.start()) {
      run.run();
      return log.linesFrom(0).stream()
          .filter(l -> l.contains("'fleet_redis'") || l.contains("fleet.RedisLink")).count();
    }
  }

  @Test
  void redisDownForSecondsCostsAFewLinesOfLogNotTwoASecond() {
    fleet = TestFleet.start(dir, 1, Map.of());
    long lines = fleetLines(() -> {
      fleet.redis.kill();
      TestFleet.await("alone", Duration.ofSeconds(5), () -> !fleet.connected(0));
      SharedDecisionsTest.sleepQuietly(5_000);
    });
    assertThat(lines).as("lines logged in 5 s without Redis").isLessThanOrEqualTo(3);

    // an instance that starts while Redis is down
    Map<String, String> m = new HashMap<>(TestFleet.FAST);
    m.put("upstream.base-url", fleet.sim.baseUrl());
    m.put("fleet.redis-url", fleet.redis.url());
    m.put("fleet.instance-id", "late");
    long starting = fleetLines(() -> {
      DashboardApp app = DashboardApp.start(TestDashboards.config(dir.resolve("late"), m), BreakerClock.system());
      try {
        SharedDecisionsTest.sleepQuietly(4_000);
      } finally {
        app.close();
      }
    });
    assertThat(starting).as("lines logged in 4 s by an instance started without Redis").isLessThanOrEqualTo(2);
  }

  @Test
  void aBurstOfAMillionMessagesDoesNotHoldUpTheFleetsDecisions() {
    fleet = TestFleet.start(dir, 2, Map.of("breaker.options_chain.recovery-timeout", "60s"));
    String exp = SharedDecisionsTest.expiration(fleet.api(0));
    // a million messages from whoever can write to Redis, published in about a second
    fleet.redis.cli("EVAL", "for i = 1, 1000000 do redis.call('PUBLISH', KEYS[1], ARGV[1]) end return 1", "1",
        Message.CHANNEL, "{\"v\":1,\"type\":\"answer\",\"instance\":\"z\",\"kind\":\"current_price\","
        + "\"key\":\"X\",\"ok\":false}");
    long before = fleet.upstreamRequests("chains");
    SharedDecisionsTest.trip(fleet, 0);
    TestFleet.await("b adopts a's OPEN", Duration.ofSeconds(3), () -> fleet.state(1, "options_chain").equals("OPEN"));
    assertThat(fleet.upstreamRequests("chains") - before).isEqualTo(3);
    assertThat(exp).isNotEmpty();
  }

  @Test
  void aRedisWithAPasswordIsJoinedAndThePasswordShowsNowhere() {
    fleet = TestFleet.start(dir, 0, Map.of());
    String password = "fleet-redis-Passw0rd-42";
    assertThat(fleet.redis.cli("CONFIG", "SET", "requirepass", password)).isEqualTo("OK");
    String url = fleet.redis.url().replace("redis://", "redis://:" + password + "@");
    try (LogCapture log = LogCapture.start()) {
      fleet.startInstance("a", Map.of("fleet.redis-url", url));
      fleet.startInstance("b", Map.of("fleet.redis-url", url));
      SharedDecisionsTest.trip(fleet, 0);
      TestFleet.await("b adopts a's OPEN", Duration.ofSeconds(2),
          () -> fleet.state(1, "options_chain").equals("OPEN"));
      for (int i = 0; i < 2; i++) {
        assertThat(fleet.health(i).toString()).doesNotContain(password);
        assertThat(fleet.api(i).get("/metrics").raw().body()).doesNotContain(password);
      }
      assertThat(log.text()).doesNotContain(password);
    }
  }
}
