package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits of issue 11: a deadline for reading a request (headers, padding, body) that a drip-feeder cannot
 * stretch, an idle timeout, a cap on connections with a management listener that stays reachable, a cap on event
 * streams. Every wait here is a bound on how long the test gives the service to act, never a measured duration.
 */
class LimitsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long the test waits, at most, for what must happen within about a second. */
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir
  Path dataDir;

  @Test
  void aDripFeederSendingOneHeaderLineEveryFewHundredMillisecondsIsCutOff() throws Exception {
    try (DashboardApp app = start(Map.of("server.request-read-timeout", "1s"))) {
      assertThat(dripUntilClosed(app.port(), "GET /health/live HTTP/1.1\r\nHost: localhost\r\n", "X-Drip: 1\r\n"))
          .as("the connection was closed while the headers were still coming").isTrue();
      assertThat(dripUntilClosed(app.port(), "", "\r\n")).as("blank-line padding before a request").isTrue();
      assertThat(metric(app, "http_server_requests_cut_total")).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void aBodyThatDoesNotArriveInTimeIsAnsweredWith408() throws Exception {
    try (DashboardApp app = start(Map.of("server.request-read-timeout", "1s"));
        Socket s = connect(app.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("POST /api/sim/faults HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = readAll(s, PATIENCE);
      assertThat(answer).startsWith("HTTP/1.1 408").contains("application/json").contains("\"status\":408");
    }
  }

  @Test
  void slowAnswersAndOpenEventStreamsAreNotCut() throws Exception {
    try (DashboardApp app = start(Map.of("server.request-read-timeout", "1s", "server.idle-timeout", "2s"))) {
      Api sim = new Api(app.simulator().orElseThrow().baseUrl());
      sim.post("/sim/faults", "{\"endpoint\":\"quotes\",\"mode\":\"latency\",\"latencyMs\":2500}");
      Api.Response slow = new Api(app.url()).get("/api/quote/AAPL");
      assertThat(slow.status()).as("a request waiting 2.5 s for the upstream, past the 1 s read deadline")
          .isEqualTo(200);
      try (Socket s = connect(app.port())) {
        s.getOutputStream().write("GET /api/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        assertThat(readFor(s, Duration.ofSeconds(5))).contains("event: snapshot");
        assertThat(readFor(s, Duration.ofSeconds(3))).as("still streaming after 5 s: past the 1 s read deadline and "
            + "the 2 s idle timeout, kept alive by comments at half the idle timeout").contains(": keep-alive");
      }
    }
  }

  @Test
  void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    try (DashboardApp app = start(Map.of("server.idle-timeout", "1s"));
        Socket s = connect(app.port())) {
      assertThat(readAll(s, PATIENCE)).as("closed by the server without a byte").isEmpty();
    }
  }

  @Test
  void atTheConnectionCapTheManagementListenerStillAnswersAndServesOnlyProbesAndMetrics() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (DashboardApp app = start(Map.of("server.max-connections", "20", "management.port", "0"))) {
      int management = app.managementPort().orElseThrow();
      Api probe = new Api("http://localhost:" + management);
      for (int i = 0; i < 40; i++) {
        held.add(connect(app.port())); // idle: not reading a request, so only the idle timeout (30 s) ends them
      }
      awaitMetric(probe, "http_server_connections", 20);
      Api.Response live = probe.get("/health/live");
      assertThat(live.status()).isEqualTo(200);
      assertThat(probe.get("/health/ready").status()).isEqualTo(200);
      assertThat(probe.get("/metrics").raw().body()).contains("http_server_connections_max 20");
      assertThat(probe.get("/api/quote/AAPL").status()).isEqualTo(404);
      assertThat(probe.get("/").status()).isEqualTo(404);
      assertThat(metric(probe, "http_server_connections")).as("the cap holds").isEqualTo(20);
      for (Socket s : held) {
        s.close();
      }
      held.clear();
      assertThat(new Api(app.url()).get("/health/live").status()).as("the main listener again").isEqualTo(200);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void beyondTheEventStreamCapA503InJsonWithRetryAfter() throws Exception {
    // idle timeout 2 s: keep-alive comments every second, and the second write to a closed stream fails, ending it
    try (DashboardApp app = start(Map.of("events.max-clients", "2", "server.idle-timeout", "2s"));
        Socket one = openStream(app.port());
        Socket two = openStream(app.port())) {
      RawHttp.Response third = RawHttp.send(app.port(), "GET /api/events HTTP/1.1\r\nHost: localhost\r\n"
          + "Accept: text/event-stream\r\nConnection: close\r\n\r\n");
      assertThat(third.status()).isEqualTo(503);
      assertThat(third.header("Retry-After")).isEqualTo("30");
      assertThat(JSON.readTree(third.body()).path("error").asText()).contains("at most 2");
      one.close();
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      boolean admitted = false;
      while (!admitted && System.nanoTime() < deadline) {
        try (Socket again = connect(app.port())) {
          again.getOutputStream().write("GET /api/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
          admitted = readFor(again, Duration.ofMillis(500)).startsWith("HTTP/1.1 200");
        }
        Thread.sleep(100);
      }
      assertThat(admitted).as("the closed stream's slot was given back").isTrue();
    }
  }

  @Test
  void aConnectionCapAboveTheFileHandleLimitIsWarnedAboutAtStart() {
    try (LogCapture log = LogCapture.start();
        DashboardApp app = start(Map.of("server.max-connections", "1000000"))) {
      assertThat(log.text()).contains("server.max-connections=1000000").contains("ulimit -n");
      assertThat(app.port()).isPositive();
    }
  }

  private DashboardApp start(Map<String, String> overrides) {
    return TestDashboards.start(dataDir, TestDashboards.clock(), overrides);
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return s;
  }

  private static Socket openStream(int port) throws IOException {
    Socket s = connect(port);
    s.getOutputStream().write("GET /api/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    assertThat(readFor(s, Duration.ofSeconds(2))).startsWith("HTTP/1.1 200").contains("event: snapshot");
    return s;
  }

  /**
   * Sends {@code start}, then {@code drip} every 200 ms until the server closes the connection or
   * {@link #PATIENCE} has passed.
   *
   * @return whether the server closed it
   */
  private static boolean dripUntilClosed(int port, String start, String drip) throws Exception {
    try (Socket s = connect(port)) {
      s.setSoTimeout(200);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write(start.getBytes(StandardCharsets.US_ASCII));
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (System.nanoTime() < deadline) {
        try {
          out.write(drip.getBytes(StandardCharsets.US_ASCII));
          out.flush();
          if (in.read() == -1) {
            return true;
          }
        } catch (SocketTimeoutException stillOpen) {
          continue;
        } catch (IOException reset) {
          return true;
        }
      }
      return false;
    }
  }

  /** Reads until the server closes the connection or {@code limit} has passed. */
  private static String readAll(Socket s, Duration limit) throws IOException {
    s.setSoTimeout((int) limit.toMillis());
    try {
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (SocketTimeoutException e) {
      return "(still open after " + limit + ")";
    }
  }

  /** Reads whatever arrives for {@code period}. */
  private static String readFor(Socket s, Duration period) throws IOException {
    StringBuilder b = new StringBuilder();
    long end = System.nanoTime() + period.toNanos();
    byte[] buf = new byte[8192];
    while (System.nanoTime() < end) {
      s.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
      try {
        int n = s.getInputStream().read(buf);
        if (n < 0) {
          break;
        }
        b.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      } catch (SocketTimeoutException e) {
        break;
      }
    }
    return b.toString();
  }

  private static long metric(DashboardApp app, String name) {
    return metric(new Api(app.url()), name);
  }

  private static long metric(Api api, String name) {
    for (String line : api.get("/metrics").raw().body().split("\n")) {
      if (line.startsWith(name + " ")) {
        return (long) Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError("no metric " + name);
  }

  private static void awaitMetric(Api api, String name, long value) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (metric(api, name) != value && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(metric(api, name)).isEqualTo(value);
  }
}
