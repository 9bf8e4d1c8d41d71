package dev.optionchain.dashboard.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.dashboard.Api;
import dev.optionchain.dashboard.JarProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the instance making the fleet's trial call, mid-trial: the runnable jar as a separate process
 * ({@code p}) beside an instance in this JVM ({@code q}), one Redis, one simulator. While {@code p} holds the trial
 * lease nobody else trials; after it dies its lease expires and {@code q} makes the trial, which closes its breaker.
 */
class TrialHolderKilledIT {

  @TempDir
  Path dir;

  private TestFleet fleet;
  private JarProcess p;

  @AfterEach
  void stop() {
    if (p != null) {
      p.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void anotherInstanceTrialsAfterTheDeadHoldersLeaseExpires() throws Exception {
    Map<String, String> settings = Map.of("breaker.options_chain.request-timeout", "4s",
        "breaker.options_chain.fresh-for", "0s", "fleet.trial-lease", "4s");
    fleet = TestFleet.start(dir, 1, settings); // q, in this JVM
    List<String> args = new ArrayList<>(List.of("--port", "0", "--data-dir", dir.resolve("p").toString()));
    Map<String, String> all = new java.util.HashMap<>(TestFleet.FAST);
    all.putAll(settings);
    all.put("upstream.base-url", fleet.sim.baseUrl());
    all.put("fleet.redis-url", fleet.redis.url());
    all.put("fleet.instance-id", "p");
    all.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
    p = JarProcess.start(args.toArray(String[]::new));
    Api pApi = new Api(p.url());
    Api q = fleet.api(0);
    TestFleet.await("p connected", Duration.ofSeconds(10),
        () -> pApi.get("/api/health/circuit-breakers").json().path("fleet").path("connected").asBoolean());

    String path = SharedDecisionsTest.trip(fleet, 0); // q trips it; p adopts
    TestFleet.await("p adopts OPEN", Duration.ofSeconds(2), () -> state(pApi).equals("OPEN"));
    fleet.clearFaults();
    fleet.fault("chains", "latency", "\"latencyMs\":30000"); // p's trial will hang

    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      long before = fleet.upstreamRequests("chains");
      // ask p until its trial is in flight (it holds the lease, HALF_OPEN)
      List<Future<Api.Response>> pending = new ArrayList<>();
      TestFleet.await("p's trial in flight", Duration.ofSeconds(15), () -> {
        if (state(pApi).equals("HALF_OPEN")) {
          return true;
        }
        pending.add(pool.submit(() -> pApi.get(path)));
        SharedDecisionsTest.sleepQuietly(100);
        return false;
      });
      assertThat(fleet.redis.cli("GET", "ocd:lease:options_chain")).isEqualTo("p");
      TestFleet.await("the trial reached the upstream", Duration.ofSeconds(5),
          () -> fleet.upstreamRequests("chains") - before == 1);
      // while p holds the lease, q makes no trial of its own
      for (int n = 0; n < 5; n++) {
        assertThat(q.get(path).json().path("reason").asText()).isEqualTo("breaker_open");
      }
      assertThat(fleet.upstreamRequests("chains") - before).isEqualTo(1);
      TestFleet.await("q's health check shows p holding the trial (as of a heartbeat)", Duration.ofSeconds(3),
          () -> q.get("/api/health/circuit-breakers").json().path("fleet").path("trials").path("options_chain")
              .asText().equals("p"));

      long leaseLeft = Long.parseLong(fleet.redis.cli("PTTL", "ocd:lease:options_chain"));
      p.kill9();
      long killed = System.nanoTime();
      fleet.clearFaults(); // the upstream is fine again: the next trial succeeds

      TestFleet.await("q trials and closes", Duration.ofSeconds(25), () -> {
        q.get(path);
        SharedDecisionsTest.sleepQuietly(100);
        return fleet.state(0, "options_chain").equals("CLOSED");
      });
      long tookMillis = (System.nanoTime() - killed) / 1_000_000;
      assertThat(tookMillis).as("q's trial waited for the dead holder's lease (%d ms left)", leaseLeft)
          .isGreaterThanOrEqualTo(leaseLeft - 200);
      assertThat(fleet.upstreamRequests("chains") - before).as("p's trial, then q's").isEqualTo(2);
      assertThat(fleet.redis.cli("GET", "ocd:lease:options_chain")).isIn("a", "");
    } finally {
      pool.shutdownNow();
    }
  }

  private static String state(Api api) {
    return api.get("/api/health/circuit-breakers").json().path("breakers").path("options_chain").path("state")
        .asText();
  }
}
