package dev.optionchain.dashboard.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.dashboard.Api;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared answers and the shared budget, on three real instances and a real Redis: a fresh answer fetched by one is
 * served by all within its fresh-for without another upstream call; concurrent requests for one resource on several
 * instances make one upstream call; the last good answer of a key one instance fetched is every instance's fallback;
 * and the fleet's upstream calls stay within the budget in total.
 */
class SharedAnswersTest {

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
  void aFreshAnswerFetchedByOneInstanceIsServedByEveryInstanceWithoutAnotherCall() {
    fleet = TestFleet.start(dir, 3, Map.of("breaker.current_price.fresh-for", "30s"));
    long before = fleet.upstreamRequests("quotes");
    Api.Response first = fleet.api(0).get("/api/quote/MSFT");
    assertThat(first.json().path("source").asText()).isEqualTo("live");
    for (int i = 1; i < 3; i++) {
      Api.Response r = fleet.api(i).get("/api/quote/MSFT");
      assertThat(r.json().path("source").asText()).as("%s", r).isEqualTo("live");
      assertThat(r.json().path("asOf").asText()).isEqualTo(first.json().path("asOf").asText());
      assertThat(r.json().path("data")).isEqualTo(first.json().path("data"));
    }
    assertThat(fleet.upstreamRequests("quotes") - before).isEqualTo(1);

    // a whole chain, compressed in Redis, comes back equal
    String exp = SharedDecisionsTest.expiration(fleet.api(0));
    long chains = fleet.upstreamRequests("chains");
    Api.Response chain = fleet.api(0).get("/api/options/AAPL?expiration=" + exp);
    Api.Response other = fleet.api(2).get("/api/options/AAPL?expiration=" + exp);
    assertThat(other.json().path("data")).isEqualTo(chain.json().path("data"));
    assertThat(other.json().path("asOf").asText()).isEqualTo(chain.json().path("asOf").asText());
    assertThat(fleet.upstreamRequests("chains") - chains).isEqualTo(1);
  }

  @Test
  void concurrentRequestsForOneResourceOnSeveralInstancesMakeOneUpstreamCall() throws Exception {
    fleet = TestFleet.start(dir, 3, Map.of());
    String exp = SharedDecisionsTest.expiration(fleet.api(0));
    fleet.fault("chains", "latency", "\"latencyMs\":400"); // the first call is still in flight when the others ask
    long before = fleet.upstreamRequests("chains");
    ExecutorService pool = Executors.newFixedThreadPool(6);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Api.Response>> answers = new ArrayList<>();
      for (int n = 0; n < 6; n++) {
        Api api = fleet.api(n % 3);
        answers.add(pool.submit(() -> {
          go.await();
          return api.get("/api/options/AAPL?expiration=" + exp);
        }));
      }
      go.countDown();
      for (Future<Api.Response> f : answers) {
        Api.Response r = f.get();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().path("source").asText()).isEqualTo("live");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(fleet.upstreamRequests("chains") - before).isEqualTo(1);
  }

  @Test
  void theLastGoodAnswerOfAKeyOneInstanceFetchedIsEveryInstancesFallback() {
    fleet = TestFleet.start(dir, 3, Map.of("breaker.options_chain.fresh-for", "0s",
        "breaker.options_chain.recovery-timeout", "60s"));
    String exp = SharedDecisionsTest.expiration(fleet.api(0));
    String path = "/api/options/AAPL?expiration=" + exp;
    Api.Response good = fleet.api(0).get(path);
    assertThat(good.json().path("source").asText()).isEqualTo("live");
    // trip the breaker on b with another symbol's chain; every instance adopts it
    String msftExp = SharedDecisionsTest.expiration(fleet.api(1));
    fleet.fault("chains", "outage", "");
    for (int n = 0; n < 3; n++) {
      fleet.api(1).get("/api/options/MSFT?expiration=" + msftExp);
    }
    TestFleet.await("c adopts OPEN", Duration.ofSeconds(1), () -> fleet.state(2, "options_chain").equals("OPEN"));
    // c never fetched AAPL's chain: it serves a's, stale, from the fleet
    Api.Response fallback = fleet.api(2).get(path);
    assertThat(fallback.status()).as("%s", fallback).isEqualTo(200);
    assertThat(fallback.json().path("source").asText()).isEqualTo("cache");
    assertThat(fallback.json().path("reason").asText()).isEqualTo("breaker_open");
    assertThat(fallback.json().path("asOf").asText()).isEqualTo(good.json().path("asOf").asText());
    assertThat(fallback.json().path("data")).isEqualTo(good.json().path("data"));
    // a key nobody fetched is still a 503
    assertThat(fleet.api(2).get("/api/options/MSFT?expiration=" + msftExp).status()).isEqualTo(503);
  }

  @Test
  void theFleetsUpstreamCallsStayWithinTheBudgetInTotal() throws Exception {
    int budget = 30;
    Map<String, String> noMemory = new java.util.HashMap<>();
    for (String name : dev.optionchain.dashboard.config.DashboardConfig.BREAKER_NAMES) {
      noMemory.put("breaker." + name + ".fresh-for", "0s");
    }
    noMemory.put("upstream.rate-limit-per-minute", Integer.toString(budget));
    fleet = TestFleet.start(dir, 3, noMemory);
    long before = fleet.upstreamRequests("quotes");
    ExecutorService pool = Executors.newFixedThreadPool(6);
    int[] byStatus = new int[600];
    try {
      List<Future<Api.Response>> answers = new ArrayList<>();
      for (int n = 0; n < 150; n++) {
        Api api = fleet.api(n % 3);
        answers.add(pool.submit(() -> api.get("/api/quote/AAPL")));
      }
      for (Future<Api.Response> f : answers) {
        byStatus[f.get().status()]++;
      }
    } finally {
      pool.shutdownNow();
    }
    long calls = fleet.upstreamRequests("quotes") - before;
    assertThat(calls).as("upstream calls of the fleet").isLessThanOrEqualTo(budget).isGreaterThan(0);
    assertThat(byStatus[200] + byStatus[503]).as("only answers and 503 + Retry-After").isEqualTo(150);
    for (int i = 0; i < 3; i++) {
      String text = fleet.api(i).get("/metrics").raw().body();
      assertThat(text).contains("fleet_budget_available").contains("fleet_messages_out_total");
    }
  }

  @Test
  void anAnswerTooLargeToShareReleasesItsFetchLockAtOnce() {
    fleet = TestFleet.start(dir, 1, Map.of("fleet.max-answer-bytes", "1024",
        "breaker.options_chain.request-timeout", "20s")); // a lock would last 21 s
    String exp = SharedDecisionsTest.expiration(fleet.api(0));
    assertThat(fleet.api(0).get("/api/options/AAPL?expiration=" + exp).status()).isEqualTo(200);
    TestFleet.await("no fetch lock left: the instances waiting for the chain go on", Duration.ofSeconds(10),
        () -> fleet.redis.cli("KEYS", "ocd:lock:*").isEmpty());
    assertThat(fleet.metric(0, "fleet_answers_too_large_total")).isGreaterThanOrEqualTo(1);
  }
}
