package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.optionchain.breaker.testing.ManualClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service over real HTTP against an upstream that answers what the simulator never does: a JDK
 * {@link HttpServer} on port 0 serving a canned Tradier answer, counting the calls.
 */
class UpstreamGlitchIntegrationTest {

  private static final String MSFT = "{\"quotes\":{\"quote\":{\"symbol\":\"MSFT\",\"description\":\"Microsoft Corp\","
      + "\"exch\":\"Q\",\"type\":\"stock\",\"last\":410.25,\"change\":-2.1,\"volume\":18233411,\"bid\":410.2,"
      + "\"ask\":410.3,\"week_52_high\":468.35,\"week_52_low\":344.79}}}";
  private static final String MSFT_UNMATCHED = "{\"quotes\":{\"unmatched_symbols\":{\"symbol\":\"MSFT\"}}}";

  @TempDir
  Path dataDir;

  private final ManualClock clock = TestDashboards.clock();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile String body = MSFT;
  private volatile int status = 200;
  private volatile Map<String, String> headers = Map.of();
  private HttpServer upstream;
  private DashboardApp app;
  private Api api;

  @BeforeEach
  void start() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.createContext("/v1/", exchange -> {
      calls.incrementAndGet();
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    upstream.start();
    app = TestDashboards.start(dataDir, clock,
        Map.of("upstream.base-url", "http://localhost:" + upstream.getAddress().getPort()));
    api = new Api(app.url());
  }

  @AfterEach
  void stop() {
    app.close();
    upstream.stop(0);
  }

  @Test
  void aSymbolTheUpstreamJustQuotedIsNotRememberedUnknownForAnHourAfterOneGlitch() {
    assertThat(api.get("/api/quote/MSFT").json().path("source").asText()).isEqualTo("live");
    body = MSFT_UNMATCHED; // one odd answer for a symbol quoted a moment ago
    clock.advance(Duration.ofSeconds(2));
    assertThat(api.get("/api/quote/MSFT").status()).isEqualTo(404);
    body = MSFT;
    int before = calls.get();
    Api.Response again = api.get("/api/quote/MSFT");
    assertThat(again.status()).as("%s", again).isEqualTo(200);
    assertThat(calls.get() - before).as("asked again").isEqualTo(1);
  }

  @Test
  void aSymbolNeverQuotedIsRememberedUnknown() {
    body = MSFT_UNMATCHED;
    assertThat(api.get("/api/quote/MSFT").status()).isEqualTo(404);
    int before = calls.get();
    assertThat(api.get("/api/quote/MSFT").status()).isEqualTo(404);
    assertThat(api.get("/api/options/MSFT/expirations").status()).isEqualTo(404);
    assertThat(calls.get() - before).as("not asked again").isZero();
  }

  @Test
  void a429WhoseWindowEndedByOurClockStillStopsCalls() {
    // our wall clock ahead of the upstream's: its X-Ratelimit-Expiry is already past by ours, yet it refused
    status = 429;
    body = "{\"fault\":{\"faultstring\":\"Rate limit exceeded\"}}";
    headers = Map.of("X-Ratelimit-Allowed", "120", "X-Ratelimit-Used", "121", "X-Ratelimit-Available", "0",
        "X-Ratelimit-Expiry", Long.toString(clock.now().minusSeconds(10).toEpochMilli()));
    Api.Response first = api.get("/api/quote/MSFT");
    assertThat(first.status()).as("%s", first).isEqualTo(503);
    assertThat(first.header("Retry-After")).isPresent();
    int before = calls.get();
    for (int i = 0; i < 3; i++) {
      assertThat(api.get("/api/quote/MSFT").status()).isEqualTo(503);
    }
    assertThat(calls.get() - before).as("no call right after a 429").isZero();
    clock.advance(Duration.ofSeconds(60));
    status = 200;
    body = MSFT;
    headers = Map.of();
    assertThat(api.get("/api/quote/MSFT").status()).isEqualTo(200);
  }
}
