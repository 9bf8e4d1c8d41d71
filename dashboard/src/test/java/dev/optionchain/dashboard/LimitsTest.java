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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
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
        held.add(connect(app.port())); // never send a request: each new one takes the place of the oldest
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
  void atTheCapTheConnectionWaitingLongestForItsRequestMakesRoomAndNoOtherIsTouched() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try (DashboardApp app = start(Map.of("server.max-connections", "4", "server.request-read-timeout", "60s",
        "server.idle-timeout", "60s"))) {
      Socket keepAlive = track(sockets, connect(app.port())); // a client between two requests
      assertThat(RawHttp.exchange(keepAlive, LIVE).status()).isEqualTo(200);
      Socket stream = track(sockets, openStream(app.port())); // a request being served
      Socket oldest = track(sockets, connect(app.port()));
      oldest.getOutputStream().write("GET /health/live HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
      awaitConnections(keepAlive, 3);
      Socket newer = track(sockets, connect(app.port()));
      newer.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: loc".getBytes(StandardCharsets.US_ASCII));
      awaitConnections(keepAlive, 4);

      RawHttp.Response prompt = RawHttp.send(app.port(), "GET /health/live HTTP/1.1\r\nHost: localhost\r\n"
          + "Connection: close\r\n\r\n");
      assertThat(prompt.status()).as("a prompt client at the cap").isEqualTo(200);
      assertThat(readAll(oldest, PATIENCE)).as("closed for it: the one waiting longest for its request").isEmpty();
      assertThat(readFor(newer, Duration.ofMillis(300))).as("the newer drip-feeder still waits").isEmpty();
      assertThat(newer.isClosed()).isFalse();
      assertThat(RawHttp.exchange(keepAlive, LIVE).status()).as("the keep-alive client is untouched").isEqualTo(200);
      assertThat(RawHttp.exchange(keepAlive, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n").bodyText())
          .contains("http_server_connections_shed_total 1.0");
      newer.getOutputStream().write("host\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readFor(newer, Duration.ofSeconds(2))).as("its request completed late, but within the deadline")
          .startsWith("HTTP/1.1 200");
      stream.getOutputStream().write(new byte[0]);
      assertThat(readAll(stream, Duration.ofMillis(300))).as("the event stream is still open")
          .startsWith("(still open");
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  @Test
  void atTheCapWithNoConnectionOwingARequestOneMoreIsServedAndTheNextWaits() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try (DashboardApp app = start(Map.of("server.max-connections", "2", "server.idle-timeout", "60s",
        "server.request-read-timeout", "60s"))) {
      Socket upload = track(sockets, connect(app.port())); // a body being uploaded: its request is being handled
      upload.getOutputStream().write(("POST /api/sim/faults HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
          + "application/json\r\nContent-Length: 100\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
      track(sockets, openStream(app.port())); // by its snapshot, the upload's head has long been read
      RawHttp.Response oneMore = RawHttp.send(app.port(), "GET /health/live HTTP/1.1\r\nHost: localhost\r\n"
          + "Connection: close\r\n\r\n");
      assertThat(oneMore.status()).as("kept, one over the cap, since nothing could be closed for it").isEqualTo(200);
      Socket next = track(sockets, connect(app.port())); // in the kernel's accept queue
      next.getOutputStream().write((LIVE.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"))
          .getBytes(StandardCharsets.US_ASCII));
      assertThat(readFor(next, Duration.ofMillis(500))).as("not accepted while the cap is full").isEmpty();
      upload.close();
      assertThat(readAll(next, PATIENCE)).as("accepted once a connection closed").startsWith("HTTP/1.1 200");
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  @Test
  void atTheCapAConnectionIdleBetweenRequestsMakesRoomSoIdleClientsCannotKeepNewOnesOut() throws Exception {
    // the attack: fill the cap with keep-alive connections that send a cheap request now and then and sit idle in
    // between; before, no new client got in until one of them reached the idle timeout (a minute here)
    List<Socket> sockets = new ArrayList<>();
    try (DashboardApp app = start(Map.of("server.max-connections", "3", "server.idle-timeout", "60s"))) {
      Socket longestIdle = track(sockets, connect(app.port()));
      assertThat(RawHttp.exchange(longestIdle, LIVE).status()).isEqualTo(200);
      Socket idle = track(sockets, connect(app.port()));
      assertThat(RawHttp.exchange(idle, LIVE).status()).isEqualTo(200);
      Socket newestIdle = track(sockets, connect(app.port()));
      assertThat(RawHttp.exchange(newestIdle, LIVE).status()).isEqualTo(200);
      for (int client = 1; client <= 2; client++) {
        // each new client keeps its connection: one that closed itself would make room by itself, and the next
        // could get in without anything shed (as it did when both arrived within the idle connections' first second)
        Socket prompt = track(sockets, connect(app.port()));
        assertThat(RawHttp.exchange(prompt, "GET /api/health/circuit-breakers HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .status()).as("new client %d at the cap", client).isEqualTo(200);
      }
      assertThat(readAll(longestIdle, PATIENCE)).as("closed to make room: the longest idle").isEmpty();
      assertThat(RawHttp.exchange(newestIdle, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n").bodyText())
          .as("one idle connection made room; the most recently used one is still open")
          .doesNotContain("http_server_connections_shed_total 0.0");
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  @Test
  void beyondTheEventStreamCapA503InJsonWithRetryAfter() throws Exception {
    // idle timeout 2 s: keep-alive comments every second, and the second write to a closed stream fails, ending it
    try (DashboardApp app = start(Map.of("events.max-clients", "2", "server.idle-timeout", "2s"))) {
      Socket one = openStream(app.port());
      Socket two = openStream(app.port());
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
      two.close();
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

  private static final String LIVE = "GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n";

  private static Socket track(List<Socket> sockets, Socket s) {
    sockets.add(s);
    return s;
  }

  /** Waits until the main listener counts {@code n} connections, asking on a keep-alive connection (no new one). */
  private static void awaitConnections(Socket keepAlive, long n) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    String want = "http_server_connections " + n + ".0";
    while (!RawHttp.exchange(keepAlive, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n").bodyText()
        .contains("\n" + want + "\n")) {
      assertThat(System.nanoTime()).as("%d connections counted", n).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void bothListenersQueue1024ConnectionsNotYetAcceptedWhereJavaQueues50() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ss")) || Files.isExecutable(Path.of("/bin/ss")),
        "Linux's ss shows a listening socket's queue");
    try (DashboardApp app = start(Map.of("management.port", "0"))) {
      // a burst of 300 new connections overflowed Java's 50, and a probe behind them waited a second for its SYN
      int expected = Math.min(1024, somaxconn()); // the kernel's cap: 4096 since Linux 5.4, 128 before
      assertThat(listenQueue(app.port())).isEqualTo(expected);
      assertThat(listenQueue(app.managementPort().orElseThrow())).isEqualTo(expected);
    }
  }

  private static int somaxconn() throws IOException {
    return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/core/somaxconn")).get(0).trim());
  }

  /** The accept queue of the socket listening on {@code port}: {@code ss}'s Send-Q of a LISTEN line. */
  private static int listenQueue(int port) throws IOException, InterruptedException {
    Process ss = new ProcessBuilder("ss", "-ltnH", "sport = :" + port).redirectErrorStream(true).start();
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(ss.waitFor()).as(out).isZero();
    String[] columns = out.split("\\s+"); // LISTEN Recv-Q Send-Q local peer
    assertThat(columns[0]).as(out).isEqualTo("LISTEN");
    return Integer.parseInt(columns[2]);
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
    return new Api(app.url()).metric(name);
  }

  private static long metric(Api api, String name) {
    return api.metric(name);
  }

  private static void awaitMetric(Api api, String name, long value) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (metric(api, name) != value && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(metric(api, name)).isEqualTo(value);
  }
}
