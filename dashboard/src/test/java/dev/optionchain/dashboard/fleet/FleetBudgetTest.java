package dev.optionchain.dashboard.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.dashboard.Api;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet's upstream budget in Redis: an instance restarted, and values nobody should have written. */
class FleetBudgetTest {

  static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA", "AMD",
      "NFLX", "INTC", "AVGO", "ORCL", "CRM", "CSCO", "JPM", "BAC");

  @TempDir
  Path dir;

  private TestFleet fleet;

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
  }

  private void quotes(Api api, List<String> symbols) {
    for (String s : symbols) {
      assertThat(api.get("/api/quote/" + s).status()).isIn(200, 503);
    }
  }

  @Test
  void anInstanceRestartedWithinTheMinuteStillCountsTheCallsItMadeBefore() {
    fleet = TestFleet.start(dir, 1, Map.of("upstream.rate-limit-per-minute", "10"));
    long before = fleet.upstreamRequests("quotes");
    quotes(fleet.api(0), SYMBOLS.subList(0, 6));
    assertThat(fleet.upstreamRequests("quotes") - before).isEqualTo(6);
    fleet.app(0).close();
    fleet.startInstance("a", Map.of()); // the same instance id, a new process
    quotes(fleet.api(1), SYMBOLS.subList(6, 16));
    assertThat(fleet.upstreamRequests("quotes") - before).as("upstream calls in the minute").isEqualTo(10);
  }

  @Test
  void aPauseOrCallsNoInstanceCouldHaveMadeDoNotStopTheUpstreamForLong() {
    fleet = TestFleet.start(dir, 1, Map.of("upstream.rate-limit-per-minute", "10"));
    fleet.redis.cli("SET", "ocd:budget:pause", "1", "PX", "86400000"); // a day: the longest real pause is 5 min
    String future = Long.toString(System.currentTimeMillis() + 365L * 24 * 3600 * 1000);
    for (int i = 0; i < 20; i++) {
      fleet.redis.cli("ZADD", "ocd:budget:calls", future, "forged" + i); // calls a year from now
    }
    Api.Response r = fleet.api(0).get("/api/quote/AAPL");
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.json().path("source").asText()).isEqualTo("live");
  }
}
