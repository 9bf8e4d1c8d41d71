package dev.optionchain.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad requests get Tradier-style 400 fault bodies, never a 500 or a stack trace. */
class BadInputTest {

  private static MarketSim sim;

  @BeforeAll
  static void start() {
    sim = MarketSim.builder().clock(TestClock.at("2026-03-18T15:00:00Z")).start();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "/v1/markets/quotes                                              | Missing required parameter: symbols",
      "/v1/markets/quotes?symbols=,%20,                                | Missing required parameter: symbols",
      "/v1/markets/quotes?symbols=AAPL&greeks=maybe                    | Invalid parameter greeks='maybe'",
      "/v1/markets/history                                             | Missing required parameter: symbol",
      "/v1/markets/history?symbol=AAPL&interval=hourly                 | Invalid parameter interval='hourly'",
      "/v1/markets/history?symbol=AAPL&start=2026-02-30                | Invalid parameter start='2026-02-30'",
      "/v1/markets/history?symbol=AAPL&start=03/01/2026                | Invalid parameter start='03/01/2026'",
      "/v1/markets/history?symbol=AAPL&end=12026-01-01                 | Invalid parameter end='12026-01-01'",
      "/v1/markets/history?symbol=AAPL&start=1900-01-01                | Invalid parameter start='1900-01-01'",
      "/v1/markets/history?symbol=AAPL&start=2026-03-10&end=2026-03-01 | Invalid range: start 2026-03-10 is after end",
      "/v1/markets/history?symbol=AAPL&start=1990-01-01&end=2026-01-01 | spans more than 25 years",
      "/v1/markets/options/expirations                                 | Missing required parameter: symbol",
      "/v1/markets/options/expirations?symbol=AAPL&strikes=yes         | Invalid parameter strikes='yes'",
      "/v1/markets/options/chains?symbol=AAPL                          | Missing required parameter: expiration",
      "/v1/markets/options/chains?expiration=2026-04-17                | Missing required parameter: symbol",
      "/v1/markets/options/chains?symbol=AAPL&expiration=April         | Invalid parameter expiration='April'",
      "/v1/markets/lookup                                              | Missing required parameter: q",
      "/v1/markets/lookup?q=%20                                        | Missing required parameter: q"})
  void answers400WithAFaultBody(String path, String message) {
    HttpResponse<String> response = Http.get(sim, path);
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode fault = Http.json(response).path("fault");
    assertThat(fault.path("faultstring").asText()).contains(message);
    assertThat(fault.path("detail").path("errorcode").asText()).startsWith("request.");
    assertThat(response.body()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void tenYearsOfHistoryIsFine() {
    JsonNode days = Http.ok(sim, "/v1/markets/history?symbol=KO&start=2016-03-18&end=2026-03-18")
        .path("history").path("day");
    assertThat(days.size()).isGreaterThan(2500);
  }

  @Test
  void refusesMoreThanAHundredSymbols() {
    StringBuilder symbols = new StringBuilder("S0");
    for (int i = 1; i <= 100; i++) {
      symbols.append(",S").append(i);
    }
    HttpResponse<String> response = Http.get(sim, "/v1/markets/quotes?symbols=" + symbols);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(Http.json(response).path("fault").path("faultstring").asText()).contains("Too many symbols: 101");
  }

  @Test
  void refusesOversizedQueryStrings() {
    HttpResponse<String> response = Http.get(sim, "/v1/markets/quotes?symbols=AAPL&pad=" + "x".repeat(5000));
    assertThat(response.statusCode()).isEqualTo(414);
    assertThat(Http.json(response).path("fault").path("detail").path("errorcode").asText())
        .isEqualTo("request.uri_too_long");
  }

  @Test
  void refusesOversizedBodiesWithAFaultBody() {
    HttpResponse<String> response = Http.send(Http.request(sim, "/v1/markets/quotes")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("symbols=" + "A,".repeat(600_000))).build());
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(Http.json(response).path("fault").path("faultstring").asText()).isNotBlank();
  }

  @Test
  void unknownPathsAnswer404Json() {
    HttpResponse<String> market = Http.get(sim, "/v1/markets/nothing");
    assertThat(market.statusCode()).isEqualTo(404);
    assertThat(Http.json(market).path("fault").path("faultstring").asText()).contains("/v1/markets/nothing");
    HttpResponse<String> control = Http.get(sim, "/sim/nothing");
    assertThat(control.statusCode()).isEqualTo(404);
    assertThat(Http.json(control).path("error").asText()).contains("/sim/nothing");
  }

  @Test
  void oddButHarmlessSymbolsAreUnmatched() {
    JsonNode quotes = Http.ok(sim, "/v1/markets/quotes?symbols=%3Cscript%3E,AAPL261318C00200000,%E2%82%AC")
        .path("quotes");
    assertThat(quotes.path("unmatched_symbols").path("symbol")).hasSize(3);
  }
}
