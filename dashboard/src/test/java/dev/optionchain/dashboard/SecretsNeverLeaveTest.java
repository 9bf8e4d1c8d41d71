package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.optionchain.breaker.testing.ManualClock;
import dev.optionchain.marketsim.MarketSim;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plants a secret in every configurable URL and token (the upstream's base URL with user and password, the upstream
 * token, the admin token, two alert webhooks with a password, a Slack-style token in the path and a token in the
 * query), drives three services through everything that can go wrong (a healthy upstream that then fails, trips and
 * alerts; an upstream that echoes the request's credentials in its error pages; an upstream that cannot be reached)
 * and greps every answer, the event stream, the metrics and the whole log for each secret.
 */
class SecretsNeverLeaveTest {

  private static final String USER = "ocd-operator";
  private static final String PASSWORD = "Pa55w0rd-in-the-base-url";
  private static final String UPSTREAM_TOKEN = "upstream-token-7f3a9c1e";
  private static final String ADMIN_TOKEN = "admin-token-2b8e4d6a0c1f";
  private static final String HOOK_PASSWORD = "hook-pass-5c1e9d";
  private static final String SLACK_TOKEN = "XoXbSlackSecret0123456789";
  private static final String QUERY_TOKEN = "query-secret-77aa99bb";
  private static final List<String> SECRETS =
      List.of(PASSWORD, UPSTREAM_TOKEN, ADMIN_TOKEN, HOOK_PASSWORD, SLACK_TOKEN, QUERY_TOKEN, USER + ":");

  @TempDir
  Path dataDir;

  private final List<String> answers = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private LogCapture log;
  private HttpServer hooks;
  private int deadPort;
  private final AtomicInteger alertsReceived = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    log = LogCapture.start();
    hooks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hooks.createContext("/", exchange -> {
      alertsReceived.incrementAndGet();
      answer(exchange, 200, "ok");
    });
    hooks.start();
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort(); // closed again: connections to it are refused
    }
  }

  @AfterEach
  void stop() {
    hooks.stop(0);
    log.close();
  }

  @Test
  void noSecretReachesAnAnswerAnEventAMetricOrTheLog() throws Exception {
    String webhooks = "http://hook-user:" + HOOK_PASSWORD + "@127.0.0.1:" + hooks.getAddress().getPort()
        + "/services/T0123ABC/B0456DEF/" + SLACK_TOKEN + ",http://127.0.0.1:" + deadPort + "/alert?token="
        + QUERY_TOKEN;

    // 1. a healthy upstream that wants the token; then it fails: the breakers trip and alerts go out
    try (MarketSim sim = MarketSim.builder().token(UPSTREAM_TOKEN).start()) {
      ManualClock clock = TestDashboards.clock();
      try (DashboardApp app = TestDashboards.start(dataDir.resolve("a"), clock, settings(withUserInfo(sim.baseUrl()),
          webhooks))) {
        Api api = new Api(app.url());
        String expiration = api.get("/api/options/AAPL/expirations").json().path("data").path("dates").get(0)
            .asText();
        assertThat(api.get("/api/quote/AAPL").json().path("source").asText()).isEqualTo("live");
        try (EventStream events = new EventStream(app.url())) {
          collectEverything(app, expiration);
          Api control = new Api(sim.baseUrl());
          for (String mode : List.of("auth", "html", "malformed", "outage")) {
            assertThat(control.post("/sim/faults", "{\"endpoint\":\"*\",\"mode\":\"" + mode + "\"}").status())
                .isEqualTo(200);
            for (int i = 0; i < 5; i++) {
              collectEverything(app, expiration);
            }
            clock.advance(Duration.ofMinutes(2));
          }
          control.delete("/sim/faults");
          clock.advance(Duration.ofMinutes(2));
          collectEverything(app, expiration);
          answers.add(events.received());
        }
      }
    }

    // 2. an upstream that quotes the request's credentials back in its error pages
    HttpServer echo = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    echo.createContext("/", exchange -> {
      String said = "you sent Authorization: " + exchange.getRequestHeaders().getFirst("Authorization");
      String path = exchange.getRequestURI().getPath();
      int status = path.contains("quotes") ? 404 : path.contains("history") ? 500 : 200;
      answer(exchange, status, "<html><body>" + said + "</body></html>");
    });
    echo.start();
    try (DashboardApp app = TestDashboards.start(dataDir.resolve("b"), TestDashboards.clock(),
        settings(withUserInfo("http://127.0.0.1:" + echo.getAddress().getPort()), webhooks))) {
      collectEverything(app, "2030-01-18");
    } finally {
      echo.stop(0);
    }

    // 3. an upstream that cannot be reached
    try (DashboardApp app = TestDashboards.start(dataDir.resolve("c"), TestDashboards.clock(),
        settings(withUserInfo("http://127.0.0.1:" + deadPort), webhooks))) {
      collectEverything(app, "2030-01-18");
    }

    assertThat(alertsReceived.get()).as("alerts reached the Slack-style webhook").isPositive();
    String allAnswers = String.join("\n", answers);
    String logText = log.text();
    assertThat(allAnswers).as("the answers were collected").contains("\"status\":502").contains("\"source\"");
    assertThat(logText).as("the log was captured").contains("dashboard started").contains("upstream");
    for (String secret : SECRETS) {
      assertThat(linesWith(allAnswers, secret)).as("answers containing %s", secret).isEmpty();
      assertThat(linesWith(logText, secret)).as("log lines containing %s", secret).isEmpty();
    }
    assertThat(logText).as("the upstream is named, without its user-info").contains("http://127.0.0.1:" + deadPort);
  }

  private Map<String, String> settings(String baseUrl, String webhooks) {
    Map<String, String> m = new HashMap<>();
    m.put("upstream.base-url", baseUrl);
    m.put("upstream.token", UPSTREAM_TOKEN);
    m.put("admin.token", ADMIN_TOKEN);
    m.put("alerts.webhooks", webhooks);
    m.put("alerts.backoff", "10ms");
    m.put("breaker.current_price.request-timeout", "1s");
    m.put("breaker.price_history.request-timeout", "1s");
    m.put("breaker.options_chain.request-timeout", "1s");
    m.put("breaker.ticker_info.request-timeout", "1s");
    m.put("breaker.expirations.request-timeout", "1s");
    return m;
  }

  /** The lines of {@code text} that contain {@code secret}, each cut to 300 characters around it. */
  private static List<String> linesWith(String text, String secret) {
    List<String> found = new ArrayList<>();
    for (String line : text.split("\n")) {
      int at = line.indexOf(secret);
      if (at >= 0) {
        found.add(line.substring(Math.max(0, at - 150), Math.min(line.length(), at + 150)));
      }
    }
    return found;
  }

  private static String withUserInfo(String baseUrl) {
    return baseUrl.replace("://", "://" + USER + ":" + PASSWORD + "@");
  }

  /** Every route of the service, as a user and as an administrator; every answer kept with its headers. */
  private void collectEverything(DashboardApp app, String expiration) {
    Api api = new Api(app.url());
    for (String path : List.of("/api/quote/AAPL", "/api/info/AAPL", "/api/history/AAPL",
        "/api/options/AAPL/expirations", "/api/options/AAPL?expiration=" + expiration, "/api/dashboard/AAPL",
        "/api/health/circuit-breakers", "/api/health/transitions", "/api/health/sla", "/metrics", "/health/live",
        "/health/ready", "/api/nothing")) {
      keep(api.get(path));
    }
    keep(api.post("/api/admin/circuit-breakers/nope/reset", "", ADMIN_TOKEN));
    keep(api.post("/api/admin/circuit-breakers/reset", "", "not-" + ADMIN_TOKEN));
  }

  private void keep(Api.Response r) {
    answers.add(r.status() + " " + r.raw().headers().map() + " " + r.raw().body());
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/html");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The service's event stream, read on a background thread until closed. */
  private final class EventStream implements AutoCloseable {
    private final StringBuilder text = new StringBuilder();
    private final Thread reader;
    private volatile java.io.InputStream body;

    EventStream(URI service) throws Exception {
      HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(service.resolve("/api/events"))
          .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
      body = r.body();
      reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            synchronized (text) {
              text.append(line).append('\n');
            }
          }
        } catch (IOException closed) {
          // the stream ends when the test closes it or the service stops
        }
      }, "test-event-stream");
      reader.setDaemon(true);
      reader.start();
    }

    String received() {
      synchronized (text) {
        assertThat(text).as("events were received").contains("event: snapshot").contains("event: transition");
        return text.toString();
      }
    }

    @Override
    public void close() throws IOException {
      body.close();
      try {
        reader.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
