package dev.optionchain.dashboard.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.optionchain.dashboard.model.Interval;
import dev.optionchain.dashboard.upstream.UpstreamFailureException.Kind;
import dev.optionchain.marketsim.MarketSim;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every simulator fault, observed through the client and mapped to its {@link Kind}. Faults are set with
 * {@code POST /sim/faults} and cleared after each test.
 */
class TradierClientFaultTest {

  static final Instant NOW = Instant.parse("2026-03-18T15:00:00Z");
  static final LocalDate TODAY = LocalDate.of(2026, 3, 18);
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  static final String TOKEN = "fault-token";

  private static final HttpClient CONTROL = HttpClient.newHttpClient();

  private static MarketSim sim;
  private static TradierClient client;
  private static String symbol;
  private static LocalDate expiration;

  @BeforeAll
  static void start() {
    sim = MarketSim.builder().port(0).seed(42).token(TOKEN).clock(Clock.fixed(NOW, ZoneOffset.UTC)).start();
    client = new TradierClient(URI.create(sim.baseUrl()), TOKEN, Duration.ofSeconds(2));
    symbol = sim.symbols().get(0);
    expiration = client.expirations(symbol, TIMEOUT).dates().get(0);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @AfterEach
  void clearFaults() throws Exception {
    control("DELETE", "/sim/faults", null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"quotes", "history", "expirations", "chains", "lookup"})
  void outageIsServerError503(String endpoint) throws Exception {
    setFault("{\"endpoint\":\"" + endpoint + "\",\"mode\":\"outage\"}");

    UpstreamFailureException e = failure(() -> call(endpoint));

    assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.getMessage()).contains("temporarily unavailable");
  }

  @Test
  void errorRateOfOneIsServerError500() throws Exception {
    setFault("{\"endpoint\":\"chains\",\"mode\":\"error_rate\",\"rate\":1.0}");

    UpstreamFailureException e = failure(() -> call("chains"));

    assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
    assertThat(e.status()).isEqualTo(500);
  }

  @Test
  void latencyBeyondTheRequestTimeoutIsTimeout() throws Exception {
    setFault("{\"endpoint\":\"quotes\",\"mode\":\"latency\",\"latencyMs\":2000}");

    long started = System.nanoTime();
    UpstreamFailureException e = failure(() -> client.quote(symbol, Duration.ofMillis(300)));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.status()).isZero();
    assertThat(elapsedMs).as("gave up at the timeout, not when the answer came").isLessThan(1_800);
  }

  @Test
  void rateLimitIsRateLimitedWithARetryAfter() throws Exception {
    setFault("{\"endpoint\":\"expirations\",\"mode\":\"rate_limit\",\"perMinute\":1}");

    assertThat(client.expirations(symbol, TIMEOUT).dates()).isNotEmpty();
    UpstreamFailureException e = failure(() -> call("expirations"));

    assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.retryAfter()).hasValueSatisfying(d ->
        assertThat(d).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1)));
  }

  @Test
  void authFaultIsUnauthorized() throws Exception {
    setFault("{\"endpoint\":\"history\",\"mode\":\"auth\"}");

    UpstreamFailureException e = failure(() -> call("history"));

    assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
    assertThat(e.status()).isEqualTo(401);
  }

  @ParameterizedTest
  @ValueSource(strings = {"quotes", "history", "expirations", "chains", "lookup"})
  void truncatedJsonIsMalformed(String endpoint) throws Exception {
    setFault("{\"endpoint\":\"" + endpoint + "\",\"mode\":\"malformed\"}");

    UpstreamFailureException e = failure(() -> call(endpoint));

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(e.status()).isEqualTo(200);
    assertThat(e.getMessage()).hasSizeLessThan(320);
  }

  @ParameterizedTest
  @ValueSource(strings = {"quotes", "history", "expirations", "chains", "lookup"})
  void htmlPageIsMalformed(String endpoint) throws Exception {
    setFault("{\"endpoint\":\"" + endpoint + "\",\"mode\":\"html\"}");

    UpstreamFailureException e = failure(() -> call(endpoint));

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(e.getMessage()).contains("text/html").contains("Service Temporarily Unavailable")
        .hasSizeLessThan(320);
  }

  @Test
  void emptyQuotesIsEmpty() throws Exception {
    setFault("{\"endpoint\":\"quotes\",\"mode\":\"empty\"}");

    UpstreamFailureException e = failure(() -> call("quotes"));

    assertThat(e.kind()).isEqualTo(Kind.EMPTY);
    assertThat(e.status()).isEqualTo(200);
  }

  @Test
  void emptyPayloadsAreEmptyResultsElsewhere() throws Exception {
    setFault("{\"endpoint\":\"*\",\"mode\":\"empty\"}");

    assertThat(client.chain(symbol, expiration, TIMEOUT).contracts()).isEmpty();
    assertThat(client.expirations(symbol, TIMEOUT).dates()).isEmpty();
    assertThat(client.history(symbol, Interval.DAILY, TODAY.minusDays(10), TODAY, TIMEOUT).bars()).isEmpty();
    assertThat(client.lookup(symbol, TIMEOUT)).isEmpty();
  }

  @Test
  void aFaultOnOneEndpointLeavesTheOthersHealthy() throws Exception {
    setFault("{\"endpoint\":\"chains\",\"mode\":\"outage\"}");

    assertThat(failure(() -> call("chains")).kind()).isEqualTo(Kind.SERVER_ERROR);
    assertThat(client.quote(symbol, TIMEOUT).symbol()).isEqualTo(symbol);
  }

  @Test
  void connectionRefusedIsConnection() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    TradierClient closed = new TradierClient(URI.create("http://127.0.0.1:" + port), TOKEN, Duration.ofSeconds(2));

    UpstreamFailureException e = failure(() -> closed.quote(symbol, TIMEOUT));

    assertThat(e.kind()).isEqualTo(Kind.CONNECTION);
    assertThat(e.status()).isZero();
    assertThat(e.getMessage()).contains("127.0.0.1:" + port).doesNotContain(TOKEN);
  }

  @Test
  void aRuntimeExceptionOfTheJdksHttpClientIsConnection() {
    // URI accepts any port, the JDK's socket address throws IllegalArgumentException("port out of range")
    TradierClient outOfRange = new TradierClient(URI.create("http://127.0.0.1:99999"), TOKEN, Duration.ofSeconds(2));

    UpstreamFailureException e = failure(() -> outOfRange.quote(symbol, TIMEOUT));

    assertThat(e.kind()).isEqualTo(Kind.CONNECTION);
    assertThat(e.status()).isZero();
    assertThat(e.getMessage()).contains("port out of range").doesNotContain(TOKEN);
  }

  private static void call(String endpoint) {
    switch (endpoint) {
      case "quotes" -> client.quote(symbol, TIMEOUT);
      case "history" -> client.history(symbol, Interval.DAILY, TODAY.minusDays(10), TODAY, TIMEOUT);
      case "expirations" -> client.expirations(symbol, TIMEOUT);
      case "chains" -> client.chain(symbol, expiration, TIMEOUT);
      case "lookup" -> client.lookup(symbol, TIMEOUT);
      default -> throw new IllegalArgumentException(endpoint);
    }
  }

  private static UpstreamFailureException failure(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(UpstreamFailureException.class);
    return (UpstreamFailureException) thrown;
  }

  private static void setFault(String json) throws Exception {
    control("POST", "/sim/faults", json);
  }

  private static void control(String method, String path, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json")
        .build();
    HttpResponse<String> response = CONTROL.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(200);
  }
}
