package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The liveness and readiness probes are answered by the thread that reads them, never queued for a worker thread:
 * with every one of the main port's worker threads held (here by requests whose bodies arrive slowly, each blocking
 * its thread in a read), a probe still gets its answer, with the browser headers, and is counted in the metrics.
 * Nothing is timed: on a server that queues the probe it would wait for the read deadline (a minute), and the test
 * would give up long before.
 */
class ProbesFirstTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir
  Path dataDir;

  @Test
  void probesAreAnsweredWhileEveryWorkerThreadIsHeld() throws Exception {
    List<Socket> slowBodies = new ArrayList<>();
    try (DashboardApp app = TestDashboards.start(dataDir, TestDashboards.clock(), Map.of(
        "server.request-read-timeout", "60s", "server.idle-timeout", "60s"))) {
      for (int i = 0; i < WorkerThreads.MAX + 20; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", app.port()), 10_000);
        s.getOutputStream().write(("POST /api/sim/faults HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
            + "\r\nContent-Length: 100\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
        slowBodies.add(s);
      }
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (!WorkerThreads.now().exhausted()) {
        assertThat(System.nanoTime()).as("every worker thread waits for a body: %s", WorkerThreads.now())
            .isLessThan(deadline);
        Thread.sleep(20);
      }

      RawHttp.Response live = RawHttp.exchange(app.port(), "GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII), false, (int) PATIENCE.toMillis());
      RawHttp.Response ready = RawHttp.exchange(app.port(), "GET /health/ready HTTP/1.1\r\nHost: localhost\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII), false, (int) PATIENCE.toMillis());
      RawHttp.Response head = RawHttp.exchange(app.port(), "HEAD /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII), true, (int) PATIENCE.toMillis());
      assertThat(WorkerThreads.now().exhausted()).as("still no worker thread free").isTrue();

      assertThat(live.status()).isEqualTo(200);
      assertThat(live.bodyText()).isEqualTo("{\"status\":\"UP\"}");
      assertThat(live.header("Content-Type")).isEqualTo("application/json");
      assertThat(live.header("X-Frame-Options")).isEqualTo("DENY");
      assertThat(live.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.bodyText())
          .isEqualTo("{\"status\":\"UP\",\"database\":\"UP\",\"server\":\"UP\",\"warmUp\":\"DONE\"}");
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.body()).isEmpty();

      for (Socket s : slowBodies) {
        s.close();
      }
      slowBodies.clear();
      Api api = new Api(app.url());
      assertThat(api.get("/api/quote/AAPL").status()).as("the held threads are back").isEqualTo(200);
      assertThat(api.metric("http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",status=\"200\","
          + "uri=\"/health/live\"}")).as("the probe answered first is counted").isEqualTo(1);
    } finally {
      for (Socket s : slowBodies) {
        closeQuietly(s);
      }
    }
  }

  @Test
  void aProbeWithAQueryOrAnotherMethodTakesTheRoutesWay() {
    try (DashboardApp app = TestDashboards.start(dataDir, TestDashboards.clock(), Map.of())) {
      Api api = new Api(app.url());
      assertThat(api.get("/health/live?verbose=1").status()).isEqualTo(200);
      Api.Response post = api.post("/health/live", "{}");
      assertThat(post.status()).as("%s", post).isEqualTo(404);
      assertThat(post.json().path("status").asInt()).isEqualTo(404);
      assertThat(api.get("/health/lively").status()).isEqualTo(404);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
