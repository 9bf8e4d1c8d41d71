package dev.optionchain.dashboard.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optionchain.dashboard.Api;
import dev.optionchain.dashboard.BreakerHistoryIntegrationTest;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import dev.optionchain.dashboard.alerts.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared breaker decisions across three real instances and a real Redis: a trip is adopted everywhere without
 * failing calls of their own, one trial per recovery across the fleet, and the origin of adopted transitions in
 * events, history and alerts, which fire once per fleet transition.
 */
class SharedDecisionsTest {

  static final String CHAIN = "/api/options/AAPL?expiration=";

  @TempDir
  Path dir;

  private TestFleet fleet;
  private WebhookReceiver hooks;

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
    if (hooks != null) {
      hooks.close();
    }
  }

  static String expiration(Api api) {
    Api.Response r = api.get("/api/options/AAPL/expirations");
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().path("data").path("dates").get(0).asText();
  }

  /** Trips options_chain on instance {@code i} with its own failing calls; returns the chain path. */
  static String trip(TestFleet fleet, int i) {
    String path = CHAIN + expiration(fleet.api(i));
    fleet.fault("chains", "outage", "");
    for (int n = 0; n < 3; n++) {
      fleet.api(i).get(path);
    }
    assertThat(fleet.state(i, "options_chain")).isEqualTo("OPEN");
    return path;
  }

  @Test
  void aTripIsAdoptedByEveryInstanceWithTheSameRemainingTimeAndNoCallsOfTheirOwn() throws Exception {
    hooks = WebhookReceiver.start();
    fleet = TestFleet.start(dir, 3, Map.of("alerts.webhooks", hooks.uri().toString(),
        "breaker.options_chain.recovery-timeout", "60s", "breaker.options_chain.fresh-for", "0s"));
    String path = CHAIN + expiration(fleet.api(0));
    BlockingQueue<String[]> events = new LinkedBlockingQueue<>();
    HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        fleet.app(1).url().resolve("/api/events")).header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofInputStream());
    Thread reader = new Thread(() -> BreakerHistoryIntegrationTest.readEvents(stream, events));
    reader.setDaemon(true);
    reader.start();
    assertThat(events.poll(20, TimeUnit.SECONDS)[0]).isEqualTo("snapshot");
    fleet.fault("chains", "outage", "");
    long before = fleet.upstreamRequests("chains");
    for (int n = 0; n < 3; n++) {
      fleet.api(0).get(path);
    }
    Instant tripped = Instant.now();
    assertThat(fleet.upstreamRequests("chains") - before).isEqualTo(3);
    JsonNode a = fleet.health(0).path("breakers").path("options_chain");
    assertThat(a.path("state").asText()).isEqualTo("OPEN");
    for (int i = 1; i < 3; i++) {
      int n = i;
      TestFleet.await("instance " + n + " adopts OPEN", Duration.ofSeconds(1),
          () -> fleet.state(n, "options_chain").equals("OPEN"));
      assertThat(Duration.between(tripped, Instant.now())).isLessThan(Duration.ofSeconds(2));
      JsonNode b = fleet.health(n).path("breakers").path("options_chain");
      assertThat(b.path("origin").asText()).isEqualTo("a");
      Duration skew = Duration.between(Instant.parse(a.path("retryAt").asText()),
          Instant.parse(b.path("retryAt").asText())).abs();
      assertThat(skew).as("same remaining recovery time").isLessThan(Duration.ofSeconds(1));
      Api.Response served = fleet.api(n).get(path);
      assertThat(served.status()).as("%s", served).isIn(200, 503);
      assertThat(served.json().path("reason").asText()).isEqualTo("breaker_open");
    }
    assertThat(fleet.upstreamRequests("chains") - before).as("no failing calls of their own").isEqualTo(3);
    String[] adopted = events.poll(20, TimeUnit.SECONDS);
    assertThat(adopted[0]).isEqualTo("transition");
    assertThat(new ObjectMapper().readTree(adopted[2]).path("origin").asText()).as("b's event stream")
        .isEqualTo("a");
    stream.body().close();

    // the origin reaches history and the health check of the adopting instances; one alert for the fleet
    TestFleet.await("b's history shows the origin", Duration.ofSeconds(5), () -> {
      JsonNode ts = fleet.api(1).get("/api/health/transitions?limit=5").json().path("transitions");
      return ts.size() > 0 && ts.get(0).path("origin").asText().equals("a") && ts.get(0).path("to").asText()
          .equals("OPEN");
    });
    TestFleet.await("the alert", Duration.ofSeconds(5), () -> !hooks.received().isEmpty());
    sleepQuietly(500); // would a second one come?
    List<Map<String, Object>> opened = hooks.received().stream().map(r -> (Map<String, Object>) r.json())
        .filter(m -> "OPEN".equals(m.get("to"))).collect(Collectors.toList());
    assertThat(opened).hasSize(1);
    assertThat(opened.get(0)).containsEntry("origin", "a").containsEntry("breaker", "options_chain");
  }

  @Test
  void failuresOnDifferentInstancesAddUpSoTheFleetOpensAfterThresholdFailuresInAll() {
    fleet = TestFleet.start(dir, 3, Map.of("breaker.options_chain.recovery-timeout", "60s",
        "breaker.options_chain.fresh-for", "0s"));
    String exp = expiration(fleet.api(0));
    for (int i = 1; i < 3; i++) {
      expiration(fleet.api(i)); // each instance checks the expiration against its own list
    }
    fleet.fault("chains", "outage", "");
    long before = fleet.upstreamRequests("chains");
    for (int i = 0; i < 3; i++) {
      fleet.api(i).get(CHAIN + exp); // one failure on each: none reaches its own threshold of 3
    }
    for (int i = 0; i < 3; i++) {
      int n = i;
      TestFleet.await("instance " + n + " open", Duration.ofSeconds(2),
          () -> fleet.state(n, "options_chain").equals("OPEN"));
    }
    assertThat(fleet.upstreamRequests("chains") - before).isEqualTo(3);
    assertThat(fleet.health(0).path("breakers").path("options_chain").path("origin").asText()).isEqualTo("c");
  }

  @Test
  void exactlyOneTrialPerRecoveryAcrossTheFleetAndItsResultReachesEveryInstance() throws Exception {
    fleet = TestFleet.start(dir, 3, Map.of());
    String path = trip(fleet, 0);
    for (int i = 1; i < 3; i++) {
      int n = i;
      TestFleet.await("instance " + n + " adopts OPEN", Duration.ofSeconds(1),
          () -> fleet.state(n, "options_chain").equals("OPEN"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      // first recovery, the upstream still down: one trial, which fails and re-opens every instance
      long before = fleet.upstreamRequests("chains");
      hammerUntil(pool, path, () -> fleet.upstreamRequests("chains") > before);
      sleepQuietly(500);
      assertThat(fleet.upstreamRequests("chains") - before).as("trial calls in the first recovery").isEqualTo(1);
      for (int i = 0; i < 3; i++) {
        int n = i;
        TestFleet.await("instance " + n + " re-opened", Duration.ofSeconds(2), () -> {
          JsonNode s = fleet.health(n).path("breakers").path("options_chain");
          return s.path("state").asText().equals("OPEN")
              && Instant.parse(s.path("retryAt").asText()).isAfter(Instant.now().plusMillis(500));
        });
      }
      // second recovery, the upstream back: one trial, which closes every instance
      fleet.clearFaults();
      long second = fleet.upstreamRequests("chains");
      hammerUntil(pool, path, () -> fleet.upstreamRequests("chains") > second);
      for (int i = 0; i < 3; i++) {
        int n = i;
        TestFleet.await("instance " + n + " closed", Duration.ofSeconds(2),
            () -> fleet.state(n, "options_chain").equals("CLOSED"));
      }
      assertThat(fleet.upstreamRequests("chains") - second).as("trial calls in the second recovery").isEqualTo(1);
      // the closed instances serve the trial's answer, fresh, without calling again
      for (int i = 0; i < 3; i++) {
        Api.Response r = fleet.api(i).get(path);
        assertThat(r.json().path("source").asText()).as("%s", r).isEqualTo("live");
      }
      assertThat(fleet.upstreamRequests("chains") - second).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTrialLeaseLastsAtLeastTwiceTheLongestTrialSoTwoTrialsCannotOverlap() {
    // fleet.trial-lease 4s, but a trial of this breaker may take its 5 s request timeout, plus the budget's wait
    fleet = TestFleet.start(dir, 1, Map.of("breaker.options_chain.request-timeout", "5s"));
    String path = trip(fleet, 0);
    TestFleet.await("the lease taken for the trial", Duration.ofSeconds(10), () -> {
      fleet.api(0).get(path);
      return fleet.redis.cli("EXISTS", "ocd:lease:options_chain").equals("1");
    });
    long pttl = Long.parseLong(fleet.redis.cli("PTTL", "ocd:lease:options_chain"));
    // taken for 2 x (5 s + the 50 ms command timeout) at least; a trial starts only in its first half
    assertThat(pttl).as("the lease's time to live (ms)").isGreaterThan(8_000);
  }

  @Test
  void aTrialOverGivesItsLeaseBackSoThePageShowsNoHolderOfARecoveredBreaker() {
    fleet = TestFleet.start(dir, 2, Map.of("fleet.trial-lease", "60s"));
    String path = trip(fleet, 0);
    fleet.clearFaults();
    UntrustedRedisDataTest.recovers(fleet, path, Duration.ofSeconds(15));
    TestFleet.await("the lease given back (it was taken for a minute)", Duration.ofSeconds(5),
        () -> fleet.redis.cli("EXISTS", "ocd:lease:options_chain").equals("0"));
    for (int i = 0; i < 2; i++) {
      int n = i;
      TestFleet.await("instance " + n + " shows no trial holder", Duration.ofSeconds(5),
          () -> fleet.health(n).path("fleet").path("trials").isEmpty());
    }
  }

  /** Asks every instance for the chain, concurrently, until {@code done} (the recovery timeout is 2 s). */
  private void hammerUntil(ExecutorService pool, String path, java.util.function.BooleanSupplier done)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("a trial call within 15 s").isNegative();
      List<Future<Api.Response>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Api api = fleet.api(i);
        answers.add(pool.submit(() -> api.get(path)));
      }
      for (Future<Api.Response> f : answers) {
        assertThat(f.get().status()).isIn(200, 502, 503);
      }
      sleepQuietly(50);
    }
  }

  static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
