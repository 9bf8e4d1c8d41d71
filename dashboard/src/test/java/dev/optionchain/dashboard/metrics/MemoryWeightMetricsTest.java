package dev.optionchain.dashboard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.dashboard.Api;
import dev.optionchain.dashboard.DashboardApp;
import dev.optionchain.dashboard.TestDashboards;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cache.memory-limit} end to end: the dashboard and its simulator on ephemeral ports, twenty-year histories
 * (about 440 kB each) asked for more symbols than fit in the limit, and the tiers' weight read from {@code /metrics}.
 */
class MemoryWeightMetricsTest {

  @TempDir
  Path dataDir;

  @Test
  void twentyYearHistoriesOfManySymbolsKeepEachMemoryTierWithinTheLimit() {
    long limit = 1_000_000;
    try (DashboardApp app = TestDashboards.start(dataDir, TestDashboards.clock(),
        Map.of("cache.memory-limit", "1MB"))) {
      Api api = new Api(app.url());
      List<String> symbols = app.simulator().orElseThrow().symbols();
      LocalDate end = LocalDate.now(java.time.ZoneOffset.UTC);
      int asked = 0;
      for (String symbol : symbols.subList(0, Math.min(6, symbols.size()))) {
        Api.Response r = api.get("/api/history/" + symbol + "?start=" + end.minusYears(20).plusDays(1) + "&end="
            + end);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        asked++;
      }
      assertThat(asked).as("more histories than 1 MB holds").isGreaterThanOrEqualTo(3);
      PrometheusText t = PrometheusText.parse(api.get("/metrics").raw().body());
      double fresh = t.value("market_memory_weight_fresh_price_history");
      double lastGood = t.value("market_memory_weight_last_good_price_history");
      assertThat(fresh).as("the fresh histories kept").isPositive().isLessThanOrEqualTo(limit);
      assertThat(lastGood).as("the last good histories kept").isPositive().isLessThanOrEqualTo(limit);
      assertThat(t.value("market_memory_weight_fresh_current_price")).isZero();
    }
  }
}
