package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may change state: with an admin token, only its bearer; without one, on a loopback address, only same-origin
 * JSON requests naming this service in {@code Host}; without one on a network address, no one.
 */
class AuthorityTest {

  private static final String FAULT = "{\"endpoint\":\"*\",\"mode\":\"outage\"}";

  @TempDir
  Path dataDir;

  @Test
  void withATokenTheChaosRelayNeedsItLikeTheAdminEndpoints() throws IOException {
    try (DashboardApp app = TestDashboards.start(dataDir, TestDashboards.clock(),
        Map.of("admin.token", "a-long-enough-admin-token"))) {
      RawHttp.Response none = send(app, "POST", "/api/sim/faults", "localhost", "application/json", null, FAULT);
      assertThat(none.status()).as("%s", none).isEqualTo(401);
      assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
      assertThat(send(app, "POST", "/api/sim/faults", "localhost", "application/json",
          "Authorization: Bearer wrong", FAULT).status()).isEqualTo(401);
      assertThat(send(app, "DELETE", "/api/sim/faults", "localhost", null, null, null).status()).isEqualTo(401);
      assertThat(faults(app)).isEqualTo("[]");

      RawHttp.Response set = send(app, "POST", "/api/sim/faults", "localhost", "application/json",
          "Authorization: Bearer a-long-enough-admin-token", FAULT);
      assertThat(set.status()).as("%s", set).isEqualTo(200);
      assertThat(faults(app)).contains("outage");
      assertThat(send(app, "DELETE", "/api/sim/faults", "localhost", null,
          "Authorization: Bearer a-long-enough-admin-token", null).status()).isEqualTo(200);
      assertThat(faults(app)).isEqualTo("[]");
      assertThat(send(app, "PATCH", "/api/anything", "localhost", null, null, null).status()).isEqualTo(401);
    }
  }

  @Test
  void withoutATokenACrossSiteSimpleRequestCannotBreakTheUpstream() throws IOException {
    try (DashboardApp app = TestDashboards.start(dataDir, TestDashboards.clock(), Map.of())) {
      RawHttp.Response evil = send(app, "POST", "/api/sim/faults", "localhost", "text/plain",
          "Origin: http://evil.example", FAULT);
      assertThat(evil.status()).as("%s", evil).isEqualTo(403);
      assertThat(send(app, "POST", "/api/sim/faults", "localhost", "application/json",
          "Origin: http://evil.example", FAULT).status()).isEqualTo(403);
      assertThat(send(app, "POST", "/api/sim/faults", "localhost", "application/json",
          "Sec-Fetch-Site: cross-site", FAULT).status()).isEqualTo(403);
      assertThat(send(app, "POST", "/api/sim/faults", "localhost", "text/plain", null, FAULT).status())
          .isEqualTo(415);
      assertThat(send(app, "POST", "/api/sim/faults", "localhost", "application/x-www-form-urlencoded", null,
          "endpoint=*").status()).isEqualTo(415);
      assertThat(faults(app)).as("no fault was set").isEqualTo("[]");
    }
  }

  @Test
  void withoutATokenDnsRebindingIsRefusedByTheHostCheck() throws IOException {
    try (DashboardApp app = TestDashboards.start(dataDir, TestDashboards.clock(), Map.of())) {
      String rebound = "evil.example:" + app.port();
      RawHttp.Response r = send(app, "POST", "/api/sim/faults", rebound, "application/json",
          "Origin: http://" + rebound + "\r\nSec-Fetch-Site: same-origin", FAULT);
      assertThat(r.status()).as("%s", r).isEqualTo(403);
      assertThat(r.bodyText()).contains("Host");
      assertThat(faults(app)).isEqualTo("[]");
    }
  }

  @Test
  void withoutATokenThePagesOwnRequestsAndLocalToolsMayChangeTheSimulator() throws IOException {
    try (DashboardApp app = TestDashboards.start(dataDir, TestDashboards.clock(), Map.of())) {
      for (String host : new String[] {"localhost:" + app.port(), "127.0.0.1:" + app.port(), "[::1]:" + app.port()}) {
        RawHttp.Response page = send(app, "POST", "/api/sim/faults", host, "application/json",
            "Origin: http://" + host + "\r\nSec-Fetch-Site: same-origin", FAULT);
        assertThat(page.status()).as("%s %s", host, page).isEqualTo(200);
        assertThat(send(app, "DELETE", "/api/sim/faults", host, "application/json", "Origin: http://" + host, null)
            .status()).isEqualTo(200);
      }
      RawHttp.Response curl = send(app, "POST", "/api/sim/faults", "localhost:" + app.port(),
          "application/json; charset=utf-8", null, FAULT);
      assertThat(curl.status()).as("%s", curl).isEqualTo(200);
      assertThat(faults(app)).contains("outage");
      assertThat(send(app, "POST", "/api/admin/circuit-breakers/reset", "localhost", "application/json", null, "")
          .status()).as("admin stays disabled without a token").isEqualTo(403);
    }
  }

  @Test
  void onANetworkAddressWithoutATokenEveryStateChangeIsRefusedAndTheStartSaysWhy() throws IOException {
    try (LogCapture log = LogCapture.start();
        DashboardApp app = TestDashboards.start(dataDir, TestDashboards.clock(), Map.of("server.host", "0.0.0.0"))) {
      assertThat(log.linesFrom(0)).anySatisfy(line -> assertThat(line).contains("WARN")
          .contains("server.host=0.0.0.0").contains("admin.token"));
      String host = "localhost:" + app.port();
      RawHttp.Response r = send(app, "POST", "/api/sim/faults", host, "application/json",
          "Origin: http://" + host, FAULT);
      assertThat(r.status()).as("%s", r).isEqualTo(403);
      assertThat(faults(app)).isEqualTo("[]");
      assertThat(send(app, "GET", "/api/quote/AAPL", host, null, null, null).status()).isEqualTo(200);
      int from = log.size();
      send(app, "DELETE", "/api/sim/faults", host, "application/json", null, null);
      assertThat(log.countFrom(from, Level.WARN)).as("one WARN line per refusal").isEqualTo(1);
    }
  }

  @Test
  void aShortTokenIsWarnedAbout() {
    try (LogCapture log = LogCapture.start();
        DashboardApp app = TestDashboards.start(dataDir, TestDashboards.clock(), Map.of("admin.token", "short"))) {
      assertThat(log.text()).contains("admin.token is only 5 characters long");
      assertThat(app.port()).isPositive();
    }
  }

  private static String faults(DashboardApp app) {
    return new Api(app.simulator().orElseThrow().baseUrl()).get("/sim/faults").raw().body();
  }

  /** A request with exactly these headers (HttpClient cannot set Host). */
  private static RawHttp.Response send(DashboardApp app, String method, String path, String host, String type,
      String extraHeaders, String body) throws IOException {
    StringBuilder r = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host)
        .append("\r\nConnection: close\r\n");
    if (type != null) {
      r.append("Content-Type: ").append(type).append("\r\n");
    }
    if (extraHeaders != null) {
      r.append(extraHeaders).append("\r\n");
    }
    String b = body == null ? "" : body;
    r.append("Content-Length: ").append(b.length()).append("\r\n\r\n").append(b);
    return RawHttp.send(app.port(), r.toString());
  }
}
