package dev.optionchain.dashboard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.optionchain.dashboard.Api;
import dev.optionchain.dashboard.DashboardApp;
import dev.optionchain.dashboard.TestDashboards;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An alert storm against a stuck webhook drops alerts instead of piling them up, and /metrics counts the drops. */
class AlertMetricsTest {

  @Test
  void droppedAlertsAreCountedInTheMetrics(@TempDir Path dataDir) throws Exception {
    CountDownLatch firstAlert = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/", exchange -> {
      firstAlert.countDown();
      try {
        release.await(60, TimeUnit.SECONDS); // stuck: holds the first alert
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    String webhook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/alerts";
    try (DashboardApp app = TestDashboards.start(dataDir, TestDashboards.clock(), Map.of(
        "admin.token", "t", "alerts.webhooks", webhook, "alerts.queue-capacity", "1", "alerts.timeout", "30s"))) {
      Api api = new Api(app.url());
      String breaker = "/api/admin/circuit-breakers/options_chain/";
      assertThat(api.post(breaker + "open", "", "t").status()).isEqualTo(200);   // alert 1: sent, stuck
      assertThat(firstAlert.await(20, TimeUnit.SECONDS)).isTrue();
      assertThat(api.post(breaker + "reset", "", "t").status()).isEqualTo(200);  // alert 2: queued
      assertThat(api.post(breaker + "open", "", "t").status()).isEqualTo(200);   // alert 3: dropped
      assertThat(api.post(breaker + "reset", "", "t").status()).isEqualTo(200);  // alert 4: dropped

      PrometheusText metrics = PrometheusText.parse(api.get("/metrics").raw().body());
      assertThat(metrics.value("alerts_dropped_total")).isEqualTo(2.0);
      assertThat(metrics.value("alerts_queued")).isEqualTo(1.0);
      release.countDown();
    } finally {
      release.countDown();
      receiver.stop(0);
    }
  }
}
