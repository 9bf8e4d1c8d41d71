package dev.optionchain.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Same seed and same simulated instant give byte-identical answers; time moves prices. */
class DeterminismTest {

  private static final List<String> REQUESTS = List.of(
      "/v1/markets/quotes?symbols=AAPL,SPY,TSLA,F",
      "/v1/markets/history?symbol=NVDA&start=2024-01-01",
      "/v1/markets/history?symbol=QQQ&interval=weekly&start=2025-01-01",
      "/v1/markets/options/expirations?symbol=MSFT&strikes=true",
      "/v1/markets/options/chains?symbol=AAPL&expiration=2026-04-17&greeks=true",
      "/v1/markets/options/chains?symbol=IWM&expiration=2028-01-21&greeks=true",
      "/v1/markets/lookup?q=in");

  @Test
  void sameSeedAndInstantGiveIdenticalAnswers() {
    try (MarketSim a = sim(42, "2026-03-18T15:00:00Z"); MarketSim b = sim(42, "2026-03-18T15:00:00Z")) {
      // Warm one of them up in a different order: answers must not depend on what was asked before.
      Http.ok(b, "/v1/markets/history?symbol=AAPL&start=2002-01-01&end=2026-01-01");
      Http.ok(b, "/v1/markets/options/chains?symbol=AAPL&expiration=2026-03-20&greeks=true");
      for (String request : REQUESTS) {
        assertThat(Http.get(b, request).body()).as(request).isEqualTo(Http.get(a, request).body());
      }
    }
  }

  @Test
  void anotherSeedGivesAnotherMarket() {
    try (MarketSim a = sim(42, "2026-03-18T15:00:00Z"); MarketSim b = sim(43, "2026-03-18T15:00:00Z")) {
      assertThat(last(b, "AAPL")).isNotEqualTo(last(a, "AAPL"));
    }
  }

  @Test
  void priceMovesDuringTheSessionAndFreezesOutsideIt() {
    TestClock clock = TestClock.at("2026-03-18T14:00:00Z");     // 10:00 in New York
    try (MarketSim sim = MarketSim.builder().clock(clock).start()) {
      double morning = last(sim, "AAPL");
      clock.advance(Duration.ofMinutes(1));
      double minuteLater = last(sim, "AAPL");
      clock.advance(Duration.ofSeconds(20));
      assertThat(last(sim, "AAPL")).as("within the minute").isEqualTo(minuteLater);
      clock.set(java.time.Instant.parse("2026-03-18T18:00:00Z"));
      double afternoon = last(sim, "AAPL");
      assertThat(List.of(morning, minuteLater, afternoon)).doesNotHaveDuplicates();

      clock.set(java.time.Instant.parse("2026-03-18T20:00:00Z"));   // the close
      JsonNode atClose = quote(sim, "AAPL");
      clock.set(java.time.Instant.parse("2026-03-19T12:00:00Z"));   // 08:00 next morning
      JsonNode premarket = quote(sim, "AAPL");
      assertThat(premarket).isEqualTo(atClose);
      assertThat(atClose.get("close").asDouble()).isEqualTo(atClose.get("last").asDouble());
    }
  }

  private static MarketSim sim(long seed, String instant) {
    return MarketSim.builder().seed(seed).clock(TestClock.at(instant)).start();
  }

  private static JsonNode quote(MarketSim sim, String symbol) {
    return Http.ok(sim, "/v1/markets/quotes?symbols=" + symbol).path("quotes").path("quote");
  }

  private static double last(MarketSim sim, String symbol) {
    return quote(sim, symbol).get("last").asDouble();
  }
}
