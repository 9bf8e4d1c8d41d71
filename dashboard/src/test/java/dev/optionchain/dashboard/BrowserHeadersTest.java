package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The browser-hardening headers are on every answer: page, assets, WebJar, API, errors of every origin, events. */
class BrowserHeadersTest {

  @TempDir
  static Path dataDir;

  private static DashboardApp app;

  @BeforeAll
  static void start() {
    app = TestDashboards.start(dataDir, TestDashboards.clock(), Map.of());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "GET / HTTP/1.1", "GET /?symbol=MSFT HTTP/1.1", "GET /index.html HTTP/1.1", "GET /app.js HTTP/1.1",
      "GET /js/api.js HTTP/1.1", "GET /app.css HTTP/1.1", "GET /favicon.svg HTTP/1.1", "HEAD / HTTP/1.1",
      "GET /webjars/uplot/1.6.30/dist/uPlot.iife.min.js HTTP/1.1", "GET /api/quote/AAPL HTTP/1.1",
      "GET /api/quote/NOPEQ HTTP/1.1", "GET /api/quote/%ZZ HTTP/1.1", "GET /api/nothing HTTP/1.1",
      "GET /health/live HTTP/1.1", "GET /metrics HTTP/1.1", "GET /api/events HTTP/1.1",
      "POST /api/sim/faults HTTP/1.1", "GET /api/quote/\u00c3\u00a9 HTTP/1.1", "GET /health/live HTTP/9.9"})
  void everyAnswerCarriesTheBrowserHeaders(String requestLine) throws IOException {
    RawHttp.Response r = RawHttp.send(app.port(), requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertThat(r.header("Content-Security-Policy")).as("%s -> %s", requestLine, r)
        .contains("default-src 'self'").contains("script-src 'self'").contains("frame-ancestors 'none'")
        .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
    assertThat(r.header("X-Frame-Options")).as("%s", r).isEqualTo("DENY");
    assertThat(r.header("X-Content-Type-Options")).as("%s", r).isEqualTo("nosniff");
    assertThat(r.header("Referrer-Policy")).as("%s", r).isEqualTo("no-referrer");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/index.html", "/app.js", "/js/api.js", "/js/chaos.js", "/js/quote.js", "/js/util.js"})
  void thePageHasNoInlineScriptOrHandler(String path) throws IOException {
    String body = RawHttp.send(app.port(), "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .bodyText();
    assertThat(body).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>").doesNotContainPattern("\\son[a-z]+=")
        .doesNotContain("javascript:").doesNotContainPattern("\\sstyle=\"");
  }
}
