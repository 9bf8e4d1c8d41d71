package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import dev.optionchain.breaker.testing.ManualClock;
import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.marketsim.MarketSim;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up warm-up in the running service, over real HTTP against the simulator and a real DuckDB file: the
 * service is ready only once the warm-up has ended (503 with {@code "warmUp":"RUNNING"} before, on the probes' fast
 * path and on the route alike), the warm-up calls no upstream (the embedded simulator, or one configured as the
 * upstream and running before the service starts, counts no request) and leaves nothing of its own in the service:
 * no breaker call or transition, no metric, the upstream budget whole, no SLA traffic, no cached row, nothing in
 * memory (a symbol it warmed is still unknown to the service). The leftovers of a killed start are deleted; closing
 * the service, or a start that fails, while it warms stops it and leaves no directory or thread. Nothing is timed but
 * generous bounds on waiting.
 */
class WarmUpIntegrationTest {

  static final String READY = "{\"status\":\"UP\",\"database\":\"UP\",\"server\":\"UP\",\"warmUp\":\"DONE\"}";
  static final String WARMING = "{\"status\":\"DOWN\",\"database\":\"UP\",\"server\":\"UP\",\"warmUp\":\"RUNNING\"}";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir
  Path dataDir;

  private final ManualClock clock = TestDashboards.clock();

  @AfterEach
  void nothingOfAWarmUpIsLeft() throws Exception {
    assertThat(WarmUpThreads.awaitNone()).as("threads of a warm-up after the test").isEmpty();
    assertThat(warmUpDirectories()).as("warm-up directories after the test").isEmpty();
  }

  @Test
  void theServiceIsReadyOnceTheWarmUpHasEndedAndTheWarmUpTouchedNothingOfTheService() throws Exception {
    try (LogCapture logs = LogCapture.start();
        DashboardApp app = TestDashboards.start(dataDir, clock, Map.of("upstream.warm-up-requests", "60"))) {
      Api api = new Api(app.url());
      awaitReady(api);
      assertThat(logs.text()).as("ready only once the warm-up has ended (it logs before it ends)")
          .contains("warmed up: 60 requests");
      assertThat(warmUpDirectories()).as("its temporary directory is gone once it has ended").isEmpty();

      JsonNode endpoints = api.get("/api/sim/stats").json().path("endpoints");
      assertThat(endpoints.size()).isPositive();
      endpoints.fields().forEachRemaining(e -> assertThat(e.getValue().path("requests").asLong(-1))
          .as("upstream requests to %s", e.getKey()).isZero());

      String metrics = api.get("/metrics").raw().body();
      assertThat(series(metrics, "http_server_requests")).as("the warm-up's requests went to a server of its own")
          .noneMatch(line -> line.matches(".*uri=\"/api/(quote|options|history|dashboard)/.*"));
      assertThat(series(metrics, "upstream_requests")).as("no upstream call timed").isEmpty();
      assertThat(series(metrics, "market_")).as("the market data service's counters and gauges").isNotEmpty()
          .allSatisfy(line -> assertThat(value(line)).as(line).isZero());
      assertThat(series(metrics, "circuitbreaker_calls_total")).hasSize(20)
          .allSatisfy(line -> assertThat(value(line)).as(line).isZero());
      assertThat(series(metrics, "circuitbreaker_transitions_total")).isNotEmpty()
          .allSatisfy(line -> assertThat(value(line)).as(line).isZero());
      assertThat(series(metrics, "cache_writes_total")).singleElement()
          .satisfies(line -> assertThat(value(line)).isZero());
      assertThat(api.metric("upstream_budget_available")).as("the budget is whole")
          .isEqualTo(app.config().rateLimitPerMinute());

      JsonNode health = api.get("/api/health/circuit-breakers").json();
      assertThat(health.path("breakers").size()).isEqualTo(5);
      for (String name : DashboardConfig.BREAKER_NAMES) {
        JsonNode b = health.path("breakers").path(name);
        assertThat(b.path("state").asText()).as(name).isEqualTo("CLOSED");
        for (String count : new String[] {"failureCount", "successfulCalls", "failedCalls", "rejectedCalls",
            "ignoredCalls", "slowCalls"}) {
          assertThat(b.path(count).asLong(-1)).as("%s %s", name, count).isZero();
        }
      }
      assertThat(api.get("/api/health/transitions").json().path("transitions").size()).isZero();
      JsonNode sla = api.get("/api/health/sla?window=1h").json().path("breakers");
      for (String name : DashboardConfig.BREAKER_NAMES) {
        assertThat(sla.path(name).path("requests").asLong(-1)).as("SLA requests of %s", name).isZero();
        assertThat(sla.path(name).path("trips").asLong(-1)).as("SLA trips of %s", name).isZero();
      }
      for (String table : new String[] {"quotes", "ticker_info", "price_history", "expirations", "option_quotes"}) {
        assertThat(app.cache().rowCount(table)).as("rows in the service's %s", table).isZero();
      }

      Api.Response quote = api.get("/api/quote/AAPL");
      assertThat(quote.status()).as("%s", quote).isEqualTo(200);
      assertThat(quote.json().path("source").asText()).isEqualTo("live");
      assertThat(quote.json().path("asOf").asText()).isEqualTo(clock.now().toString());
      assertThat(quote.json().path("data").path("symbol").asText()).isEqualTo("AAPL");
      assertThat(upstreamRequests(api, "quotes")).as("the first real request is the first upstream call")
          .isEqualTo(1);
      assertThat(app.simulator().orElseThrow().symbols()).doesNotContain(WarmUp.symbol(0));
      Api.Response warmed = api.get("/api/quote/" + WarmUp.symbol(0));
      assertThat(warmed.status()).as("a symbol the warm-up asked for is news to the service: %s", warmed)
          .isEqualTo(404);
      assertThat(upstreamRequests(api, "quotes")).as("asked the upstream, not the warm-up's memory").isEqualTo(2);
    }
  }

  @Test
  void aConfiguredUpstreamRunningBeforeTheServiceIsNeverCalledByTheWarmUp() {
    try (MarketSim upstream = MarketSim.builder().port(0).seed(42).token("t0ken").clock(DashboardApp.wallClock(clock))
        .start();
        DashboardApp app = TestDashboards.start(dataDir, clock, Map.of("upstream.warm-up-requests", "60",
            "upstream.base-url", upstream.baseUrl(), "upstream.token", "t0ken"))) {
      assertThat(app.simulator()).isEmpty();
      Api api = new Api(app.url());
      awaitReady(api);
      Api sim = new Api(upstream.baseUrl());
      JsonNode endpoints = sim.get("/sim/stats").json().path("endpoints");
      assertThat(endpoints.size()).isPositive();
      endpoints.fields().forEachRemaining(e -> assertThat(e.getValue().path("requests").asLong(-1))
          .as("upstream requests to %s", e.getKey()).isZero());
      assertThat(api.get("/api/quote/MSFT").status()).isEqualTo(200);
      assertThat(sim.get("/sim/stats").json().path("endpoints").path("quotes").path("requests").asLong())
          .isEqualTo(1);
    }
  }

  @Test
  void theWarmUpWritesEachKindAsTheApiWritesIt() {
    // the warm-up is worth what it runs: the serializers of the API's answers, field for field (a field the API
    // adds and the warm-up's answer lacks would be left cold)
    try (DashboardApp app = TestDashboards.start(dataDir, clock, Map.of())) {
      Api api = new Api(app.url());
      LocalDate today = LocalDate.ofInstant(clock.now(), ZoneOffset.UTC);
      String expiration = api.get("/api/options/AAPL/expirations").json().path("data").path("dates").get(0).asText();
      List<Api.Response> answers = List.of(api.get("/api/quote/AAPL"), api.get("/api/options/AAPL/expirations"),
          api.get("/api/options/AAPL?expiration=" + expiration),
          api.get("/api/history/AAPL?interval=daily&start=" + today.minusYears(1) + "&end=" + today),
          api.get("/api/dashboard/AAPL"));
      RecordingMapper json = new RecordingMapper();
      WarmUp.Result r = WarmUp.run(TestDashboards.config(dataDir.resolve("elsewhere"), Map.of()), clock, json, 5,
          Duration.ofMinutes(1));
      assertThat(r.stopped()).isEmpty();
      for (int i = 0; i < 5; i++) {
        assertThat(answers.get(i).status()).as("%s", answers.get(i)).isEqualTo(200);
        assertSameFields("kind " + i, answers.get(i).json(), json.answers.get(i));
      }
    }
  }

  @Test
  void theDirectoryOfAKilledStartIsDeletedByTheNext() throws IOException {
    Path killed = Files.createDirectories(dataDir.resolve("warm-up-999"));
    Files.writeString(killed.resolve("warm-up.duckdb"), "what a killed start left");
    Files.writeString(killed.resolve(WarmUp.MARKER), "a run's own"); // the first thing a run writes
    Files.writeString(dataDir.resolve("warm-up-notes.txt"), "not a directory: kept");
    try (DashboardApp app = TestDashboards.start(dataDir, clock, Map.of("upstream.warm-up-requests", "5"))) {
      awaitReady(new Api(app.url()));
      assertThat(killed).doesNotExist();
      assertThat(dataDir.resolve("warm-up-notes.txt")).hasContent("not a directory: kept");
      assertThat(dataDir.resolve(DashboardApp.DATABASE_FILE)).exists();
    }
  }

  @Test
  void theWarmUpsServerRepeatsNoneOfTheServicesStartWarnings() throws IOException {
    // a short admin token is warned about at start: once, by the service's server, not again by the warm-up's copy
    try (LogCapture logs = LogCapture.start();
        DashboardApp app = TestDashboards.start(dataDir, clock, Map.of("upstream.warm-up-requests", "5",
            "admin.token", "abcde"))) {
      awaitReady(new Api(app.url()));
      assertThat(logs.eventsFrom(0)).filteredOn(e -> e.getFormattedMessage().startsWith("admin.token is only"))
          .singleElement().satisfies(e -> assertThat(e.getThreadName()).isNotEqualTo("warm-up"));
    }
  }

  @Test
  void closingTheServiceWhileItWarmsStopsTheWarmUpAndLeavesNothing() {
    LogCapture logs = LogCapture.start();
    DashboardApp app = TestDashboards.start(dataDir, clock, Map.of("upstream.warm-up-requests", "100000"));
    try {
      Api api = new Api(app.url());
      // 100000 requests take longer than the warm-up's 10 s limit: it is very likely still running here, but
      // nothing below depends on it
      RawHttp.Response probe = probe(app.port());
      Api.Response route = api.get("/health/ready?route=1");
      if (probe.bodyText().contains("RUNNING")) {
        assertThat(probe.status()).isEqualTo(503);
        assertThat(probe.bodyText()).isEqualTo(WARMING);
      }
      if (route.raw().body().contains("RUNNING")) {
        assertThat(route.status()).isEqualTo(503);
        assertThat(route.raw().body()).as("the route writes what the probe's fast path writes").isEqualTo(WARMING);
      }
      assertThat(api.get("/api/quote/AAPL").status()).as("requests are served while it warms").isEqualTo(200);
    } finally {
      try {
        assertTimeoutPreemptively(Duration.ofSeconds(30), app::close);
      } finally {
        logs.close();
      }
    }
    assertTheWarmUpStoppedQuietly(logs);
  }

  @Test
  void aStartThatFailsWhileItWarmsStopsTheWarmUpAndLeavesNothing() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        LogCapture logs = LogCapture.start()) {
      assertThatThrownBy(() -> TestDashboards.start(dataDir, clock, Map.of("upstream.warm-up-requests", "100000",
          "server.host", "127.0.0.1", "server.port", Integer.toString(taken.getLocalPort()))))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot listen");
      assertTheWarmUpStoppedQuietly(logs);
    }
  }

  /**
   * Nothing at WARN or above on the warm-up's threads: its own line says at INFO that it was closed (or ran out of
   * time), and nothing of its requests or of what it started warns beside the real cause of a stop.
   */
  private static void assertTheWarmUpStoppedQuietly(LogCapture logs) {
    assertThat(logs.eventsFrom(0).stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .filter(e -> e.getThreadName().equals("warm-up") || e.getThreadName().startsWith("recorded-tradier"))
        .map(e -> e.getThreadName() + " " + e.getLevel() + " " + e.getFormattedMessage())).isEmpty();
    assertThat(logs.eventsFrom(0)).filteredOn(e -> e.getLoggerName().equals(WarmUp.class.getName()))
        .singleElement().satisfies(e -> {
          assertThat(e.getLevel()).isEqualTo(Level.INFO);
          assertThat(e.getFormattedMessage()).matches("warm-up stopped after \\d+ of 100000 requests in \\d+ ms: "
              + "(" + WarmUp.CLOSING + "|" + WarmUp.timeLimitPassed(DashboardApp.WARM_UP_LIMIT) + " .*)");
        });
  }

  /** Fails unless {@code warmUp} has {@code api}'s fields, in order, at every level where both have an object. */
  private static void assertSameFields(String where, JsonNode api, JsonNode warmUp) {
    if (api.isObject() && warmUp.isObject()) {
      List<String> apiFields = new ArrayList<>();
      api.fieldNames().forEachRemaining(apiFields::add);
      List<String> warmUpFields = new ArrayList<>();
      warmUp.fieldNames().forEachRemaining(warmUpFields::add);
      assertThat(warmUpFields).as("the fields of %s", where).isEqualTo(apiFields);
      for (String f : apiFields) {
        assertSameFields(where + "." + f, api.get(f), warmUp.get(f));
      }
    } else if (api.isArray() && warmUp.isArray() && api.size() > 0 && warmUp.size() > 0) {
      assertSameFields(where + "[0]", api.get(0), warmUp.get(0));
    }
  }

  /**
   * Polls {@code /health/ready} until it answers 200; until then every answer, of the probes' fast path and of the
   * route, must be 503 with the warming body (the database is open from the start).
   */
  static void awaitReady(Api api) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      Api.Response probe = api.get("/health/ready");
      if (probe.status() == 200) {
        assertThat(probe.raw().body()).isEqualTo(READY);
        Api.Response route = api.get("/health/ready?route=1");
        assertThat(route.status()).isEqualTo(200);
        assertThat(route.raw().body()).as("the route writes what the probe's fast path writes").isEqualTo(READY);
        return;
      }
      assertThat(probe.status()).as("%s", probe).isEqualTo(503);
      assertThat(probe.raw().body()).isEqualTo(WARMING);
      Api.Response route = api.get("/health/ready?route=1");
      assertThat(route.raw().body()).as("%s", route).isIn(WARMING, READY);
      assertThat(route.status()).as("%s", route).isEqualTo(route.raw().body().equals(READY) ? 200 : 503);
      assertThat(System.nanoTime()).as("ready within %s", PATIENCE).isLessThan(deadline);
      sleep(20);
    }
  }

  private static RawHttp.Response probe(int port) {
    try {
      return RawHttp.exchange(port, "GET /health/ready HTTP/1.1\r\nHost: localhost\r\n\r\n"
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII), false, (int) PATIENCE.toMillis());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long upstreamRequests(Api api, String endpoint) {
    return api.get("/api/sim/stats").json().path("endpoints").path(endpoint).path("requests").asLong();
  }

  /** The lines of the Prometheus text whose name starts with {@code prefix}, comments left out. */
  private static List<String> series(String metrics, String prefix) {
    return metrics.lines().filter(l -> l.startsWith(prefix)).collect(Collectors.toList());
  }

  private static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  private List<Path> warmUpDirectories() throws IOException {
    if (!Files.isDirectory(dataDir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dataDir)) {
      return entries.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith(WarmUp.DIRECTORY_PREFIX))
          .collect(Collectors.toList());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
