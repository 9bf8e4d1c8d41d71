package dev.optionchain.dashboard.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.dashboard.Api;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis is optional at run time: killed, restarted, paused with SIGSTOP, or not there yet, every instance goes on
 * alone with no request stuck on Redis, stays ready, reconnects by itself and re-learns the fleet's state.
 */
class RedisFailuresTest {

  @TempDir
  Path dir;

  private TestFleet fleet;

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
  }

  private boolean connected(int i) {
    return fleet.health(i).path("fleet").path("connected").asBoolean();
  }

  /** Many requests on every instance, all of memory misses (fresh-for 0s): each must end well within 2 s. */
  private void everyRequestEndsQuickly(String what) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Long>> took = new ArrayList<>();
      for (int n = 0; n < 60; n++) {
        Api api = fleet.api(n % 3);
        String symbol = n % 2 == 0 ? "AAPL" : "MSFT";
        took.add(pool.submit(() -> {
          long start = System.nanoTime();
          Api.Response r = api.get("/api/quote/" + symbol);
          assertThat(r.status()).as("%s", r).isEqualTo(200);
          return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }));
      }
      long worst = 0;
      for (Future<Long> f : took) {
        worst = Math.max(worst, f.get(10, TimeUnit.SECONDS));
      }
      // generous for a shared, busy machine: a request stuck on Redis would take the 10 s of the test's wait
      assertThat(worst).as("slowest request while " + what + " (ms)").isLessThan(2_000);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void redisKilledAndRestartedTheInstancesGoOnAloneThenRejoinAndReLearnTheState() throws Exception {
    fleet = TestFleet.start(dir, 3, Map.of("breaker.current_price.fresh-for", "0s",
        "breaker.options_chain.recovery-timeout", "60s", "breaker.options_chain.fresh-for", "0s"));
    fleet.redis.kill();
    for (int i = 0; i < 3; i++) {
      int n = i;
      TestFleet.await("instance " + n + " alone", Duration.ofSeconds(5), () -> !connected(n));
      assertThat(fleet.api(i).get("/health/ready").status()).isEqualTo(200);
    }
    everyRequestEndsQuickly("Redis is down");
    // alone, a trip stays local
    SharedDecisionsTest.trip(fleet, 0);
    assertThat(fleet.state(1, "options_chain")).isEqualTo("CLOSED");

    fleet.redis.restart();
    for (int i = 0; i < 3; i++) {
      int n = i;
      TestFleet.await("instance " + n + " reconnected", Duration.ofSeconds(15), () -> connected(n));
    }
    // a re-learnt state: the OPEN a decided alone is published on reconnection, and the others adopt it
    for (int i = 1; i < 3; i++) {
      int n = i;
      TestFleet.await("instance " + n + " learns a's OPEN", Duration.ofSeconds(5),
          () -> fleet.state(n, "options_chain").equals("OPEN"));
    }
    assertThat(fleet.redis.cli("EXISTS", "ocd:breaker:options_chain")).isEqualTo("1");
  }

  @Test
  void redisPausedWithSigstopNoRequestIsStuckThenTheFleetResumes() throws Exception {
    fleet = TestFleet.start(dir, 3, Map.of("breaker.current_price.fresh-for", "0s",
        "breaker.options_chain.recovery-timeout", "60s"));
    fleet.redis.pause();
    try {
      everyRequestEndsQuickly("Redis is paused");
      for (int i = 0; i < 3; i++) {
        int n = i;
        TestFleet.await("instance " + n + " alone", Duration.ofSeconds(5), () -> !connected(n));
        assertThat(fleet.api(i).get("/health/ready").status()).isEqualTo(200);
      }
      String metrics = fleet.api(0).get("/metrics").raw().body();
      assertThat(metrics).containsPattern("fleet_redis_errors_total [1-9]");
    } finally {
      fleet.redis.resume();
    }
    for (int i = 0; i < 3; i++) {
      int n = i;
      TestFleet.await("instance " + n + " back", Duration.ofSeconds(10), () -> connected(n));
    }
    SharedDecisionsTest.trip(fleet, 2);
    TestFleet.await("a adopts c's OPEN after the pause", Duration.ofSeconds(2),
        () -> fleet.state(0, "options_chain").equals("OPEN"));
  }

  @Test
  void withRedisPausedOneRequestWaitsOneTimeoutAndTheRequestsAfterItDoNotWait() throws Exception {
    fleet = TestFleet.start(dir, 1, Map.of("upstream.rate-limit-per-minute", "120")); // the budget asks Redis too
    TestFleet.await("connected", Duration.ofSeconds(10), () -> connected(0));
    List<String> symbols = fleet.sim.symbols().subList(0, 12);
    fleet.redis.pause();
    long started = System.nanoTime();
    try {
      // memory misses one after the other: each asks Redis for the shared answer, then for the budget
      long before = 0;
      for (String symbol : symbols) {
        Api.Response r = fleet.api(0).get("/api/quote/" + symbol);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        long after = counter(fleet.api(0).get("/metrics").raw().body(), "fleet_redis_waits_timed_out_total");
        assertThat(after - before).as("waits of the request for %s that timed out", symbol).isLessThanOrEqualTo(1);
        before = after;
      }
      long elapsedSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      long timedOut = counter(fleet.api(0).get("/metrics").raw().body(), "fleet_redis_waits_timed_out_total");
      // a timed-out wait quiets the request path for a second: without that, the first request waited twice (the
      // shared answer, then the budget) and the next ones once each until the fleet's breaker opened
      assertThat(timedOut).as("waits that timed out in %d whole seconds", elapsedSeconds)
          .isBetween(1L, 1 + elapsedSeconds);
    } finally {
      fleet.redis.resume();
    }
  }

  private static long counter(String metrics, String name) {
    return metrics.lines().filter(l -> l.startsWith(name + " ")).findFirst()
        .map(l -> (long) Double.parseDouble(l.substring(name.length() + 1).trim()))
        .orElseThrow(() -> new AssertionError(name + " not in /metrics"));
  }

  @Test
  void anInstanceStartedLaterLearnsTheFleetsStateFromTheStateKey() {
    fleet = TestFleet.start(dir, 2, Map.of("breaker.options_chain.recovery-timeout", "60s"));
    SharedDecisionsTest.trip(fleet, 0);
    fleet.startInstance("late", Map.of());
    TestFleet.await("the late instance learns OPEN", Duration.ofSeconds(3),
        () -> fleet.state(2, "options_chain").equals("OPEN"));
    assertThat(fleet.health(2).path("breakers").path("options_chain").path("origin").asText()).isEqualTo("a");
    assertThat(fleet.health(2).path("fleet").path("instances").toString()).contains("a", "b", "late");
  }

  @Test
  void anInstanceStartsAndServesWithoutRedisAndJoinsWhenItComes() throws Exception {
    TestFleet.requireRedis();
    RedisServer redis = RedisServer.start(dir);
    String url = redis.url();
    redis.close(); // a port where nothing listens yet
    fleet = TestFleet.start(dir, 0, Map.of());
    Map<String, String> m = new java.util.HashMap<>(TestFleet.FAST);
    m.put("upstream.base-url", fleet.sim.baseUrl());
    m.put("fleet.redis-url", url);
    m.put("fleet.instance-id", "early");
    try (dev.optionchain.dashboard.DashboardApp app = dev.optionchain.dashboard.DashboardApp.start(
        dev.optionchain.dashboard.TestDashboards.config(dir.resolve("early"), m),
        dev.optionchain.breaker.BreakerClock.system())) {
      Api api = new Api(app.url());
      assertThat(api.get("/api/quote/AAPL").status()).isEqualTo(200);
      assertThat(api.get("/api/health/circuit-breakers").json().path("fleet").path("connected").asBoolean())
          .isFalse();
      assertThat(api.get("/health/ready").status()).isEqualTo(200);
    }
  }
}
