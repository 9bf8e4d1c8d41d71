package dev.optionchain.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What real Tradier answers show and the simulator models: indexes with placeholders, SPX with its weekly root SPXW,
 * a stock with an adjusted root, null greeks outside hours, a realistic share of untraded contracts, UTC
 * {@code updated_at}, and an opt-in rate limit.
 */
class TradierRealismTest {

  /** 11:00 in New York on a Wednesday: the market is open. */
  static final String OPEN = "2026-03-18T15:00:00Z";
  /** 20:00 in New York on the same day: closed. */
  static final String CLOSED = "2026-03-19T00:00:00Z";

  private static List<JsonNode> list(JsonNode node) {
    List<JsonNode> items = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(items::add);
    } else if (!node.isMissingNode() && !node.isNull()) {
      items.add(node);
    }
    return items;
  }

  private static JsonNode json(MarketSim sim, String path) {
    HttpResponse<String> r = Http.get(sim, path);
    assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
    return Http.json(r);
  }

  @Test
  void anIndexQuoteHasNoBookNoVolumeAndPlaceholderZeros() {
    try (MarketSim sim = MarketSim.builder().clock(TestClock.at(OPEN)).start()) {
      assertThat(sim.symbols()).contains("SPX", "VIX");
      JsonNode vix = json(sim, "/v1/markets/quotes?symbols=VIX").path("quotes").path("quote");
      assertThat(vix.path("type").asText()).isEqualTo("index");
      assertThat(vix.path("last").asDouble()).isPositive();
      assertThat(vix.path("bid").isNull()).isTrue();
      assertThat(vix.path("ask").isNull()).isTrue();
      assertThat(vix.path("bid_date").asLong()).isZero();
      assertThat(vix.path("volume").asLong()).isZero();
      assertThat(vix.path("average_volume").asLong()).isZero();
      assertThat(vix.path("week_52_high").asDouble()).isZero();
      assertThat(vix.path("week_52_low").asDouble()).isZero();
      JsonNode spx = json(sim, "/v1/markets/quotes?symbols=SPX").path("quotes").path("quote");
      assertThat(spx.path("root_symbols").asText()).isEqualTo("SPX,SPXW");
    }
  }

  @Test
  void spxWeekliesNeedIncludeAllRootsAndMonthliesListBothRootsAtOneStrike() {
    try (MarketSim sim = MarketSim.builder().clock(TestClock.at(OPEN)).start()) {
      List<JsonNode> own = list(json(sim, "/v1/markets/options/expirations?symbol=SPX").path("expirations")
          .path("date"));
      List<JsonNode> all = list(json(sim, "/v1/markets/options/expirations?symbol=SPX&includeAllRoots=true")
          .path("expirations").path("date"));
      assertThat(all.size()).as("SPXW weeklies added").isGreaterThan(own.size());
      assertThat(all.stream().map(JsonNode::asText).toList()).containsAll(own.stream().map(JsonNode::asText).toList());

      String monthly = "2026-04-17";
      List<JsonNode> options = list(json(sim, "/v1/markets/options/chains?symbol=SPX&greeks=true&expiration="
          + monthly).path("options").path("option"));
      Set<String> roots = new HashSet<>();
      Set<String> atStrike = new HashSet<>();
      double strike = options.get(options.size() / 4).path("strike").asDouble();
      for (JsonNode o : options) {
        roots.add(o.path("root_symbol").asText());
        assertThat(o.path("underlying").asText()).isEqualTo("SPX");
        assertThat(o.path("symbol").asText()).startsWith(o.path("root_symbol").asText() + "260417");
        if (o.path("strike").asDouble() == strike && o.path("option_type").asText().equals("call")) {
          atStrike.add(o.path("symbol").asText());
        }
      }
      assertThat(roots).containsExactlyInAnyOrder("SPX", "SPXW");
      assertThat(atStrike).as("two contracts at one strike, one per root").hasSize(2);

      String weekly = all.stream().map(JsonNode::asText).filter(d -> own.stream().noneMatch(o -> o.asText().equals(d)))
          .findFirst().orElseThrow();
      List<JsonNode> weeklyChain = list(json(sim, "/v1/markets/options/chains?symbol=SPX&expiration=" + weekly)
          .path("options").path("option"));
      assertThat(weeklyChain).isNotEmpty().allSatisfy(o -> assertThat(o.path("root_symbol").asText()).isEqualTo("SPXW"));
      String occ = weeklyChain.get(0).path("symbol").asText();
      assertThat(json(sim, "/v1/markets/quotes?symbols=" + occ).path("quotes").path("quote").path("symbol").asText())
          .isEqualTo(occ);
    }
  }

  @Test
  void pltrListsAnAdjustedRootAtItsMonthlies() {
    try (MarketSim sim = MarketSim.builder().clock(TestClock.at(OPEN)).start()) {
      List<JsonNode> options = list(json(sim, "/v1/markets/options/chains?symbol=PLTR&expiration=2026-04-17")
          .path("options").path("option"));
      List<JsonNode> adjusted = options.stream().filter(o -> o.path("root_symbol").asText().equals("PLTR1")).toList();
      assertThat(adjusted).isNotEmpty();
      assertThat(adjusted).allSatisfy(o -> {
        assertThat(o.path("symbol").asText()).startsWith("PLTR1260417");
        assertThat(o.path("underlying").asText()).isEqualTo("PLTR");
      });
      double strike = adjusted.get(0).path("strike").asDouble();
      assertThat(options.stream().filter(o -> o.path("strike").asDouble() == strike
          && o.path("root_symbol").asText().equals("PLTR"))).as("the standard root at the same strike").hasSize(2);
      List<JsonNode> weekly = list(json(sim, "/v1/markets/options/chains?symbol=PLTR&expiration=2026-03-20")
          .path("options").path("option"));
      assertThat(weekly).isNotEmpty();
    }
  }

  @Test
  void outsideHoursContractsThatDidNotTradeHaveNullGreeksAndManyContractsDidNotTrade() {
    try (MarketSim sim = MarketSim.builder().clock(TestClock.at(CLOSED)).start()) {
      List<JsonNode> options = list(json(sim, "/v1/markets/options/chains?symbol=AAPL&greeks=true"
          + "&expiration=2026-06-18").path("options").path("option"));
      long untraded = options.stream().filter(o -> o.path("volume").asLong() == 0).count();
      assertThat(untraded / (double) options.size()).as("share of untraded contracts").isBetween(0.15, 0.85);
      for (JsonNode o : options) {
        boolean traded = o.path("volume").asLong() > 0;
        assertThat(o.path("greeks").isNull()).as(o.path("symbol").asText()).isEqualTo(!traded);
        if (!traded) {
          assertThat(o.path("trade_date").asLong()).isZero();
        }
      }
    }
    try (MarketSim sim = MarketSim.builder().clock(TestClock.at(OPEN)).start()) {
      List<JsonNode> options = list(json(sim, "/v1/markets/options/chains?symbol=AAPL&greeks=true"
          + "&expiration=2026-06-18").path("options").path("option"));
      assertThat(options).as("during the session every contract has greeks")
          .allSatisfy(o -> assertThat(o.path("greeks").isObject()).isTrue());
      assertThat(options.get(0).path("greeks").path("updated_at").asText()).isEqualTo("2026-03-18 15:00:00");
    }
  }

  @Test
  void theOptInRateLimitAnswers429PastTheBudgetAndReportsIt() {
    try (MarketSim sim = MarketSim.builder().clock(TestClock.at(OPEN)).rateLimit(3).start()) {
      for (int i = 1; i <= 3; i++) {
        HttpResponse<String> r = Http.get(sim, "/v1/markets/quotes?symbols=AAPL");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Ratelimit-Allowed")).contains("3");
        assertThat(r.headers().firstValue("X-Ratelimit-Available")).contains(Integer.toString(3 - i));
      }
      HttpResponse<String> refused = Http.get(sim, "/v1/markets/options/expirations?symbol=AAPL");
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      JsonNode stats = Http.json(Http.get(sim, "/sim/stats")).path("endpoints");
      assertThat(stats.path("expirations").path("rateLimited").asLong()).isEqualTo(1);
    }
    try (MarketSim sim = MarketSim.builder().clock(TestClock.at(OPEN)).start()) {
      for (int i = 0; i < 130; i++) {
        assertThat(Http.get(sim, "/v1/markets/quotes?symbols=AAPL").statusCode()).as("off by default").isEqualTo(200);
      }
    }
  }
}
