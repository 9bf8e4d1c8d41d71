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
 * hand) scaled down for CI: 150 drip-fed connections against a cap of 50, in this JVM, for a few seconds. The
 * service holds no more than its cap, cuts the drip-feeders at the read deadline, and answers every liveness probe
 * on its management listener. No timing is asserted: a probe only has to succeed.
 */
class DripFeedTest {

  private static final int ATTACKERS = 150;
  private static final int CAP = 50;

  @TempDir
  Path dataDir;

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
      assertThat(maxConnections).as("the service held the cap, not the %d attackers", ATTACKERS).isBetween(1L,
          (long) CAP);
      assertThat(metric(management, "http_server_requests_cut_total")).as("drip-feeders cut at the read deadline")
          .isPositive();
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
    for (String line : api.get("/metrics").raw().body().split("\n")) {
      if (line.startsWith(name + " ")) {
        return (long) Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError("no metric " + name);
  }
}
