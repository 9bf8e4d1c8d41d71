package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slowloris measurement of {@code benchmarks/.../DripFeedCheck} (20,000 connections from other processes, run by
 * hand) scaled down for CI: 150 drip-fed connections against a cap of 50, in this JVM, for a few seconds. On the main
 * port in the default configuration, a liveness probe on a fresh connection takes the place of a drip-feeder, while a
 * keep-alive client and an event stream keep theirs; with a management listener, its probes answer too. No timing is asserted: a probe only has to succeed, and on the main port
 * long before the read deadline (a minute here) would have freed a place.
 */
class DripFeedTest {

  private static final int ATTACKERS = 150;
  private static final int CAP = 50;

  @TempDir
  Path dataDir;

  @Test
  void dripFeedersCannotKeepAPromptClientOffTheMainPortNorCloseWellBehavedOnes() throws Exception {
    try (DashboardApp app = TestDashboards.start(dataDir, TestDashboards.clock(), Map.of(
        "server.max-connections", Integer.toString(CAP), "server.request-read-timeout", "60s",
        "server.idle-timeout", "4s"));
        Socket keepAlive = new Socket();
        Socket stream = new Socket()) {
      keepAlive.connect(new InetSocketAddress("127.0.0.1", app.port()), 5000);
      assertThat(RawHttp.exchange(keepAlive, "GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n").status())
          .isEqualTo(200);
      stream.connect(new InetSocketAddress("127.0.0.1", app.port()), 5000);
      stream.getOutputStream().write("GET /api/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      assertThat(readUntil(stream, "event: snapshot")).contains("event: snapshot");
      AtomicBoolean running = new AtomicBoolean(true);
      Thread attacker = new Thread(() -> attack(app.port(), running), "drip-attacker");
      attacker.start();
      int probes = 0;
      long maxConnections = 0;
      try {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < end) {
          RawHttp.Response live = RawHttp.send(app.port(), "GET /health/live HTTP/1.1\r\nHost: localhost\r\n"
              + "Connection: close\r\n\r\n");
          assertThat(live.status()).as("probe %d on the main port", probes).isEqualTo(200);
          probes++;
          RawHttp.Response metrics = RawHttp.exchange(keepAlive, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n");
          assertThat(metrics.status()).as("the keep-alive client, between its requests").isEqualTo(200);
          maxConnections = Math.max(maxConnections, value(metrics.bodyText(), "http_server_connections"));
          Thread.sleep(200);
        }
      } finally {
        running.set(false);
        attacker.join(TimeUnit.SECONDS.toMillis(30));
      }
      assertThat(probes).isPositive();
      assertThat(maxConnections).as("the service held the cap (one over while none could be closed for a new one), "
          + "not the %d attackers", ATTACKERS).isBetween(1L, (long) CAP + 1);
      String after = RawHttp.exchange(keepAlive, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n").bodyText();
      assertThat(value(after, "http_server_connections_shed_total")).as("drip-feeders made room").isPositive();
      assertThat(value(after, "http_server_requests_cut_total")).as("none waited for the read deadline").isZero();
      assertThat(readUntil(stream, ": keep-alive")).as("the event stream stayed open throughout")
          .contains(": keep-alive");
    }
  }

  @Test
  void dripFeedersCannotTakeTheServiceOrItsProbesDown() throws Exception {
    try (DashboardApp app = TestDashboards.start(dataDir, TestDashboards.clock(), Map.of(
        "server.max-connections", Integer.toString(CAP), "server.request-read-timeout", "1s",
        "management.port", "0"))) {
      Api management = new Api("http://localhost:" + app.managementPort().orElseThrow());
      AtomicBoolean running = new AtomicBoolean(true);
      Thread attacker = new Thread(() -> attack(app.port(), running), "drip-attacker");
      attacker.start();
      int probes = 0;
      long maxConnections = 0;
      try {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < end) {
          Api.Response live = management.get("/health/live");
          assertThat(live.status()).as("probe %d on the management listener", probes).isEqualTo(200);
          probes++;
          maxConnections = Math.max(maxConnections, metric(management, "http_server_connections"));
          Thread.sleep(200);
        }
      } finally {
        running.set(false);
        attacker.join(TimeUnit.SECONDS.toMillis(30));
      }
      assertThat(probes).isPositive();
      assertThat(maxConnections).as("the service held the cap (one over while none could be closed for a new one), "
          + "not the %d attackers", ATTACKERS).isBetween(1L, (long) CAP + 1);
      assertThat(metric(management, "http_server_requests_cut_total")
          + metric(management, "http_server_connections_shed_total"))
          .as("drip-feeders closed for newer connections or cut at the read deadline").isPositive();
    }
  }

  /** Keeps {@link #ATTACKERS} connections dripping one header line every 300 ms, reopening those the server closes. */
  private static void attack(int port, AtomicBoolean running) {
    List<Socket> sockets = new ArrayList<>();
    try {
      while (running.get()) {
        while (sockets.size() < ATTACKERS) {
          Socket s = new Socket();
          s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
          s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: localhost\r\n"
              .getBytes(StandardCharsets.US_ASCII));
          sockets.add(s);
        }
        for (int i = sockets.size() - 1; i >= 0; i--) {
          try {
            OutputStream out = sockets.get(i).getOutputStream();
            out.write("X-Drip: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
          } catch (IOException closedByServer) {
            sockets.remove(i).close();
          }
        }
        Thread.sleep(300);
      }
    } catch (IOException | InterruptedException e) {
      // connect timed out (the backlog is full) or the test ended: stop attacking
    } finally {
      for (Socket s : sockets) {
        try {
          s.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
  }

  private static long metric(Api api, String name) {
    return api.metric(name);
  }

  /** Reads what arrives until {@code marker} has, the connection ends, or 20 s have passed. */
  private static String readUntil(Socket s, String marker) throws IOException {
    StringBuilder b = new StringBuilder();
    byte[] buf = new byte[8192];
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!b.toString().contains(marker) && System.nanoTime() < end) {
      s.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
      int n;
      try {
        n = s.getInputStream().read(buf);
      } catch (java.net.SocketTimeoutException e) {
        break;
      }
      if (n < 0) {
        break;
      }
      b.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
    }
    return b.toString();
  }

  /** A series of a Prometheus text, e.g. {@code http_server_connections}. */
  private static long value(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " ")) {
        return (long) Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError("no metric " + name);
  }
}
