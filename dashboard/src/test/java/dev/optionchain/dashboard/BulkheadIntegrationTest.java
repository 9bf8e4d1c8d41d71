package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optionchain.dashboard.config.DashboardConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bulkheads, end to end: the dashboard and the embedded simulator on ephemeral ports, latency injected into the
 * simulator, real HTTP. A slow upstream holds at most the bulkhead's places; every other request is answered at once
 * (from the cache, else 503 with {@code Retry-After}); and the probes, metrics, page and event stream never wait
 * behind it. "At once" is checked by order, never by a measured time: the refused requests and the probes are
 * answered while the upstream calls they would have waited for are still in flight (the injected latency is several
 * seconds).
 */
class BulkheadIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long the test waits, at most, for something that should happen within about a second. */
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir
  Path dataDir;

  private DashboardApp app;
  private Api api;
  private Api sim;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private void start(Map<String, String> overrides) {
    app = TestDashboards.start(dataDir, TestDashboards.clock(), overrides);
    api = new Api(app.url());
    sim = new Api(app.simulator().orElseThrow().baseUrl());
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void aSlowUpstreamHoldsAtMostItsPlacesAndEveryOtherRequestIsAnsweredAtOnce() throws Exception {
    start(TestDashboards.withoutMemory(Map.of("breaker.current_price.max-concurrent-calls", "2",
        "breaker.current_price.max-waiting-requests", "4", "breaker.current_price.request-timeout", "20s")));
    List<String> symbols = app.simulator().orElseThrow().symbols();
    assertThat(api.get("/api/quote/" + symbols.get(0)).status()).as("cached before the upstream slows down")
        .isEqualTo(200);
    fault("quotes", "latency", "\"latencyMs\":6000");

    CompletableFuture<HttpResponse<String>> first = getAsync("/api/quote/" + symbols.get(1));
    await(() -> slowQuoteRequests() == 1, "the first call reached the upstream");
    CompletableFuture<HttpResponse<String>> second = getAsync("/api/quote/" + symbols.get(2));
    await(() -> slowQuoteRequests() == 2, "the second call reached the upstream");
    Api.Response noCallPlace = api.get("/api/quote/" + symbols.get(3));
    Api.Response cached = api.get("/api/quote/" + symbols.get(0));
    List<CompletableFuture<HttpResponse<String>>> joiners = List.of(getAsync("/api/quote/" + symbols.get(1)),
        getAsync("/api/quote/" + symbols.get(1)));
    await(() -> api.metric("market_bulkhead_waiting_current_price") == 4, "two more requests share the first call");
    Api.Response noWaitingPlace = api.get("/api/quote/" + symbols.get(1));
    boolean allStillWaiting = !first.isDone() && !second.isDone()
        && joiners.stream().noneMatch(CompletableFuture::isDone);

    assertThat(noCallPlace.status()).as("%s", noCallPlace).isEqualTo(503);
    assertThat(noCallPlace.header("Retry-After")).contains("1");
    assertThat(noCallPlace.json().path("reason").asText()).isEqualTo("bulkhead_full");
    assertThat(noCallPlace.json().path("error").asText()).contains("max-concurrent-calls");
    assertThat(cached.status()).as("%s", cached).isEqualTo(200);
    assertThat(cached.json().path("source").asText()).isEqualTo("cache");
    assertThat(cached.json().path("reason").asText()).isEqualTo("bulkhead_full");
    assertThat(cached.json().path("retryAfterSeconds").asInt()).isEqualTo(1);
    assertThat(noWaitingPlace.status()).as("%s", noWaitingPlace).isEqualTo(503);
    assertThat(noWaitingPlace.json().path("error").asText()).contains("max-waiting-requests");
    assertThat(allStillWaiting).as("the refusals were answered while the calls they would have waited for were "
        + "still in flight").isTrue();
    assertThat(slowQuoteRequests()).as("upstream calls made: the bulkhead's two").isEqualTo(2);

    for (CompletableFuture<HttpResponse<String>> held : List.of(first, second, joiners.get(0), joiners.get(1))) {
      HttpResponse<String> r = held.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertThat(r.statusCode()).as("%s", r.body()).isEqualTo(200);
      assertThat(JSON.readTree(r.body()).path("source").asText()).isEqualTo("live");
    }
    assertThat(api.metric("market_bulkhead_waiting_current_price")).isZero();
    assertThat(api.metric("market_bulkhead_calls_current_price")).isZero();
    assertThat(api.metric("market_bulkhead_refused_current_price_total")).isEqualTo(3);
    assertThat(api.metric("market_unavailable_total{cause=\"bulkhead_full\",endpoint=\"current_price\"}"))
        .isEqualTo(2);
  }

  @Test
  void probesMetricsThePageAndEventStreamsAnswerWhileEveryUpstreamPlaceIsTaken() throws Exception {
    Map<String, String> slowButNotTimingOut = new HashMap<>();
    for (String name : DashboardConfig.BREAKER_NAMES) {
      slowButNotTimingOut.put("breaker." + name + ".request-timeout", "30s");
    }
    start(slowButNotTimingOut);
    List<String> symbols = app.simulator().orElseThrow().symbols().subList(0, 12);
    fault("*", "latency", "\"latencyMs\":8000");

    // more clients than the server has worker threads (200), quotes and whole dashboard views of twelve symbols
    int clients = 300;
    AtomicInteger answered = new AtomicInteger();
    List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      String symbol = symbols.get(i % symbols.size());
      CompletableFuture<HttpResponse<String>> r = getAsync(i % 3 == 0 ? "/api/dashboard/" + symbol
          : "/api/quote/" + symbol);
      r.whenComplete((ok, failed) -> answered.incrementAndGet());
      requests.add(r);
    }
    await(() -> {
      WorkerThreads w = WorkerThreads.now();
      return answered.get() + w.inMarket() >= clients || w.exhausted();
    }, "every request answered or waiting for the upstream, or no worker thread left");
    int liveBefore = liveAnswers(requests);

    Api.Response live = api.get("/health/live");
    Api.Response ready = api.get("/health/ready");
    Api.Response page = api.get("/");
    Api.Response breakers = api.get("/api/health/circuit-breakers");
    String metrics = api.get("/metrics").raw().body();
    RawHttp.Response events = RawHttp.send(app.port(), "GET /api/events HTTP/1.1\r\nHost: localhost\r\n"
        + "Accept: text/event-stream\r\nConnection: close\r\n\r\n");
    int liveAfter = liveAnswers(requests);

    assertThat(live.status()).isEqualTo(200);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(page.status()).isEqualTo(200);
    assertThat(breakers.status()).isEqualTo(200);
    assertThat(metrics).contains("market_bulkhead_waiting_current_price");
    assertThat(events.status()).isEqualTo(200);
    assertThat(liveBefore + liveAfter).as("no request waiting for the upstream had been answered yet: the probes "
        + "did not wait behind them").isZero();

    int waitedForTheUpstream = 0;
    for (CompletableFuture<HttpResponse<String>> r : requests) {
      HttpResponse<String> answer = r.get(PATIENCE.toSeconds() * 2, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as("%s", answer.body()).isIn(200, 503);
      if (isLive(answer)) {
        waitedForTheUpstream++;
      }
    }
    assertThat(waitedForTheUpstream).as("some requests waited for the slow upstream and got its answer").isPositive();
  }

  private static int liveAnswers(List<CompletableFuture<HttpResponse<String>>> requests) {
    int n = 0;
    for (CompletableFuture<HttpResponse<String>> r : requests) {
      if (r.isDone() && !r.isCompletedExceptionally() && isLive(r.join())) {
        n++;
      }
    }
    return n;
  }

  /** An answer that had to wait for the slow upstream: a live quote, or a view with a live part. */
  private static boolean isLive(HttpResponse<String> r) {
    return r.statusCode() == 200 && r.body().contains("\"source\":\"live\"");
  }

  private CompletableFuture<HttpResponse<String>> getAsync(String path) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create(app.url() + path)).timeout(Duration.ofSeconds(60))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private void fault(String endpoint, String mode, String extra) {
    Api.Response r = sim.post("/sim/faults", "{\"endpoint\":\"" + endpoint + "\",\"mode\":\"" + mode + "\","
        + extra + "}");
    assertThat(r.status()).as("setting fault %s %s: %s", endpoint, mode, r).isEqualTo(200);
  }

  /** Quote requests the simulator has received since the latency fault was set (each is held by it). */
  private long slowQuoteRequests() {
    JsonNode quotes = sim.get("/sim/stats").json().path("endpoints").path("quotes");
    return quotes.path("faults").asLong(0);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + PATIENCE + ": " + what);
      }
      Thread.sleep(20);
    }
  }
}
