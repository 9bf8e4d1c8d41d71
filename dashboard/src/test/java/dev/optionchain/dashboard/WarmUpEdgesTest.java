package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.breaker.testing.ManualClock;
import dev.optionchain.dashboard.cache.Database;
import dev.optionchain.dashboard.config.CacheSettings;
import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.web.Json;
import io.javalin.json.JavalinJackson;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up warm-up where it meets what is not its own: a data directory shared with other things, the directories
 * of earlier runs, and the years after its answers were recorded. The warm-up itself runs for real (its recorded
 * upstream, a DuckDB file); what it writes is read back from the mapper it is given.
 */
class WarmUpEdgesTest {

  private static final Duration LIMIT = Duration.ofMinutes(5);

  @TempDir
  Path dataDir;

  @TempDir
  Path elsewhere;

  @Test
  void leavesDirectoriesNamedLikeItsOwnThatItDidNotMake() throws Exception {
    Path notes = Files.createDirectories(dataDir.resolve("warm-up-notes"));
    Files.writeString(notes.resolve("plan.txt"), "the user's");
    Path numbered = Files.createDirectories(dataDir.resolve("warm-up-2024"));
    Files.writeString(numbered.resolve("laps.csv"), "the user's");
    Files.writeString(elsewhere.resolve("keep.txt"), "the user's");
    Path link = Files.createSymbolicLink(dataDir.resolve("warm-up-link"), elsewhere);

    WarmUp.Result r = WarmUp.run(config(), TestDashboards.clock(), Json.mapper(), 5, LIMIT);

    assertThat(r.stopped()).isEmpty();
    assertThat(notes.resolve("plan.txt")).hasContent("the user's");
    assertThat(numbered.resolve("laps.csv")).hasContent("the user's");
    assertThat(link).isSymbolicLink();
    assertThat(elsewhere.resolve("keep.txt")).hasContent("the user's");
    Files.delete(link); // JUnit warns of a link out of its temporary directory
  }

  @Test
  void deletesTheDirectoryOfARunThatWasKilled() throws Exception {
    Path leftover = WarmUp.createDirectory(dataDir);
    Database.open(leftover.resolve("warm-up.duckdb")).close();

    WarmUp.Result r = WarmUp.run(config(), TestDashboards.clock(), Json.mapper(), 5, LIMIT);

    assertThat(r.stopped()).isEmpty();
    assertThat(leftover).doesNotExist();
    try (var left = Files.list(dataDir)) {
      assertThat(left).as("its own directory is deleted at the end too").isEmpty();
    }
  }

  @Test
  void warmsEveryPartOfTheDashboardViewYearsAfterTheRecording() throws Exception {
    // the recorded expirations run to January 2029: a view asked after that found none ahead, and so no chain
    ManualClock clock = new ManualClock(Instant.parse("2030-06-03T15:00:00Z"));
    Written json = new Written();

    WarmUp.Result r = WarmUp.run(config(), clock, json, 5, LIMIT);

    assertThat(r.stopped()).isEmpty();
    JsonNode view = json.document("WE"); // request 4: the dashboard view
    assertThat(view.path("expiration").isTextual()).as("an expiration ahead: %s", view.path("expiration")).isTrue();
    assertThat(LocalDate.parse(view.path("expiration").asText())).isAfterOrEqualTo(LocalDate.of(2030, 6, 3));
    for (String part : List.of("quote", "info", "expirations", "chain", "history")) {
      assertThat(view.path(part).path("status").asText()).as(part).isEqualTo("live");
    }
    assertThat(view.path("chain").path("data").path("rows").size()).isPositive();
    JsonNode chain = json.document("WC"); // request 2: an option chain
    assertThat(chain.path("source").asText()).isEqualTo("live");
    assertThat(chain.path("data").path("daysToExpiry").asLong()).as("an expiration ahead").isPositive();
  }

  @Test
  void writesItsAnswersTheWayTheApiDoes() throws Exception {
    // what the API runs for ctx.json(answer): Javalin hands it to the JsonMapper's toJsonString
    Written api = new Written();
    new JavalinJackson(api, false).toJsonString(Map.of("symbol", "AAPL"), Map.class);
    Written json = new Written();

    WarmUp.Result r = WarmUp.run(config(), TestDashboards.clock(), json, 5, LIMIT);

    assertThat(r.stopped()).isEmpty();
    assertThat(json.methods).as("Jackson's writer-based generator, not its UTF-8 one: other code to compile")
        .hasSize(5).containsOnly(api.methods.get(0));
  }

  @Test
  void eachKindRunsThroughTheServicesHttpStackAndItsRoute() throws Exception {
    // not a call of the service's methods: a GET on a listener of the same web server, handled by the same handlers
    // and route, whose ctx.json writes the answer with the API's mapper (and a non-200 would end the run)
    List<List<String>> stacks = new CopyOnWriteArrayList<>();
    RecordingMapper json = new RecordingMapper();
    List<String> threads = new CopyOnWriteArrayList<>();
    json.after = n -> {
      threads.add(Thread.currentThread().getName());
      stacks.add(Arrays.stream(Thread.currentThread().getStackTrace())
          .map(f -> f.getClassName() + "." + f.getMethodName()).collect(Collectors.toList()));
    };

    WarmUp.Result r = WarmUp.run(config(), TestDashboards.clock(), json, 10, LIMIT);

    assertThat(r.stopped()).isEmpty();
    assertThat(stacks).hasSize(10);
    assertThat(threads).as("the throwaway server's workers, never the service's dashboard-http")
        .allMatch(t -> t.startsWith("warm-up-http"));
    String[] routes = {"quote", "expirations", "chain", "history", "dashboard"};
    for (int i = 0; i < 10; i++) {
      assertThat(stacks.get(i)).as("answer %d", i).contains(
          "dev.optionchain.dashboard.web.ProbesFirst.dispatch", // handed to a worker thread, as the service's are
          "org.eclipse.jetty.ee10.servlet.ServletChannel.handle",
          "io.javalin.http.servlet.JavalinServlet.service",
          "dev.optionchain.dashboard.web.BrowserHeaders.handle",
          "io.javalin.json.JavalinJackson.toJsonString",
          "dev.optionchain.dashboard.web.MarketController." + routes[i % 5]);
    }
  }

  @Test
  void closedWhileRunningItStopsQuietlyAndLeavesNothing() throws Exception {
    // a service closed during its warm-up (a start that failed on a taken port, a restart): no failure to report
    try (LogCapture logs = LogCapture.start()) {
      int from = logs.size();
      Written json = new Written();
      WarmUp.Background run = WarmUp.start(config(), TestDashboards.clock(), json, 100_000, LIMIT);
      long deadline = System.nanoTime() + LIMIT.toNanos();
      while (json.count() < 10) {
        assertThat(System.nanoTime()).as("the run makes its requests").isLessThan(deadline);
        Thread.sleep(10);
      }

      run.close();

      assertThat(run.ended()).isTrue();
      assertThat(logs.eventsFrom(from)).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
          .extracting(e -> e.getThreadName() + " " + e.getLevel() + " " + e.getFormattedMessage()).isEmpty();
      assertThat(run.await().stopped()).hasValue("the service is closing");
      assertThat(Thread.getAllStackTraces().keySet()).filteredOn(Thread::isAlive)
          .extracting(Thread::getName).noneMatch(name -> name.startsWith("recorded-tradier"));
      try (var left = Files.list(dataDir)) {
        assertThat(left).isEmpty();
      }
    }
  }

  @Test
  void runsWhateverTheServicesTimeoutsAndSaysNothingOfItsBreakers() {
    // a service tuned for a nearby upstream: calls of 1 ms, slow from 1 ms, a breaker that opens on one failure
    Map<String, String> tight = new java.util.HashMap<>();
    for (String name : DashboardConfig.BREAKER_NAMES) {
      tight.put("breaker." + name + ".request-timeout", "2ms");
      tight.put("breaker." + name + ".slow-call-duration", "1ms");
      tight.put("breaker." + name + ".connect-timeout", "1ms");
      tight.put("breaker." + name + ".failure-threshold", "1");
    }
    try (LogCapture logs = LogCapture.start()) {
      WarmUp.Result r = WarmUp.run(TestDashboards.config(dataDir, tight), TestDashboards.clock(), Json.mapper(), 25,
          LIMIT);

      assertThat(r.stopped()).as("a cold first call takes longer than 2 ms: the run used its own timeouts").isEmpty();
      assertThat(r.requests()).isEqualTo(25);
      assertThat(logs.eventsFrom(0)).as("no line that reads like the service's breakers or upstream failing")
          .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
          .noneMatch(e -> e.getFormattedMessage().matches("(?s).*\\b(CLOSED|HALF_OPEN|OPEN) -> .*"));
    }
  }

  @Test
  void aBackgroundRunOutOfTimeSaysSoAtInfoAndAFailedOneWarns() throws Exception {
    // a slow or busy machine (a small container) runs out of time on every start: no fault, so no warning
    try (LogCapture logs = LogCapture.start()) {
      WarmUp.Result r = WarmUp.start(config(), TestDashboards.clock(), new RecordingMapper(), 100_000,
          Duration.ofMillis(100)).await();
      assertThat(r.stopped()).contains(WarmUp.timeLimitPassed(Duration.ofMillis(100)));
      assertThat(logs.eventsFrom(0)).filteredOn(e -> e.getLoggerName().equals(WarmUp.class.getName()))
          .singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(e.getFormattedMessage()).startsWith("warm-up stopped after " + r.requests()
                + " of 100000 requests in " + r.took().toMillis() + " ms: the time limit of 100 ms passed")
                .contains("fewer upstream.warm-up-requests make it ready sooner");
          });
    }
    RecordingMapper failing = new RecordingMapper();
    failing.after = n -> {
      if (n == 2) {
        throw new IllegalStateException("an answer that cannot be written");
      }
    };
    try (LogCapture logs = LogCapture.start()) {
      WarmUp.start(config(), TestDashboards.clock(), failing, 1_000, LIMIT).await();
      assertThat(logs.eventsFrom(0)).filteredOn(e -> e.getLoggerName().equals(WarmUp.class.getName()))
          .singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            // the route's ctx.json failed on the throwaway server's thread, which answered 500 as the service would
            assertThat(e.getFormattedMessage()).startsWith("warm-up stopped after 1 of 1000 requests")
                .contains("GET /api/options/" + WarmUp.symbol(1) + "/expirations answered 500")
                .contains("internal error");
          });
    }
    try (var left = Files.list(dataDir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void theThrowawayServiceKeepsTheSmallestMemoryAndWaitsLongerThanTheService() {
    // every request is for a symbol of its own: with the service's memory (32 MB per kind and tier) nothing would be
    // evicted, and a run of thousands of requests would hold tens of megabytes during the start-up
    Map<String, String> tuned = new HashMap<>(Map.of("cache.memory-limit", "64MB", "cache.memory-entries", "500"));
    for (String name : DashboardConfig.BREAKER_NAMES) {
      tuned.put("breaker." + name + ".request-timeout", "20ms");
      tuned.put("breaker." + name + ".fresh-for", "3s");
      tuned.put("breaker." + name + ".slow-call-duration", "10ms");
    }
    DashboardConfig service = TestDashboards.config(dataDir, tuned);
    DashboardConfig throwaway = WarmUp.throwaway(service);

    assertThat(throwaway.cache().memoryLimit()).isEqualTo(CacheSettings.MIN_MEMORY_LIMIT);
    assertThat(throwaway.cache().memoryEntries()).isEqualTo(500);
    assertThat(throwaway.breakers().keySet()).containsExactlyElementsOf(DashboardConfig.BREAKER_NAMES);
    throwaway.breakers().forEach((name, b) -> {
      assertThat(b.requestTimeout()).as(name).isEqualTo(WarmUp.CALL_TIMEOUT);
      assertThat(b.connectTimeout()).as(name).isGreaterThanOrEqualTo(WarmUp.CALL_TIMEOUT);
      assertThat(b.slowCallDuration()).as(name).isEmpty();
      assertThat(b.freshFor()).as("%s: the service's fresh-for, so the same paths run", name)
          .isEqualTo(service.breakers().get(name).freshFor());
    });
    assertThat(throwaway.dataDir()).isEqualTo(service.dataDir());
  }

  @Test
  void anErrorInTheBackgroundIsLoggedAndEndsTheRun() throws Exception {
    // run contains every exception in its result; an Error (a bug, out of memory, a class that fails to load) passes
    // through it, and the service only asks whether the run has ended: the log is where an operator sees it
    // (the clock, asked by the run's own thread for the day of each request, after a few requests, when its servers
    // and its database are running: an Error in the server's handling of a request is the server's, and ends the
    // run as a 500 would)
    ManualClock clock = TestDashboards.clock();
    AtomicInteger asked = new AtomicInteger();
    BreakerClock failing = new BreakerClock() {
      @Override
      public long nanoTime() {
        return clock.nanoTime();
      }

      @Override
      public Instant now() {
        if (Thread.currentThread().getName().equals("warm-up") && asked.incrementAndGet() > 5) {
          throw new AssertionError("the warm-up's bug");
        }
        return clock.now();
      }
    };
    try (LogCapture logs = LogCapture.start()) {
      WarmUp.Background b = WarmUp.start(config(), failing, new RecordingMapper(), 1_000, LIMIT);
      WarmUp.Result r = b.await();
      assertThat(b.ended()).isTrue();
      assertThat(r.stopped()).hasValueSatisfying(s -> assertThat(s).contains("the warm-up's bug"));
      assertThat(asked.get()).as("it failed in the middle of the run").isGreaterThanOrEqualTo(6);
      List<ILoggingEvent> events = logs.eventsFrom(0);
      List<String> lines = logs.linesFrom(0);
      List<String> errors = IntStream.range(0, events.size())
          .filter(i -> events.get(i).getLevel().isGreaterOrEqual(Level.ERROR)).mapToObj(lines::get)
          .collect(Collectors.toList());
      assertThat(errors).as("an operator must see that the warm-up failed, and where").singleElement()
          .satisfies(line -> assertThat(line).contains("warm-up").contains("the warm-up's bug")
              .contains("WarmUpEdgesTest"));
    }
    try (var left = Files.list(dataDir)) {
      assertThat(left).isEmpty();
    }
  }

  private DashboardConfig config() {
    return TestDashboards.config(dataDir, Map.of());
  }

  /** The API's mapper, keeping what it writes: the method used ({@code string} or {@code bytes}) and the text. */
  static final class Written extends ObjectMapper {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper READER = new ObjectMapper();

    final List<String> methods = new ArrayList<>();
    final List<String> texts = new ArrayList<>();

    Written() {
      super(Json.mapper());
    }

    @Override
    public synchronized String writeValueAsString(Object value) throws JsonProcessingException {
      String text = super.writeValueAsString(value);
      methods.add("string");
      texts.add(text);
      return text;
    }

    @Override
    public synchronized byte[] writeValueAsBytes(Object value) throws JsonProcessingException {
      byte[] bytes = super.writeValueAsBytes(value);
      methods.add("bytes");
      texts.add(new String(bytes, StandardCharsets.UTF_8));
      return bytes;
    }

    synchronized int count() {
      return texts.size();
    }

    /** The document written for {@code symbol}: a view names it at the top, any other answer in its data. */
    synchronized JsonNode document(String symbol) throws JsonProcessingException {
      for (String text : texts) {
        JsonNode doc = READER.readTree(text);
        if (symbol.equals(doc.path("symbol").asText()) || symbol.equals(doc.path("data").path("symbol").asText())
            || symbol.equals(doc.path("data").path("underlying").asText())) {
          return doc;
        }
      }
      throw new AssertionError("nothing written for " + symbol + " in " + texts.size() + " documents");
    }
  }
}
