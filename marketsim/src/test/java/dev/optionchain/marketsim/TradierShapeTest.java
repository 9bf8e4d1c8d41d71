package dev.optionchain.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pins each endpoint's JSON to Tradier's shapes: object for one, array for several, null for none. */
class TradierShapeTest {

  private static final Pattern OCC = Pattern.compile("[A-Z]{1,6}\\d{6}[CP]\\d{8}");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static MarketSim sim;

  @BeforeAll
  static void start() {
    // Wednesday 2026-03-18, 11:00 in New York: the session is open.
    sim = MarketSim.builder().clock(TestClock.at("2026-03-18T15:00:00Z")).start();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void oneQuoteIsAnObjectWithTradierFields() {
    JsonNode quote = Http.ok(sim, "/v1/markets/quotes?symbols=AAPL").path("quotes").path("quote");
    assertThat(quote.isObject()).isTrue();
    assertThat(fieldNames(quote)).containsExactly("symbol", "description", "exch", "type", "last", "change",
        "volume", "open", "high", "low", "close", "bid", "ask", "change_percentage", "average_volume",
        "last_volume", "trade_date", "prevclose", "week_52_high", "week_52_low", "bidsize", "bidexch",
        "bid_date", "asksize", "askexch", "ask_date", "root_symbols");
    assertThat(quote.get("symbol").asText()).isEqualTo("AAPL");
    assertThat(quote.get("description").asText()).isEqualTo("Apple Inc");
    assertThat(quote.get("type").asText()).isEqualTo("stock");
    for (String decimal : List.of("last", "change", "open", "high", "low", "bid", "ask", "change_percentage",
        "prevclose", "week_52_high", "week_52_low")) {
      assertThat(quote.get(decimal).isNumber()).as(decimal).isTrue();
    }
    for (String integer : List.of("volume", "average_volume", "last_volume", "trade_date", "bidsize", "asksize",
        "bid_date", "ask_date")) {
      assertThat(quote.get(integer).isIntegralNumber()).as(integer).isTrue();
    }
    assertThat(quote.get("close").isNull()).as("close is null while the session is open").isTrue();
    assertThat(quote.get("trade_date").asLong()).isEqualTo(java.time.Instant.parse("2026-03-18T15:00:00Z").toEpochMilli());
    assertThat(quote.get("bid").asDouble()).isLessThan(quote.get("ask").asDouble());
    assertThat(quote.get("low").asDouble()).isLessThanOrEqualTo(quote.get("last").asDouble());
    assertThat(quote.get("high").asDouble()).isGreaterThanOrEqualTo(quote.get("last").asDouble());
    assertThat(quote.get("change").asDouble()).isEqualTo(
        Math.round((quote.get("last").asDouble() - quote.get("prevclose").asDouble()) * 100) / 100.0);
  }

  @Test
  void severalQuotesAreAnArrayInRequestOrder() {
    JsonNode quotes = Http.ok(sim, "/v1/markets/quotes?symbols=msft,SPY,%20AAPL").path("quotes");
    assertThat(quotes.get("quote").isArray()).isTrue();
    assertThat(quotes.get("quote")).extracting(q -> q.get("symbol").asText()).containsExactly("MSFT", "SPY", "AAPL");
    assertThat(quotes.get("quote").get(1).get("type").asText()).isEqualTo("etf");
    assertThat(quotes.has("unmatched_symbols")).isFalse();
  }

  @Test
  void unknownSymbolsAreUnmatchedNotErrors() {
    JsonNode one = Http.ok(sim, "/v1/markets/quotes?symbols=XXXX").path("quotes");
    assertThat(fieldNames(one)).containsExactly("unmatched_symbols");
    assertThat(one.path("unmatched_symbols").path("symbol").asText()).isEqualTo("XXXX");

    JsonNode several = Http.ok(sim, "/v1/markets/quotes?symbols=XXXX,YYYY").path("quotes");
    assertThat(several.path("unmatched_symbols").path("symbol").isArray()).isTrue();
    assertThat(several.path("unmatched_symbols").path("symbol")).extracting(JsonNode::asText)
        .containsExactly("XXXX", "YYYY");

    JsonNode mixed = Http.ok(sim, "/v1/markets/quotes?symbols=AAPL,XXXX").path("quotes");
    assertThat(fieldNames(mixed)).containsExactly("quote", "unmatched_symbols");
    assertThat(mixed.path("quote").isObject()).isTrue();
    assertThat(mixed.path("unmatched_symbols").path("symbol").asText()).isEqualTo("XXXX");
  }

  @Test
  void quotesAnOptionByItsOccSymbol() {
    JsonNode chain = Http.ok(sim, "/v1/markets/options/chains?symbol=AAPL&expiration=2026-04-17")
        .path("options").path("option");
    String symbol = chain.get(20).get("symbol").asText();
    JsonNode quote = Http.ok(sim, "/v1/markets/quotes?symbols=" + symbol + "&greeks=true").path("quotes").path("quote");
    assertThat(quote.get("symbol").asText()).isEqualTo(symbol);
    assertThat(quote.get("type").asText()).isEqualTo("option");
    assertThat(quote.get("bid")).isEqualTo(chain.get(20).get("bid"));
    assertThat(quote.path("greeks").isObject()).isTrue();
    JsonNode noGreeks = Http.ok(sim, "/v1/markets/quotes?symbols=" + symbol).path("quotes").path("quote");
    assertThat(noGreeks.has("greeks")).isFalse();
  }

  @Test
  void historyDaysAreAnArrayAndASingleDayAnObject() {
    JsonNode days = Http.ok(sim, "/v1/markets/history?symbol=AAPL&interval=daily&start=2026-03-02&end=2026-03-13")
        .path("history").path("day");
    assertThat(days.isArray()).isTrue();
    assertThat(days).hasSize(10);
    assertThat(fieldNames(days.get(0))).containsExactly("date", "open", "high", "low", "close", "volume");
    assertThat(days.get(0).get("date").asText()).isEqualTo("2026-03-02");
    assertThat(days.get(0).get("volume").isIntegralNumber()).isTrue();

    JsonNode one = Http.ok(sim, "/v1/markets/history?symbol=AAPL&start=2026-03-06&end=2026-03-06")
        .path("history").path("day");
    assertThat(one.isObject()).isTrue();
    assertThat(one.get("date").asText()).isEqualTo("2026-03-06");
  }

  @Test
  void historyIsNullWhenEmptyOrUnknown() {
    assertThat(Http.ok(sim, "/v1/markets/history?symbol=AAPL&start=2026-03-07&end=2026-03-08").get("history")
        .isNull()).as("a weekend").isTrue();
    assertThat(Http.ok(sim, "/v1/markets/history?symbol=XXXX").get("history").isNull()).isTrue();
    assertThat(Http.ok(sim, "/v1/markets/history?symbol=AAPL&start=2027-01-04&end=2027-02-01").get("history")
        .isNull()).as("the future").isTrue();
    assertThat(Http.ok(sim, "/v1/markets/history?symbol=AAPL&start=2027-01-04").get("history")
        .isNull()).as("a future start without an end").isTrue();
  }

  @Test
  void historyReachesTwoYearsBackAndEndsWithTodaysPartialBar() {
    JsonNode days = Http.ok(sim, "/v1/markets/history?symbol=SPY&start=2024-03-18").path("history").path("day");
    assertThat(days.size()).isGreaterThan(2 * 250);
    JsonNode today = days.get(days.size() - 1);
    assertThat(today.get("date").asText()).isEqualTo("2026-03-18");
    JsonNode quote = Http.ok(sim, "/v1/markets/quotes?symbols=SPY").path("quotes").path("quote");
    assertThat(today.get("close")).isEqualTo(quote.get("last"));
    assertThat(today.get("volume")).isEqualTo(quote.get("volume"));
  }

  @Test
  void weeklyAndMonthlyBarsAggregateDailyBars() {
    JsonNode daily = Http.ok(sim, "/v1/markets/history?symbol=MSFT&start=2026-02-02&end=2026-02-27")
        .path("history").path("day");
    JsonNode weekly = Http.ok(sim, "/v1/markets/history?symbol=MSFT&interval=weekly&start=2026-02-02&end=2026-02-27")
        .path("history").path("day");
    JsonNode monthly = Http.ok(sim, "/v1/markets/history?symbol=MSFT&interval=monthly&start=2026-02-02&end=2026-02-27")
        .path("history").path("day");
    assertThat(weekly).hasSize(4);
    assertThat(weekly).extracting(d -> d.get("date").asText())
        .containsExactly("2026-02-02", "2026-02-09", "2026-02-17", "2026-02-23");   // 02-16 Presidents' Day
    assertThat(monthly.isObject()).isTrue();
    long volume = 0;
    double high = 0;
    for (JsonNode d : daily) {
      volume += d.get("volume").asLong();
      high = Math.max(high, d.get("high").asDouble());
    }
    assertThat(monthly.get("volume").asLong()).isEqualTo(volume);
    assertThat(monthly.get("high").asDouble()).isEqualTo(high);
    assertThat(monthly.get("open")).isEqualTo(daily.get(0).get("open"));
    assertThat(monthly.get("close")).isEqualTo(daily.get(daily.size() - 1).get("close"));
  }

  @Test
  void expirationsAreDateStrings() {
    JsonNode dates = Http.ok(sim, "/v1/markets/options/expirations?symbol=AAPL").path("expirations").path("date");
    assertThat(dates.isArray()).isTrue();
    assertThat(dates.size()).isGreaterThanOrEqualTo(15);
    assertThat(dates).allSatisfy(d -> assertThat(d.asText()).matches(DATE));
    assertThat(dates.get(0).asText()).isEqualTo("2026-03-20");
  }

  @Test
  void expirationsWithStrikesListStrikeArrays() {
    JsonNode expirations = Http.ok(sim,
        "/v1/markets/options/expirations?symbol=AAPL&strikes=true&contractSize=true&expirationType=true")
        .path("expirations").path("expiration");
    assertThat(expirations.isArray()).isTrue();
    JsonNode first = expirations.get(0);
    assertThat(fieldNames(first)).containsExactly("date", "contract_size", "expiration_type", "strikes");
    assertThat(first.get("contract_size").asInt()).isEqualTo(100);
    assertThat(first.get("expiration_type").asText()).isEqualTo("standard");
    assertThat(expirations.get(1).get("expiration_type").asText()).isEqualTo("weeklys");
    JsonNode strikes = first.path("strikes").path("strike");
    assertThat(strikes.isArray()).isTrue();
    assertThat(strikes).allSatisfy(s -> assertThat(s.isNumber()).isTrue());

    JsonNode chain = Http.ok(sim, "/v1/markets/options/chains?symbol=AAPL&expiration=" + first.get("date").asText())
        .path("options").path("option");
    List<Double> chainStrikes = new ArrayList<>();
    for (JsonNode o : chain) {
      if (!chainStrikes.contains(o.get("strike").asDouble())) {
        chainStrikes.add(o.get("strike").asDouble());
      }
    }
    assertThat(strikes).extracting(JsonNode::asDouble).containsExactlyElementsOf(chainStrikes);
  }

  @Test
  void expirationsAreNullForAnUnknownSymbol() {
    assertThat(Http.ok(sim, "/v1/markets/options/expirations?symbol=XXXX").get("expirations").isNull()).isTrue();
  }

  @Test
  void chainsListTradierOptionFieldsWithGreeks() {
    JsonNode options = Http.ok(sim, "/v1/markets/options/chains?symbol=SPY&expiration=2026-04-17&greeks=true")
        .path("options").path("option");
    assertThat(options.isArray()).isTrue();
    assertThat(options.size()).isGreaterThan(20);
    for (JsonNode o : options) {
      assertThat(fieldNames(o)).containsExactly("symbol", "description", "exch", "type", "last", "change",
          "volume", "open", "high", "low", "close", "bid", "ask", "underlying", "strike",
          "change_percentage", "average_volume", "last_volume", "trade_date", "prevclose", "week_52_high",
          "week_52_low", "bidsize", "bidexch", "bid_date", "asksize", "askexch", "ask_date", "open_interest",
          "contract_size", "expiration_date", "expiration_type", "option_type", "root_symbol", "greeks");
      assertThat(fieldNames(o.get("greeks"))).containsExactly("delta", "gamma", "theta", "vega", "rho", "phi",
          "bid_iv", "mid_iv", "ask_iv", "smv_vol", "updated_at");
      String symbol = o.get("symbol").asText();
      assertThat(symbol).matches(OCC).startsWith("SPY260417");
      long strikeMillis = Math.round(o.get("strike").asDouble() * 1000);
      assertThat(symbol).endsWith(String.format("%08d", strikeMillis));
      assertThat(symbol.charAt(9)).isEqualTo(o.get("option_type").asText().equals("call") ? 'C' : 'P');
      assertThat(o.get("underlying").asText()).isEqualTo("SPY");
      assertThat(o.get("type").asText()).isEqualTo("option");
      assertThat(o.get("expiration_date").asText()).isEqualTo("2026-04-17");
      assertThat(o.get("expiration_type").asText()).isEqualTo("standard");
      assertThat(o.get("contract_size").asInt()).isEqualTo(100);
      assertThat(o.get("open_interest").isIntegralNumber()).isTrue();
      assertThat(o.get("greeks").get("updated_at").asText()).isEqualTo("2026-03-18 15:00:00"); // UTC, as Tradier's
      assertThat(o.get("close").isNull()).isTrue();
    }
    JsonNode first = options.get(0);
    assertThat(first.get("description").asText()).matches("SPY Apr 17 2026 \\$\\d+\\.\\d{2} Call");
    assertThat(options.get(1).get("option_type").asText()).isEqualTo("put");
  }

  @Test
  void chainsOmitGreeksUnlessAsked() {
    JsonNode option = Http.ok(sim, "/v1/markets/options/chains?symbol=SPY&expiration=2026-04-17")
        .path("options").path("option").get(0);
    assertThat(option.has("greeks")).isFalse();
  }

  @Test
  void chainsAreNullForAnUnknownSymbolOrExpiration() {
    assertThat(Http.ok(sim, "/v1/markets/options/chains?symbol=XXXX&expiration=2026-04-17").get("options")
        .isNull()).isTrue();
    assertThat(Http.ok(sim, "/v1/markets/options/chains?symbol=AAPL&expiration=2026-04-16").get("options")
        .isNull()).isTrue();
    assertThat(Http.ok(sim, "/v1/markets/options/chains?symbol=AAPL&expiration=2026-03-13").get("options")
        .isNull()).as("already expired").isTrue();
  }

  @Test
  void lookupAnswersOneAsObjectSeveralAsArrayNoneAsNull() {
    JsonNode one = Http.ok(sim, "/v1/markets/lookup?q=apple").path("securities").path("security");
    assertThat(one.isObject()).isTrue();
    assertThat(fieldNames(one)).containsExactly("symbol", "exchange", "type", "description");
    assertThat(one.get("symbol").asText()).isEqualTo("AAPL");

    JsonNode several = Http.ok(sim, "/v1/markets/lookup?q=S").path("securities").path("security");
    assertThat(several.isArray()).isTrue();
    assertThat(several.get(0).get("symbol").asText()).startsWith("S");

    JsonNode etfs = Http.ok(sim, "/v1/markets/lookup?q=spdr&types=etf&exchanges=P").path("securities").path("security");
    assertThat(etfs).allSatisfy(s -> {
      assertThat(s.get("type").asText()).isEqualTo("etf");
      assertThat(s.get("exchange").asText()).isEqualTo("P");
    });

    assertThat(Http.ok(sim, "/v1/markets/lookup?q=zzzzzz").get("securities").isNull()).isTrue();
  }

  @Test
  void everyMarketAnswerCarriesRateLimitHeaders() {
    for (String path : List.of("/v1/markets/quotes?symbols=AAPL", "/v1/markets/history?symbol=AAPL",
        "/v1/markets/options/expirations?symbol=AAPL", "/v1/markets/options/chains?symbol=AAPL&expiration=2026-03-20",
        "/v1/markets/lookup?q=a", "/v1/markets/history?symbol=AAPL&start=nope")) {
      HttpResponse<String> response = Http.get(sim, path);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
          ct -> assertThat(ct).startsWith("application/json"));
      long allowed = header(response, "X-Ratelimit-Allowed");
      long used = header(response, "X-Ratelimit-Used");
      assertThat(allowed).isEqualTo(120);
      assertThat(used).isPositive();
      assertThat(header(response, "X-Ratelimit-Available")).isEqualTo(Math.max(0, allowed - used));
      assertThat(header(response, "X-Ratelimit-Expiry")).isEqualTo(
          java.time.Instant.parse("2026-03-18T15:01:00Z").toEpochMilli());
    }
  }

  @Test
  void universeListsSymbolsWithNamesAndTypes() {
    JsonNode universe = Http.ok(sim, "/sim/universe");
    assertThat(universe.isArray()).isTrue();
    assertThat(universe.size()).isBetween(20, 50).isEqualTo(sim.symbols().size());
    assertThat(fieldNames(universe.get(0))).containsExactly("symbol", "description", "type", "exchange");
    assertThat(universe).extracting(u -> u.get("type").asText()).contains("stock", "etf");
  }

  @Test
  void acceptsQuotesByPostForLongSymbolLists() {
    HttpResponse<String> response = Http.send(Http.request(sim, "/v1/markets/quotes")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("symbols=AAPL,MSFT")).build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Http.json(response).path("quotes").path("quote")).hasSize(2);
  }

  static long header(HttpResponse<String> response, String name) {
    return Long.parseLong(response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name)));
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
