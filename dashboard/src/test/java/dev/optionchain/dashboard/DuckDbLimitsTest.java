package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DuckDB's memory_limit and threads come from the configuration, with small defaults, and are checked at start. */
class DuckDbLimitsTest {

  @TempDir
  Path dataDir;

  @Test
  void theDefaultsBoundDuckDbTo256MegabytesAndTwoThreads() {
    try (DashboardApp app = TestDashboards.start(dataDir, TestDashboards.clock(), Map.of())) {
      assertThat(setting(app, "memory_limit")).isEqualTo("244.1 MiB"); // 256 MB = 256,000,000 bytes
      assertThat(setting(app, "threads")).isEqualTo("2");
    }
  }

  @Test
  void theLimitsAreConfigurable() {
    try (DashboardApp app = TestDashboards.start(dataDir, TestDashboards.clock(),
        Map.of("duckdb.memory-limit", "64MiB", "duckdb.threads", "1"))) {
      assertThat(setting(app, "memory_limit")).isEqualTo("64.0 MiB");
      assertThat(setting(app, "threads")).isEqualTo("1");
      assertThat(new Api(app.url()).get("/api/history/AAPL?start=2010-01-01&end=2026-01-01").status())
          .as("a 16-year history within 64 MiB").isEqualTo(200);
    }
  }

  @Test
  void aMalformedLimitStopsTheStartNamingTheSetting() {
    assertThatThrownBy(() -> TestDashboards.config(dataDir, Map.of("duckdb.memory-limit", "lots")))
        .hasMessageContaining("duckdb.memory-limit").hasMessageContaining("lots");
    assertThatThrownBy(() -> TestDashboards.config(dataDir, Map.of("duckdb.memory-limit", "1; DROP TABLE x")))
        .hasMessageContaining("duckdb.memory-limit");
    assertThatThrownBy(() -> TestDashboards.config(dataDir, Map.of("duckdb.threads", "0")))
        .hasMessageContaining("duckdb.threads");
  }

  private static String setting(DashboardApp app, String name) {
    return app.database().read(c -> {
      try (Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT current_setting('" + name + "')")) {
        r.next();
        return r.getString(1);
      }
    });
  }
}
