package dev.optionchain.dashboard.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optionchain.dashboard.model.Bar;
import dev.optionchain.dashboard.model.Expirations;
import dev.optionchain.dashboard.model.Interval;
import dev.optionchain.dashboard.model.OptionChain;
import dev.optionchain.dashboard.model.OptionContract;
import dev.optionchain.dashboard.model.OptionType;
import dev.optionchain.dashboard.model.PriceHistory;
import dev.optionchain.dashboard.model.Quote;
import dev.optionchain.dashboard.upstream.UpstreamFailureException.Kind;
import dev.optionchain.marketsim.MarketSim;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client against the real simulator: every endpoint parsed field by field, unknown symbols, the token. The
 * simulator's clock is fixed on a Wednesday during the session, so its answers are deterministic.
 */
class TradierClientSimTest {

  static final Instant NOW = Instant.parse("2026-03-18T15:00:00Z"); // 11:00 in New York
  static final LocalDate TODAY = LocalDate.of(2026, 3, 18);
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  static final String TOKEN = "sim-token";

  private static final ObjectMapper JSON = new ObjectMapper();

  private static MarketSim sim;
  private static TradierClient client;
  private static String symbol;

  @BeforeAll
  static void start() {
    sim = MarketSim.builder().port(0).seed(42).token(TOKEN).clock(Clock.fixed(NOW, ZoneOffset.UTC)).start();
    client = new TradierClient(URI.create(sim.baseUrl()), TOKEN, Duration.ofSeconds(2));
    symbol = sim.symbols().get(0);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void quoteMapsEveryTradierField() throws Exception {
    Quote q = client.quote(symbol, TIMEOUT);
    JsonNode raw = raw("/v1/markets/quotes?symbols=" + symbol).path("quotes").path("quote");

    assertThat(q.symbol()).isEqualTo(symbol);
    assertThat(q.description()).isNotBlank().isEqualTo(raw.get("description").asText());
    assertThat(q.exchange()).isNotBlank().isEqualTo(raw.get("exch").asText());
    assertThat(q.type()).isIn("stock", "etf").isEqualTo(raw.get("type").asText());
    assertThat(q.last()).isEqualTo(number(raw, "last"));
    assertThat(q.change()).isEqualTo(number(raw, "change"));
    assertThat(q.changePercentage()).isEqualTo(number(raw, "change_percentage"));
    assertThat(q.volume()).isEqualTo(raw.get("volume").asLong());
    assertThat(q.averageVolume()).isEqualTo(raw.get("average_volume").asLong());
    assertThat(q.tradeTime()).isEqualTo(Instant.ofEpochMilli(raw.get("trade_date").asLong()));
    assertThat(q.open()).isEqualTo(number(raw, "open"));
    assertThat(q.high()).isEqualTo(number(raw, "high"));
    assertThat(q.low()).isEqualTo(number(raw, "low"));
    assertThat(q.close()).as("null while the session is open").isNull();
    assertThat(raw.get("close").isNull()).isTrue();
    assertThat(q.prevClose()).isEqualTo(number(raw, "prevclose"));
    assertThat(q.week52High()).isEqualTo(number(raw, "week_52_high"));
    assertThat(q.week52Low()).isEqualTo(number(raw, "week_52_low"));
    assertThat(q.bid()).isEqualTo(number(raw, "bid"));
    assertThat(q.bidSize()).isEqualTo(raw.get("bidsize").asLong());
    assertThat(q.ask()).isEqualTo(number(raw, "ask"));
    assertThat(q.askSize()).isEqualTo(raw.get("asksize").asLong());
  }

  @Test
  void quotesArePlausible() {
    for (String s : sim.symbols().subList(0, 5)) {
      Quote q = client.quote(s, TIMEOUT);
      assertThat(q.symbol()).isEqualTo(s);
      assertThat(q.last()).isPositive();
      assertThat(q.bid()).isPositive().isLessThanOrEqualTo(q.ask());
      assertThat(q.bidSize()).isPositive();
      assertThat(q.askSize()).isPositive();
      assertThat(q.low()).isLessThanOrEqualTo(q.high());
      assertThat(q.week52Low()).isLessThanOrEqualTo(q.week52High());
      assertThat(q.prevClose()).isPositive();
      assertThat(q.averageVolume()).isPositive();
      assertThat(q.tradeTime()).isBeforeOrEqualTo(NOW).isAfter(NOW.minus(Duration.ofDays(1)));
    }
  }

  @Test
  void dailyHistoryHasBarsWithinTheRangeOldestFirst() {
    LocalDate start = TODAY.minusDays(30);
    PriceHistory h = client.history(symbol, Interval.DAILY, start, TODAY, TIMEOUT);

    assertThat(h.symbol()).isEqualTo(symbol);
    assertThat(h.interval()).isEqualTo(Interval.DAILY);
    assertThat(h.bars()).hasSizeBetween(15, 23); // trading days in 30 calendar days
    assertThat(h.bars()).extracting(Bar::date).isSorted().doesNotHaveDuplicates()
        .allSatisfy(d -> assertThat(d).isBetween(start, TODAY));
    for (Bar b : h.bars()) {
      assertThat(b.low()).isPositive().isLessThanOrEqualTo(Math.min(b.open(), b.close()));
      assertThat(b.high()).isGreaterThanOrEqualTo(Math.max(b.open(), b.close()));
      assertThat(b.volume()).isPositive();
    }
  }

  @Test
  void weeklyHistoryHasFewerBarsThanDaily() {
    LocalDate start = TODAY.minusMonths(6);
    PriceHistory weekly = client.history(symbol, Interval.WEEKLY, start, TODAY, TIMEOUT);
    PriceHistory daily = client.history(symbol, Interval.DAILY, start, TODAY, TIMEOUT);

    assertThat(weekly.bars()).hasSizeBetween(24, 28);
    assertThat(weekly.bars().size()).isLessThan(daily.bars().size());
    assertThat(weekly.bars()).extracting(Bar::date).isSorted().doesNotHaveDuplicates()
        .allSatisfy(d -> assertThat(d).isBetween(start, TODAY));
  }

  @Test
  void expirationsAreSortedAndNotBeforeTheSimulatedDay() {
    Expirations e = client.expirations(symbol, TIMEOUT);

    assertThat(e.symbol()).isEqualTo(symbol);
    assertThat(e.dates()).hasSizeGreaterThan(4).isSorted().doesNotHaveDuplicates()
        .allSatisfy(d -> assertThat(d).isAfterOrEqualTo(TODAY));
    assertThat(e.dates().get(0)).isBefore(TODAY.plusDays(8));
  }

  @Test
  void chainHasCallsAndPutsWithGreeks() {
    LocalDate expiration = client.expirations(symbol, TIMEOUT).dates().get(2);
    OptionChain chain = client.chain(symbol, expiration, TIMEOUT);

    assertThat(chain.underlying()).isEqualTo(symbol);
    assertThat(chain.expiration()).isEqualTo(expiration);
    assertThat(chain.contracts()).hasSizeGreaterThan(10).extracting(OptionContract::type)
        .contains(OptionType.CALL, OptionType.PUT);
    assertThat(chain.rows()).allSatisfy(row -> {
      assertThat(row.call()).isNotNull();
      assertThat(row.put()).isNotNull();
    });
    for (OptionContract c : chain.contracts()) {
      assertThat(c.underlying()).isEqualTo(symbol);
      assertThat(c.expiration()).isEqualTo(expiration);
      assertThat(c.symbol()).startsWith(symbol);
      assertThat(c.strike()).isPositive();
      assertThat(c.contractSize()).isEqualTo(100);
      assertThat(c.bid()).isNotNull().isLessThanOrEqualTo(c.ask());
      assertThat(c.openInterest()).isNotNull().isNotNegative();
      assertThat(c.greeks()).isNotNull();
      assertThat(c.greeks().midIv()).isPositive();
      assertThat(c.greeks().updatedAt()).isNotBlank();
      if (c.type() == OptionType.CALL) {
        assertThat(c.greeks().delta()).isBetween(0.0, 1.0);
      } else {
        assertThat(c.greeks().delta()).isBetween(-1.0, 0.0);
      }
    }
  }

  @Test
  void chainContractMapsEveryTradierField() throws Exception {
    LocalDate expiration = client.expirations(symbol, TIMEOUT).dates().get(1);
    OptionChain chain = client.chain(symbol, expiration, TIMEOUT);
    JsonNode raw = raw("/v1/markets/options/chains?symbol=" + symbol + "&expiration=" + expiration + "&greeks=true")
        .path("options").path("option").get(0);
    OptionContract c = chain.contracts().stream().filter(o -> o.symbol().equals(raw.get("symbol").asText()))
        .findFirst().orElseThrow();

    assertThat(c.underlying()).isEqualTo(raw.get("underlying").asText());
    assertThat(c.type().wireName()).isEqualTo(raw.get("option_type").asText());
    assertThat(c.strike()).isEqualTo(raw.get("strike").asDouble());
    assertThat(c.expiration()).isEqualTo(LocalDate.parse(raw.get("expiration_date").asText()));
    assertThat(c.expirationType()).isEqualTo(raw.get("expiration_type").asText());
    assertThat(c.contractSize()).isEqualTo(raw.get("contract_size").asInt());
    assertThat(c.last()).isEqualTo(number(raw, "last"));
    assertThat(c.change()).isEqualTo(number(raw, "change"));
    assertThat(c.bid()).isEqualTo(number(raw, "bid"));
    assertThat(c.bidSize()).isEqualTo(raw.get("bidsize").asLong());
    assertThat(c.ask()).isEqualTo(number(raw, "ask"));
    assertThat(c.askSize()).isEqualTo(raw.get("asksize").asLong());
    assertThat(c.volume()).isEqualTo(raw.get("volume").asLong());
    assertThat(c.openInterest()).isEqualTo(raw.get("open_interest").asLong());
    JsonNode g = raw.get("greeks");
    assertThat(c.greeks().delta()).isEqualTo(number(g, "delta"));
    assertThat(c.greeks().gamma()).isEqualTo(number(g, "gamma"));
    assertThat(c.greeks().theta()).isEqualTo(number(g, "theta"));
    assertThat(c.greeks().vega()).isEqualTo(number(g, "vega"));
    assertThat(c.greeks().rho()).isEqualTo(number(g, "rho"));
    assertThat(c.greeks().phi()).isEqualTo(number(g, "phi"));
    assertThat(c.greeks().bidIv()).as("an IV of 0 is a placeholder").isEqualTo(ivOrNull(g, "bid_iv"));
    assertThat(c.greeks().midIv()).as("an IV of 0 is a placeholder").isEqualTo(ivOrNull(g, "mid_iv"));
    assertThat(c.greeks().askIv()).as("an IV of 0 is a placeholder").isEqualTo(ivOrNull(g, "ask_iv"));
    assertThat(c.greeks().smvVol()).as("an IV of 0 is a placeholder").isEqualTo(ivOrNull(g, "smv_vol"));
    assertThat(c.greeks().updatedAt()).isEqualTo(g.get("updated_at").asText());
  }

  @Test
  void lookupFindsTheSymbol() {
    List<TradierClient.Security> found = client.lookup(symbol, TIMEOUT);

    assertThat(found).anySatisfy(s -> {
      assertThat(s.symbol()).isEqualTo(symbol);
      assertThat(s.exchange()).isNotBlank();
      assertThat(s.type()).isIn("stock", "etf");
      assertThat(s.description()).isNotBlank();
    });
    assertThat(client.lookup("QQQQZZZZ", TIMEOUT)).isEmpty();
  }

  @Test
  void unknownSymbolIsUnknownForQuotesAndEmptyElsewhere() {
    assertThatThrownBy(() -> client.quote("ZZZZ", TIMEOUT)).isInstanceOfSatisfying(UnknownSymbolException.class,
        e -> assertThat(e.symbol()).isEqualTo("ZZZZ"));

    assertThat(client.expirations("ZZZZ", TIMEOUT).dates()).isEmpty();
    assertThat(client.chain("ZZZZ", TODAY.plusDays(30), TIMEOUT).contracts()).isEmpty();
    assertThat(client.history("ZZZZ", Interval.DAILY, TODAY.minusDays(30), TODAY, TIMEOUT).bars()).isEmpty();
  }

  @Test
  void unlistedExpirationIsAnEmptyChain() {
    assertThat(client.chain(symbol, TODAY.plusYears(10), TIMEOUT).contracts()).isEmpty();
  }

  @Test
  void queryParametersAreEncoded() {
    // unencoded, '&' would split the parameter and the simulator would answer for "A" alone (EMPTY)
    String odd = "A&symbols=" + symbol;
    assertThatThrownBy(() -> client.quote(odd, TIMEOUT)).isInstanceOf(UnknownSymbolException.class);
  }

  @Test
  void invalidParametersAreABadRequestWithTradiersExplanation() {
    assertThatThrownBy(() -> client.history(symbol, Interval.DAILY, TODAY, TODAY.minusDays(5), TIMEOUT))
        .isInstanceOf(UpstreamBadRequestException.class)
        .hasMessageContaining("Invalid range");
  }

  @Test
  void wrongOrMissingTokenIsUnauthorizedAndTheRightOneIsNot() {
    TradierClient wrong = new TradierClient(URI.create(sim.baseUrl()), "not-the-token", Duration.ofSeconds(2));
    TradierClient none = new TradierClient(URI.create(sim.baseUrl()), null, Duration.ofSeconds(2));

    for (TradierClient c : List.of(wrong, none)) {
      assertThatThrownBy(() -> c.quote(symbol, TIMEOUT)).isInstanceOfSatisfying(UpstreamFailureException.class, e -> {
        assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getMessage()).contains("Invalid Access Token").doesNotContain(TOKEN);
      });
    }
    assertThat(client.quote(symbol, TIMEOUT).symbol()).isEqualTo(symbol);
  }

  /** The simulator's answer as JSON, fetched without the client under test. */
  private static JsonNode raw(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + pathAndQuery))
            .header("Authorization", "Bearer " + TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static Double number(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asDouble();
  }

  /** The client reads an implied volatility of 0 as "none" (Tradier's placeholder). */
  private static Double ivOrNull(JsonNode parent, String field) {
    Double d = number(parent, field);
    return d == null || d == 0.0 ? null : d;
  }
}
