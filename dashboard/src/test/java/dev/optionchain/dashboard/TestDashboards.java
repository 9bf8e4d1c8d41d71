package dev.optionchain.dashboard;

import dev.optionchain.breaker.testing.ManualClock;
import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.config.Settings;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts dashboards for tests: port 0, a temporary data directory, the embedded simulator, breakers on a clock, and no
 * start-up warm-up (it would only make each test slower; {@code WarmUpIntegrationTest} turns it on).
 */
public final class TestDashboards {

  private TestDashboards() {}

  /** A manual clock starting now, so dates agree with the simulator's (which runs on real time). */
  public static ManualClock clock() {
    return new ManualClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  public static DashboardConfig config(Path dataDir, Map<String, String> overrides) {
    Map<String, String> m = new HashMap<>();
    m.put("server.port", "0");
    m.put("data.dir", dataDir.toString());
    m.put("upstream.warm-up-requests", "0");
    m.putAll(overrides);
    return DashboardConfig.from(Settings.defaults().with(m, "test"));
  }

  /**
   * The overrides plus {@code fresh-for 0s} on every breaker: every request goes to the upstream (tests of the
   * breakers themselves, which count upstream calls request by request).
   */
  public static Map<String, String> withoutMemory(Map<String, String> overrides) {
    Map<String, String> m = new HashMap<>();
    for (String name : DashboardConfig.BREAKER_NAMES) {
      m.put("breaker." + name + ".fresh-for", "0s");
    }
    m.putAll(overrides);
    return m;
  }

  public static DashboardApp start(Path dataDir, ManualClock clock, Map<String, String> overrides) {
    return DashboardApp.start(config(dataDir, overrides), clock);
  }
}
