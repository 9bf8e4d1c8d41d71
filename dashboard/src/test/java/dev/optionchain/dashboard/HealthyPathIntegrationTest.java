package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The healthy path end to end, over real HTTP against the embedded simulator (on the service's one clock) and a real
 * DuckDB file: answers fresh from memory with their real asOf, one upstream call per resource across routes, unknown
 * symbols remembered, the upstream budget, writes off the request path and flushed on shutdown, and no database
 * read inside a breaker-protected call. Upstream calls are counted by the simulator.
 */
class HealthyPathIntegrationTest {

  @TempDir
  Path dataDir;

  private final ManualClock clock = TestDashboards.clock();
  private DashboardApp app;
  private Api api;
  private Api sim;

  private void start(Map<String, String> overrides) {
    app = TestDashboards.start(dataDir, clock, overrides);
    api = new Api(app.url());
    sim = new Api(app.simulator().orElseThrow().baseUrl());
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  private long upstream(String endpoint) {
    return sim.get("/sim/stats").json().path("endpoints").path(endpoint).path("requests").asLong();
  }

  private void fault(String json) {
    assertThat(sim.post("/sim/faults", json).status()).isEqualTo(200);
  }

  private Api.Response ok(String path) {
    Api.Response r = api.get(path);
    assertThat(r.status()).as("%s: %s", path, r).isEqualTo(200);
    return r;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String firstExpiration(String symbol) {
    return ok("/api/options/" + symbol + "/expirations").json().path("data").path("dates").get(0).asText();
  }

  @Test
  void withinItsFreshForAnAnswerComesFromMemoryWithItsRealAsOf() {
    start(Map.of());
    long before = upstream("quotes");
    Api.Response first = ok("/api/quote/AAPL");
    assertThat(first.json().path("source").asText()).isEqualTo("live");
    clock.advance(Duration.ofMillis(1999));
    Api.Response again = ok("/api/quote/AAPL");
    assertThat(again.json().path("source").asText()).isEqualTo("live");
    assertThat(again.json().path("stale").asBoolean()).isFalse();
    assertThat(again.json().path("asOf").asText()).as("the real asOf, 1.999 s ago")
        .isEqualTo(first.json().path("asOf").asText());
    assertThat(upstream("quotes") - before).isEqualTo(1);

    Api.Response info = ok("/api/info/AAPL");
    assertThat(info.json().path("asOf").asText()).as("ticker info taken from the fresh quote")
        .isEqualTo(first.json().path("asOf").asText());
    assertThat(upstream("quotes") - before).isEqualTo(1);

    clock.advance(Duration.ofMillis(1));
    Api.Response later = ok("/api/quote/AAPL");
    assertThat(later.json().path("asOf").asText()).isEqualTo(clock.now().toString());
    assertThat(upstream("quotes") - before).isEqualTo(2);

    long expirations = upstream("expirations");
    String expiration = firstExpiration("AAPL");
    ok("/api/options/AAPL/expirations");
    long chains = upstream("chains");
    ok("/api/options/AAPL?expiration=" + expiration);
    ok("/api/options/AAPL?expiration=" + expiration);
    assertThat(upstream("expirations") - expirations).as("10 min fresh, and the chain's check reuses it")
        .isEqualTo(1);
    assertThat(upstream("chains") - chains).isEqualTo(1);
    clock.advance(Duration.ofSeconds(10));
    ok("/api/options/AAPL?expiration=" + expiration);
    assertThat(upstream("chains") - chains).isEqualTo(2);
    assertThat(upstream("expirations") - expirations).isEqualTo(1);
  }

  @Test
  void theEmbeddedSimulatorRunsOnTheServicesOneClock() {
    start(Map.of());
    assertThat(sim.get("/sim/stats").json().path("since").asText()).isEqualTo(clock.now().toString());
    clock.advance(Duration.ofHours(3));
    assertThat(sim.delete("/sim/stats").json().path("since").asText()).isEqualTo(clock.now().toString());
    Api.Response quote = ok("/api/quote/AAPL");
    assertThat(quote.json().path("asOf").asText()).isEqualTo(clock.now().toString());
  }

  @Test
  void zeroFreshForAsksTheUpstreamEveryTime() {
    start(Map.of("breaker.current_price.fresh-for", "0s"));
    long before = upstream("quotes");
    for (int i = 0; i < 3; i++) {
      ok("/api/quote/AAPL");
    }
    assertThat(upstream("quotes") - before).isEqualTo(3);
  }

  @Test
  void concurrentRequestsForOneResourceShareOneUpstreamCallAcrossRoutes() throws Exception {
    start(Map.of());
    String expiration = firstExpiration("AAPL");
    ok("/api/history/AAPL"); // the dashboard's other parts are not what this counts
    fault("{\"endpoint\":\"chains\",\"mode\":\"latency\",\"latencyMs\":1500}");
    fault("{\"endpoint\":\"quotes\",\"mode\":\"latency\",\"latencyMs\":1500}");
    long chains = upstream("chains");
    long quotes = upstream("quotes");
    long quoteLoads = app.market().memoryCounts().get("current_price")[1];
    ExecutorService pool = Executors.newFixedThreadPool(24);
    try {
      List<Future<Api.Response>> answers = new ArrayList<>();
      answers.add(pool.submit(() -> api.get("/api/options/AAPL?expiration=" + expiration)));
      answers.add(pool.submit(() -> api.get("/api/quote/AAPL")));
      while (upstream("chains") == chains || upstream("quotes") == quotes) { // both calls are in flight
        Thread.onSpinWait();
      }
      CountDownLatch go = new CountDownLatch(1);
      for (int i = 0; i < 8; i++) {
        answers.add(pool.submit(() -> {
          go.await();
          return api.get("/api/options/AAPL?expiration=" + expiration);
        }));
        answers.add(pool.submit(() -> {
          go.await();
          return api.get("/api/quote/AAPL");
        }));
      }
      for (int i = 0; i < 4; i++) {
        answers.add(pool.submit(() -> {
          go.await();
          return api.get("/api/dashboard/AAPL");
        }));
      }
      go.countDown();
      List<String> chainAsOf = new ArrayList<>();
      for (Future<Api.Response> f : answers) {
        Api.Response r = f.get(60, TimeUnit.SECONDS);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode chain = r.json().has("chain") ? r.json().path("chain") : r.json();
        if (chain.path("data").has("rows")) {
          assertThat(chain.path("source").asText()).isEqualTo("live");
          chainAsOf.add(chain.path("asOf").asText());
        }
      }
      assertThat(chainAsOf).hasSize(13).containsOnly(chainAsOf.get(0));
    } finally {
      pool.shutdownNow();
    }
    assertThat(upstream("chains") - chains).as("one upstream chain call for 13 requests on two routes")
        .isEqualTo(1);
    assertThat(app.market().memoryCounts().get("current_price")[1] - quoteLoads)
        .as("one quote load for 13 requests on two routes").isEqualTo(1);
  }

  @Test
  void tickerInfoAskedWhileItsQuoteIsInFlightWaitsForThatQuoteInsteadOfCallingAgain() throws Exception {
    // the page asks /api/quote and /api/info of a new symbol at once: one upstream quote call, not two
    start(Map.of());
    fault("{\"endpoint\":\"quotes\",\"mode\":\"latency\",\"latencyMs\":1500}");
    long before = upstream("quotes");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Api.Response> quote = pool.submit(() -> api.get("/api/quote/MSFT"));
      while (upstream("quotes") == before) { // the quote call is in flight
        Thread.onSpinWait();
      }
      Future<Api.Response> info = pool.submit(() -> api.get("/api/info/MSFT"));
      Api.Response q = quote.get(60, TimeUnit.SECONDS);
      Api.Response i = info.get(60, TimeUnit.SECONDS);
      assertThat(q.status()).as("%s", q).isEqualTo(200);
      assertThat(i.status()).as("%s", i).isEqualTo(200);
      assertThat(i.json().path("source").asText()).isEqualTo("live");
      assertThat(i.json().path("asOf").asText()).isEqualTo(q.json().path("asOf").asText());
      assertThat(i.json().path("data").path("name").asText()).isNotEmpty();
    } finally {
      pool.shutdownNow();
    }
    assertThat(upstream("quotes") - before).as("one upstream quote call for the quote and the info").isEqualTo(1);
  }

  @Test
  void unknownSymbolsAreRememberedAndAnswered404WithoutCallingTheUpstream() {
    start(Map.of());
    long quotes = upstream("quotes");
    long expirations = upstream("expirations");
    for (int i = 0; i < 50; i++) {
      Api.Response r = api.get("/api/quote/ZZZZQ");
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.json().path("error").asText()).contains("ZZZZQ");
    }
    assertThat(api.get("/api/options/ZZZZQ/expirations").status()).isEqualTo(404);
    assertThat(api.get("/api/dashboard/ZZZZQ").status()).isEqualTo(404);
    assertThat(api.get("/api/history/ZZZZQ").status()).isEqualTo(404);
    assertThat(upstream("quotes") - quotes).as("asked once").isEqualTo(1);
    assertThat(upstream("expirations") - expirations).isZero();

    clock.advance(Duration.ofHours(1));
    assertThat(api.get("/api/quote/ZZZZQ").status()).isEqualTo(404);
    assertThat(upstream("quotes") - quotes).as("forgotten after an hour, asked again").isEqualTo(2);
  }

  @Test
  void aSpentBudgetServesTheCacheOr503WithoutCallingAndKeepsAShareForUncachedData() {
    Map<String, String> overrides = new HashMap<>(TestDashboards.withoutMemory(Map.of()));
    overrides.put("upstream.rate-limit-per-minute", "4");
    start(overrides);
    long before = upstream("quotes");
    for (int i = 0; i < 3; i++) {
      assertThat(ok("/api/quote/AAPL").json().path("source").asText()).isEqualTo("live");
    }
    Api.Response stale = ok("/api/quote/AAPL");
    assertThat(stale.json().path("source").asText()).as("a refresh past 3 of 4: the cache").isEqualTo("cache");
    assertThat(stale.json().path("reason").asText()).isEqualTo("rate_limited");
    assertThat(stale.json().path("retryAfterSeconds").asLong()).isBetween(1L, 60L);
    assertThat(ok("/api/quote/MSFT").json().path("source").asText()).as("the reserve, for nothing cached")
        .isEqualTo("live");
    Api.Response refused = api.get("/api/quote/NVDA");
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.header("Retry-After")).isPresent();
    assertThat(refused.json().path("reason").asText()).isEqualTo("rate_limited");
    assertThat(upstream("quotes") - before).as("no call past the budget").isEqualTo(4);
    assertThat(app.breakers().get("current_price").orElseThrow().getStatus().failureCount()).isZero();

    clock.advance(Duration.ofSeconds(60));
    assertThat(ok("/api/quote/NVDA").json().path("source").asText()).isEqualTo("live");
  }

  @Test
  void aLiveAnswerNeverWaitsForTheDatabaseAndPendingWritesAreFlushedOnShutdown() throws Exception {
    start(Map.of());
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread blocker = new Thread(() -> app.database().write(c -> {
      holding.countDown();
      awaitQuietly(release);
    }), "holds-the-write-lock");
    blocker.start();
    try {
      assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
      for (String s : List.of("AAPL", "MSFT", "NVDA", "SPY", "QQQ")) {
        Api.Response r = ok("/api/quote/" + s);
        assertThat(r.json().path("source").asText()).as("live while DuckDB cannot write").isEqualTo("live");
      }
      assertThat(app.cacheWriter().written()).isZero();
    } finally {
      release.countDown();
    }
    blocker.join();
    app.close(); // flushes what is pending
    app = null;

    start(Map.of());
    assertThat(app.cache().rowCount("quotes")).isEqualTo(5);
    fault("{\"endpoint\":\"quotes\",\"mode\":\"outage\"}");
    Api.Response cached = ok("/api/quote/QQQ");
    assertThat(cached.json().path("source").asText()).isEqualTo("cache");
  }

  @Test
  void noDatabaseReadRunsInsideTheBreakerProtectedCall() throws Exception {
    start(Map.of("breaker.options_chain.fresh-for", "0s"));
    String expiration = firstExpiration("AAPL");
    String path = "/api/options/AAPL?expiration=" + expiration;
    ok(path);
    CircuitBreaker chains = app.breakers().get("options_chain").orElseThrow();
    fault("{\"endpoint\":\"chains\",\"mode\":\"empty\"}");
    // every read connection busy: a read inside the protected call would hold the breaker's call for 10 s and then
    // fail; outside, the empty answer is judged from memory and the fallback comes from memory
    int connections = 4;
    CountDownLatch busy = new CountDownLatch(connections);
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> readers = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Thread t = new Thread(() -> app.database().read(c -> {
        busy.countDown();
        awaitQuietly(release);
        return null;
      }));
      readers.add(t);
      t.start();
    }
    try {
      assertThat(busy.await(30, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 3; i++) {
        Api.Response r = ok(path);
        assertThat(r.json().path("source").asText()).isEqualTo("cache");
        assertThat(r.json().path("detail").asText()).contains("EMPTY");
      }
      assertThat(chains.isOpen()).as("three empty answers where data is known: three failures").isTrue();
      assertThat(chains.getStatus().failedCalls()).isEqualTo(3);
    } finally {
      release.countDown();
    }
    for (Thread t : readers) {
      t.join();
    }
  }

  @Test
  void everyRootOfAChainIsKeptAndIndexPlaceholdersAreNull() {
    start(Map.of());
    List<String> spxDates = new ArrayList<>();
    ok("/api/options/SPX/expirations").json().path("data").path("dates").forEach(d -> spxDates.add(d.asText()));
    String monthly = spxDates.stream().filter(d -> {
      java.time.LocalDate date = java.time.LocalDate.parse(d);
      return date.getDayOfWeek() == java.time.DayOfWeek.FRIDAY && date.getDayOfMonth() >= 15
          && date.getDayOfMonth() <= 21;
    }).findFirst().orElseThrow();
    assertThat(spxDates.size()).as("weeklies of SPXW included (includeAllRoots)").isGreaterThan(8);

    JsonNode chain = ok("/api/options/SPX?expiration=" + monthly).json().path("data");
    assertThat(chain.path("roots").toString()).isEqualTo("[\"SPX\",\"SPXW\"]");
    Map<Double, List<String>> rootsByStrike = new HashMap<>();
    chain.path("rows").forEach(r -> rootsByStrike.computeIfAbsent(r.path("strike").asDouble(), k -> new ArrayList<>())
        .add(r.path("root").asText()));
    assertThat(rootsByStrike.values()).anySatisfy(roots -> assertThat(roots).containsExactly("SPX", "SPXW"));
    JsonNode spxw = null;
    for (JsonNode r : chain.path("rows")) {
      if (r.path("root").asText().equals("SPXW")) {
        spxw = r;
        break;
      }
    }
    assertThat(spxw).isNotNull();
    assertThat(spxw.path("call").path("symbol").asText()).startsWith("SPXW");
    assertThat(spxw.path("call").path("underlying").asText()).isEqualTo("SPX");

    JsonNode info = ok("/api/info/VIX").json().path("data");
    assertThat(info.path("type").asText()).isEqualTo("index");
    assertThat(info.path("week52High").isNull()).as("Tradier's 0.0 placeholder").isTrue();
    assertThat(info.path("averageVolume").isNull()).isTrue();
    JsonNode vix = ok("/api/quote/VIX").json().path("data");
    assertThat(vix.path("bid").isNull()).isTrue();
    assertThat(vix.path("volume").isNull()).isTrue();
    assertThat(vix.path("last").asDouble()).isPositive();

    app.awaitCacheWrites();
    app.close();
    app = null;
    start(Map.of());
    fault("{\"endpoint\":\"chains\",\"mode\":\"outage\"}");
    JsonNode cached = ok("/api/options/SPX?expiration=" + monthly).json();
    assertThat(cached.path("source").asText()).isEqualTo("cache");
    assertThat(cached.path("data").path("rows").size()).as("both roots survive DuckDB")
        .isEqualTo(chain.path("rows").size());
  }
}
