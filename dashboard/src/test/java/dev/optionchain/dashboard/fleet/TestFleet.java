package dev.optionchain.dashboard.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.dashboard.Api;
import dev.optionchain.dashboard.DashboardApp;
import dev.optionchain.dashboard.TestDashboards;
import dev.optionchain.marketsim.MarketSim;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * A fleet for the tests: a real {@code redis-server}, one market simulator as the shared upstream, and dashboard
 * instances ({@code a}, {@code b}, {@code c}, ...) in this JVM on the system clock, each with its own DuckDB file.
 * Breaker times are short so that a recovery takes seconds.
 */
final class TestFleet implements AutoCloseable {

  /** Settings every instance of the tests runs with. */
  static final Map<String, String> FAST = Map.of(
      "breaker.options_chain.recovery-timeout", "2s",
      "breaker.options_chain.request-timeout", "2s",
      "fleet.trial-lease", "4s",
      "upstream.rate-limit-per-minute", "0");

  final Path dir;
  final RedisServer redis;
  final MarketSim sim;
  final Api simApi;
  private final List<DashboardApp> apps = new ArrayList<>();
  private final Map<String, String> overrides;

  private TestFleet(Path dir, RedisServer redis, MarketSim sim, Map<String, String> overrides) {
    this.dir = dir;
    this.redis = redis;
    this.sim = sim;
    this.simApi = new Api(sim.baseUrl());
    this.overrides = overrides;
  }

  /** Skips the test, loudly, when {@code redis-server} is not installed. */
  static void requireRedis() {
    if (!RedisServer.available()) {
      System.err.println("**************************************************************************");
      System.err.println("SKIPPED: " + RedisServer.BINARY + " is missing: the fleet tests need Debian's redis-server");
      System.err.println("(apt-get install redis-server; .ci/run installs it when it can)");
      System.err.println("**************************************************************************");
    }
    Assumptions.assumeTrue(RedisServer.available(), "redis-server is not installed: fleet tests skipped");
  }

  static TestFleet start(Path dir, int instances, Map<String, String> overrides) {
    requireRedis();
    RedisServer redis = RedisServer.start(dir);
    MarketSim sim = MarketSim.builder().port(0).seed(42L).start();
    TestFleet f = new TestFleet(dir, redis, sim, overrides);
    try {
      for (int i = 0; i < instances; i++) {
        f.startInstance(Character.toString('a' + i), Map.of());
      }
      return f;
    } catch (RuntimeException e) {
      f.close();
      throw e;
    }
  }

  DashboardApp startInstance(String id, Map<String, String> more) {
    Map<String, String> m = new HashMap<>(FAST);
    m.put("upstream.base-url", sim.baseUrl());
    m.put("fleet.redis-url", redis.url());
    m.put("fleet.instance-id", id);
    m.putAll(overrides);
    m.putAll(more);
    DashboardApp app = DashboardApp.start(TestDashboards.config(dir.resolve(id), m), BreakerClock.system());
    apps.add(app);
    await("instance " + id + " connected to Redis", Duration.ofSeconds(10),
        () -> new Api(app.url()).get("/api/health/circuit-breakers").json().path("fleet").path("connected")
            .asBoolean());
    return app;
  }

  DashboardApp app(int i) {
    return apps.get(i);
  }

  Api api(int i) {
    return new Api(apps.get(i).url());
  }

  int size() {
    return apps.size();
  }

  void fault(String endpoint, String mode, String extra) {
    Api.Response r = simApi.post("/sim/faults",
        "{\"endpoint\":\"" + endpoint + "\",\"mode\":\"" + mode + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}");
    assertThat(r.status()).as("setting fault %s %s: %s", endpoint, mode, r).isEqualTo(200);
  }

  void clearFaults() {
    assertThat(simApi.delete("/sim/faults").status()).isEqualTo(200);
  }

  /** Requests the simulator received on an endpoint ({@code quotes}, {@code chains}, ...) since it started. */
  long upstreamRequests(String endpoint) {
    JsonNode n = simApi.get("/sim/stats").json().path("endpoints").path(endpoint).path("requests");
    return n.asLong(0);
  }

  JsonNode health(int i) {
    return api(i).get("/api/health/circuit-breakers").json();
  }

  String state(int i, String breaker) {
    return health(i).path("breakers").path(breaker).path("state").asText();
  }

  /** Whether instance {@code i} says it uses Redis now. */
  boolean connected(int i) {
    return health(i).path("fleet").path("connected").asBoolean();
  }

  /** A series of instance {@code i}'s {@code /metrics} without labels, or -1 when absent. */
  double metric(int i, String name) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(name)
        + " (\\S+)$").matcher(api(i).get("/metrics").raw().body());
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  /** Polls {@code condition} every 20 ms until it holds; fails after {@code timeout}. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() {
    for (DashboardApp app : apps) {
      try {
        app.close();
      } catch (RuntimeException ignored) {
        // the others still close
      }
    }
    sim.close();
    redis.close();
  }
}
