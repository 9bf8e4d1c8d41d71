package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each malformed request the abuse pass of issue 11 found answered with a 500, a stack trace or Jetty's HTML page:
 * now a 4xx with the API's JSON error body, at most one WARN line and no stack trace in the log.
 */
class MalformedRequestsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dataDir;

  private static DashboardApp app;
  private static LogCapture log;

  @BeforeAll
  static void start() {
    log = LogCapture.start();
    app = TestDashboards.start(dataDir, TestDashboards.clock(), Map.of());
  }

  @AfterAll
  static void stop() {
    app.close();
    log.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"%u0041", "%ZZ", "%", "A%2", "%E9", "%00", "%C0%AF", "%0D%0AX:1"})
  void badPercentEscapesInAPathParameterAre400InJson(String symbol) throws IOException {
    for (String route : List.of("/api/quote/", "/api/info/", "/api/history/", "/api/options/",
        "/api/dashboard/")) {
      assertJsonError(get(route + symbol), 400);
    }
    assertJsonError(get("/api/options/" + symbol + "/expirations"), 400);
  }

  @Test
  void datesOutsideTheDocumentedRangeAre400NeverAnOverflow() throws IOException {
    assertThat(assertJsonError(get("/api/history/AAPL?end=-999999999-01-01"), 400)).contains("end");
    assertJsonError(get("/api/history/AAPL?start=%2B999999999-12-30&end=%2B999999999-12-31"), 400);
    assertThat(assertJsonError(get("/api/history/AAPL?start=1899-12-31"), 400)).contains("1900-01-01");
    assertThat(assertJsonError(get("/api/history/AAPL?end=2200-01-01"), 400)).contains("2199-12-31");
    assertJsonError(get("/api/options/AAPL?expiration=%2B10000-01-01"), 400);
    assertThat(get("/api/history/AAPL?start=1900-01-01&end=1900-12-31").status()).isNotEqualTo(500);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "|", "\"", "^", "<", ">", "\\", "`", "}", "%7B"})
  void theSimulatorRelayTakesAnyQueryString(String value) throws IOException {
    RawHttp.Response r = get("/api/sim/faults?x=" + value);
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.bodyText()).startsWith("[");
  }

  @Test
  void theSimulatorsErrorsComeBackAsTheApisErrorBody() throws IOException {
    RawHttp.Response r = RawHttp.send(app.port(), "POST /api/sim/faults HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Type: application/json\r\nContent-Length: 1\r\nConnection: close\r\n\r\n{");
    assertThat(assertJsonError(r, 400)).startsWith("simulator: ");
  }

  @Test
  void whatJettyRefusesBeforeRoutingIsJsonToo() throws IOException {
    assertJsonError(get("/api/quote/AAPL?x=" + "a".repeat(20_000)), 414);
    assertJsonError(RawHttp.send(app.port(), "GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Big: "
        + "a".repeat(20_000) + "\r\n\r\n"), 431);
    StringBuilder many = new StringBuilder("GET /health/live HTTP/1.1\r\nHost: localhost\r\n");
    for (int i = 0; i < 150; i++) {
      many.append("X-H").append(i).append(": v\r\n");
    }
    assertThat(assertJsonError(RawHttp.send(app.port(), many + "\r\n"), 431)).contains("100");
    assertJsonError(RawHttp.send(app.port(), "GET /api/quote/\u00c3\u00a9 HTTP/1.1\r\nHost: localhost\r\n\r\n"), 400);
    assertJsonError(RawHttp.send(app.port(), "GET /health/live HTTP/1.1\r\nHost: localhost\r\nX: a\u0000b\r\n\r\n"),
        400);
    assertJsonError(RawHttp.send(app.port(), "GET /health/live HTTP/1.1\r\n\r\n"), 400);
    assertJsonError(RawHttp.send(app.port(), "GARBAGE\r\n\r\n"), 400);
    assertThat(assertJsonError(RawHttp.send(app.port(), "GET /health/live HTTP/9.9\r\nHost: localhost\r\n\r\n"),
        400)).contains("HTTP/1.1");
  }

  @Test
  void everyQueryParameterIsCheckedAndABadValueIsEchoedAtMost40Characters() throws IOException {
    String huge = "9".repeat(5000);
    String message = assertJsonError(get("/api/health/transitions?limit=" + huge), 400);
    assertThat(message).contains("limit").hasSizeLessThan(120);
    assertThat(assertJsonError(get("/api/health/sla?window=" + "x".repeat(5000)), 400)).hasSizeLessThan(120);
    assertThat(assertJsonError(get("/api/quote/AAPL?expiry=2030-01-18"), 400)).contains("unknown query parameter");
    assertThat(assertJsonError(get("/api/health/transitions?limit=1&limit=2"), 400)).contains("once");
    assertThat(assertJsonError(get("/api/history/AAPL?interval=" + "h".repeat(500)), 400)).hasSizeLessThan(120);
    assertThat(assertJsonError(get("/api/nothing/" + "n".repeat(3000)), 404)).hasSizeLessThan(120);
  }

  @Test
  void aBodyThatCannotBeReadIsTheClientsError() throws IOException {
    RawHttp.Response r = RawHttp.send(app.port(), "POST /api/sim/faults HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\n");
    assertJsonError(r, 400);
  }

  @Test
  void aBodyOverOneMegabyteIs413() throws IOException {
    String body = "{\"x\":\"" + "a".repeat(1_100_000) + "\"}";
    RawHttp.Response r = RawHttp.send(app.port(), "POST /api/sim/faults HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
    assertJsonError(r, 413);
  }

  @Test
  void headAnswersWhatGetWouldWithoutTheBody() throws IOException {
    RawHttp.Response head = RawHttp.send(app.port(), "HEAD /api/quote/NOPEQ HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assertThat(head.status()).isEqualTo(404);
    assertThat(head.header("Content-Type")).startsWith("application/json");
    RawHttp.Response events = RawHttp.send(app.port(), "HEAD /api/events HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assertThat(events.status()).isEqualTo(406);
  }

  @Test
  void inventedMethodsAndMethodOverridesAddNoSeriesToTheMetrics() throws IOException {
    for (int i = 0; i < 20; i++) {
      RawHttp.Response invented = RawHttp.send(app.port(), "INVENTED" + i + " /api/quote/AAPL HTTP/1.1\r\n"
          + "Host: localhost\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n");
      assertThat(invented.status()).as("%s", invented).isBetween(400, 499);
      assertJsonError(RawHttp.send(app.port(), "GET /api/quote/AAPL HTTP/1.1\r\nHost: localhost\r\n"
          + "X-HTTP-Method-Override: OVERRIDE" + i + "\r\nConnection: close\r\n\r\n"), 400);
    }
    String huge = "M".repeat(3000);
    assertThat(assertJsonError(RawHttp.send(app.port(), huge + " /api/nothing HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Type: application/json\r\nConnection: close\r\n\r\n"), 404)).hasSizeLessThan(120);
    String metrics = get("/metrics").bodyText();
    assertThat(metrics).doesNotContain("INVENTED").doesNotContain("OVERRIDE").doesNotContain("MMMMMMMM");
    assertThat(metrics.lines().filter(l -> l.startsWith("http_server_requests_seconds_count{"))
        .map(l -> l.replaceAll(".*method=\"([^\"]*)\".*", "$1")).distinct())
        .as("each distinct method is a new series: only the standard ones are named")
        .isSubsetOf("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "OTHER");
  }

  @Test
  void aMethodOverrideHeaderCannotTurnAReadIntoAStateChange() throws IOException {
    String fault = "{\"endpoint\":\"lookup\",\"mode\":\"outage\",\"durationSeconds\":60}";
    RawHttp.Response set = RawHttp.send(app.port(), "POST /api/sim/faults HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + fault.length() + "\r\nConnection: close\r\n\r\n"
        + fault);
    assertThat(set.status()).as("%s", set).isEqualTo(200);
    try {
      RawHttp.Response overridden = RawHttp.send(app.port(), "GET /api/sim/faults HTTP/1.1\r\nHost: localhost\r\n"
          + "X-HTTP-Method-Override: DELETE\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n");
      assertThat(assertJsonError(overridden, 400)).contains("X-HTTP-Method-Override");
      assertThat(get("/api/sim/faults").bodyText()).as("the fault is still set").contains("lookup");
    } finally {
      RawHttp.send(app.port(), "DELETE /api/sim/faults HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Type: application/json\r\nConnection: close\r\n\r\n");
    }
  }

  @Test
  void theEventStreamWithoutItsAcceptHeaderIs406InJson() throws IOException {
    assertThat(assertJsonError(get("/api/events"), 406)).contains("text/event-stream");
  }

  @Test
  void noneOfThisLogsAStackTraceOrAnError() throws IOException {
    int from = log.size();
    get("/api/quote/%u0041");
    get("/api/history/AAPL?end=-999999999-01-01");
    get("/api/sim/faults?x={");
    RawHttp.send(app.port(), "POST /api/sim/faults HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\n");
    assertThat(log.countFrom(from, Level.ERROR)).as("%s", log.linesFrom(from)).isZero();
    assertThat(log.eventsFrom(from)).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
    assertThat(log.countFrom(from, Level.WARN)).as("%s", log.linesFrom(from)).isLessThanOrEqualTo(4);
  }

  private static RawHttp.Response get(String target) throws IOException {
    return RawHttp.send(app.port(), "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  }

  /** Asserts the answer is {@code status} with the API's JSON error body, and returns its message. */
  private static String assertJsonError(RawHttp.Response r, int status) throws IOException {
    assertThat(r.status()).as("%s", r).isEqualTo(status);
    assertThat(r.header("Content-Type")).as("%s", r).startsWith("application/json");
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("status").asInt()).as("%s", r).isEqualTo(status);
    assertThat(body.path("error").asText()).as("%s", r).isNotBlank();
    return body.path("error").asText();
  }
}
