package dev.optionchain.dashboard.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.Headers;
import dev.optionchain.breaker.testing.ManualClock;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.optionchain.dashboard.model.Bar;
import dev.optionchain.dashboard.model.Interval;
import dev.optionchain.dashboard.model.OptionChain;
import dev.optionchain.dashboard.model.OptionContract;
import dev.optionchain.dashboard.model.OptionType;
import dev.optionchain.dashboard.model.Quote;
import dev.optionchain.dashboard.upstream.UpstreamFailureException.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Answers the simulator cannot give (single objects for lists, wrong shapes, odd statuses, {@code Retry-After}
 * forms, a body that stalls), served by a real JDK {@link HttpServer} on port 0 that replies with a canned answer
 * and records what it was asked.
 */
class TradierClientShapeTest {

  static final Instant NOW = Instant.parse("2026-03-18T15:00:00Z");
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  static final String TOKEN = "s3cr3t-t0ken";

  private static HttpServer server;
  private static ExecutorService executor;
  private static String base;
  private static final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private static volatile Canned canned;
  private static volatile CountDownLatch release;

  private TradierClient client;
  /** The rate-limit headers the client reported. */
  private final List<RateLimit> limits = new CopyOnWriteArrayList<>();

  /** What the server answers next. */
  private record Canned(int status, String contentType, String body, Map<String, String> headers, boolean stall) {}

  /** What the server was asked. */
  private record Recorded(String path, String rawQuery, Headers headers) {}

  @BeforeAll
  static void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    // only these paths exist; anything else gets the server's own 404
    server.createContext("/v1/", TradierClientShapeTest::handle);
    server.createContext("/proxy/v1/", TradierClientShapeTest::handle);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stopServer() {
    server.stop(0);
    executor.shutdownNow();
  }

  @BeforeEach
  void reset() {
    requests.clear();
    canned = new Canned(200, "application/json", "{}", Map.of(), false);
    release = new CountDownLatch(1);
    client = new TradierClient(URI.create(base), TOKEN, Duration.ofSeconds(2), new ManualClock(NOW), limits::add);
  }

  @AfterEach
  void releaseStalledAnswers() {
    release.countDown();
  }

  private static void handle(HttpExchange exchange) throws IOException {
    requests.add(new Recorded(exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
        exchange.getRequestHeaders()));
    Canned c = canned;
    CountDownLatch stalled = release;
    byte[] body = c.body().getBytes(StandardCharsets.UTF_8);
    c.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    if (c.contentType() != null) {
      exchange.getResponseHeaders().add("Content-Type", c.contentType());
    }
    try (OutputStream out = exchange.getResponseBody()) {
      if (c.stall()) {
        exchange.sendResponseHeaders(c.status(), 0); // chunked: headers now, the body never finishes
        out.write(body);
        out.flush();
        stalled.await(10, TimeUnit.SECONDS);
        return;
      }
      exchange.sendResponseHeaders(c.status(), body.length == 0 ? -1 : body.length);
      out.write(body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void answer(int status, String body, String... headerPairs) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.put(headerPairs[i], headerPairs[i + 1]);
    }
    canned = new Canned(status, "application/json", body, headers, false);
  }

  private void answer(String body) {
    answer(200, body);
  }

  // ---- the request ------------------------------------------------------------------------------------------

  @Test
  void sendsAcceptTheBearerTokenAndAnEncodedQuery() {
    answer("{\"quotes\":{\"quote\":{\"symbol\":\"BRK B&x=1\"}}}");

    client.quote("BRK B&x=1", TIMEOUT);

    Recorded r = requests.get(0);
    assertThat(r.path()).isEqualTo("/v1/markets/quotes");
    assertThat(r.rawQuery()).isEqualTo("symbols=BRK%20B%26x%3D1");
    assertThat(r.headers().getFirst("Accept")).isEqualTo("application/json");
    assertThat(r.headers().getFirst("Authorization")).isEqualTo("Bearer " + TOKEN);
  }

  @Test
  void sendsNoAuthorizationWithoutAToken() {
    answer("{\"securities\":null}");
    TradierClient anonymous = new TradierClient(URI.create(base), null, Duration.ofSeconds(2));

    anonymous.lookup("apple", TIMEOUT);

    assertThat(requests.get(0).headers().containsKey("Authorization")).isFalse();
    assertThat(anonymous.toString()).doesNotContain("token");
    assertThat(client.toString()).doesNotContain(TOKEN);
  }

  @Test
  void sendsEachEndpointsParameters() {
    answer("{\"history\":null}");
    client.history("AAPL", Interval.WEEKLY, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 3, 1), TIMEOUT);
    answer("{\"options\":null}");
    client.chain("AAPL", LocalDate.of(2026, 4, 17), TIMEOUT);
    answer("{\"expirations\":null}");
    client.expirations("AAPL", TIMEOUT);
    answer("{\"securities\":null}");
    client.lookup("apple inc", TIMEOUT);
    answer("{\"history\":null}");
    client.history("AAPL", Interval.DAILY, null, null, TIMEOUT);

    assertThat(requests).extracting(r -> r.path() + "?" + r.rawQuery()).containsExactly(
        "/v1/markets/history?symbol=AAPL&interval=weekly&start=2026-01-01&end=2026-03-01",
        "/v1/markets/options/chains?symbol=AAPL&expiration=2026-04-17&greeks=true",
        "/v1/markets/options/expirations?symbol=AAPL&includeAllRoots=true",
        "/v1/markets/lookup?q=apple%20inc",
        "/v1/markets/history?symbol=AAPL&interval=daily");
  }

  @Test
  void keepsThePathPrefixOfTheBaseUrl() {
    answer("{\"expirations\":null}");
    TradierClient proxied = new TradierClient(URI.create(base + "/proxy/"), TOKEN, Duration.ofSeconds(2));

    proxied.expirations("AAPL", TIMEOUT);

    assertThat(proxied.baseUrl()).hasToString(base + "/proxy");
    assertThat(requests.get(0).path()).isEqualTo("/proxy/v1/markets/options/expirations");
  }

  // ---- shapes -----------------------------------------------------------------------------------------------

  @Test
  void quoteMapsFieldsAndReadsNullNumbersAsNull() {
    answer("""
        {"quotes":{"quote":{"symbol":"AAPL","description":"Apple Inc","exch":"Q","type":"stock","last":270.5,
          "change":-1.25,"change_percentage":-0.46,"volume":1234567,"average_volume":50000000,
          "trade_date":1773846000000,"open":null,"high":271.0,"low":269.0,"close":null,"prevclose":271.75,
          "week_52_high":300.0,"week_52_low":180.0,"bid":270.45,"bidsize":3,"ask":270.55,"asksize":5.0,
          "root_symbols":"AAPL","bidexch":"Q"}}}""");

    Quote q = client.quote("AAPL", TIMEOUT);

    assertThat(q).isEqualTo(new Quote("AAPL", "Apple Inc", "Q", "stock", 270.5, -1.25, -0.46, 1_234_567L,
        50_000_000L, Instant.ofEpochMilli(1_773_846_000_000L), null, 271.0, 269.0, null, 271.75, 300.0, 180.0,
        270.45, 3L, 270.55, 5L));
  }

  @Test
  void quoteWithATradeDateOfZeroHasNoTradeTime() {
    answer("{\"quotes\":{\"quote\":{\"symbol\":\"AAPL\",\"trade_date\":0}}}");

    assertThat(client.quote("AAPL", TIMEOUT).tradeTime()).isNull();
  }

  @Test
  void quoteIsPickedFromAnArrayByTheAskedSymbol() {
    answer("{\"quotes\":{\"quote\":[{\"symbol\":\"MSFT\",\"last\":1},{\"symbol\":\"AAPL\",\"last\":2}]}}");

    assertThat(client.quote("AAPL", TIMEOUT).last()).isEqualTo(2.0);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"quotes\":{\"unmatched_symbols\":{\"symbol\":\"ZZZZ\"}}}",
      "{\"quotes\":{\"unmatched_symbols\":{\"symbol\":[\"YYYY\",\"ZZZZ\"]}}}",
      "{\"quotes\":{\"quote\":{\"symbol\":\"AAPL\"},\"unmatched_symbols\":{\"symbol\":\"ZZZZ\"}}}"})
  void unmatchedSymbolIsUnknown(String body) {
    answer(body);

    assertThatThrownBy(() -> client.quote("ZZZZ", TIMEOUT)).isInstanceOfSatisfying(UnknownSymbolException.class,
        e -> assertThat(e.symbol()).isEqualTo("ZZZZ"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"quotes\":null}",
      "{\"quotes\":{\"quote\":{\"symbol\":\"MSFT\"}}}",
      "{\"quotes\":{\"unmatched_symbols\":{\"symbol\":\"YYYY\"}}}"})
  void quotesWithoutTheAskedSymbolAreEmpty(String body) {
    answer(body);

    UpstreamFailureException e = failure(() -> client.quote("AAPL", TIMEOUT));

    assertThat(e.kind()).isEqualTo(Kind.EMPTY);
    assertThat(e.status()).isEqualTo(200);
  }

  @Test
  void singleOptionObjectIsAChainOfOne() {
    answer("""
        {"options":{"option":{"symbol":"AAPL260417C00270000","underlying":"AAPL","option_type":"call",
          "strike":270.0,"expiration_date":"2026-04-17","expiration_type":"standard","contract_size":100,
          "last":null,"change":null,"bid":9.5,"bidsize":10,"ask":9.7,"asksize":12,"volume":0,"open_interest":431,
          "greeks":{"delta":0.52,"gamma":0.01,"theta":-0.12,"vega":0.3,"rho":0.1,"phi":-0.1,"bid_iv":0.28,
            "mid_iv":0.285,"ask_iv":0.29,"smv_vol":0.284,"updated_at":"2026-03-18 10:59:00"}}}}""");

    OptionChain chain = client.chain("AAPL", LocalDate.of(2026, 4, 17), TIMEOUT);

    assertThat(chain.contracts()).hasSize(1);
    OptionContract c = chain.contracts().get(0);
    assertThat(c.symbol()).isEqualTo("AAPL260417C00270000");
    assertThat(c.type()).isEqualTo(OptionType.CALL);
    assertThat(c.strike()).isEqualTo(270.0);
    assertThat(c.expiration()).isEqualTo(LocalDate.of(2026, 4, 17));
    assertThat(c.expirationType()).isEqualTo("standard");
    assertThat(c.contractSize()).isEqualTo(100);
    assertThat(c.last()).isNull();
    assertThat(c.bidSize()).isEqualTo(10L);
    assertThat(c.openInterest()).isEqualTo(431L);
    assertThat(c.greeks().delta()).isEqualTo(0.52);
    assertThat(c.greeks().smvVol()).isEqualTo(0.284);
    assertThat(c.greeks().updatedAt()).isEqualTo("2026-03-18 10:59:00");
  }

  @Test
  void optionsWithoutGreeksHaveNullGreeks() {
    answer("""
        {"options":{"option":[
          {"symbol":"X1","root_symbol":"AAPL","underlying":"AAPL","option_type":"put","strike":250,
           "expiration_date":"2026-04-17"},
          {"symbol":"X2","root_symbol":"AAPL","underlying":"AAPL","option_type":"call","strike":250,
           "expiration_date":"2026-04-17",
           "greeks":null}]}}""");

    OptionChain chain = client.chain("AAPL", LocalDate.of(2026, 4, 17), TIMEOUT);

    assertThat(chain.contracts()).extracting(OptionContract::type).containsExactly(OptionType.CALL, OptionType.PUT);
    assertThat(chain.contracts()).allSatisfy(c -> assertThat(c.greeks()).isNull());
  }

  @Test
  void singleDateIsOneExpirationAndAnArrayIsSeveral() {
    answer("{\"expirations\":{\"date\":\"2026-03-20\"}}");
    assertThat(client.expirations("AAPL", TIMEOUT).dates()).containsExactly(LocalDate.of(2026, 3, 20));

    answer("{\"expirations\":{\"date\":[\"2026-03-27\",\"2026-03-20\"]}}");
    assertThat(client.expirations("AAPL", TIMEOUT).dates())
        .containsExactly(LocalDate.of(2026, 3, 20), LocalDate.of(2026, 3, 27));
  }

  @Test
  void singleDayIsOneBar() {
    answer("{\"history\":{\"day\":{\"date\":\"2026-03-18\",\"open\":1.0,\"high\":2.0,\"low\":0.5,\"close\":1.5,"
        + "\"volume\":100}}}");

    assertThat(client.history("AAPL", Interval.DAILY, null, null, TIMEOUT).bars())
        .containsExactly(new Bar(LocalDate.of(2026, 3, 18), 1.0, 2.0, 0.5, 1.5, 100));
  }

  @Test
  void singleSecurityIsOneMatch() {
    answer("{\"securities\":{\"security\":{\"symbol\":\"AAPL\",\"exchange\":\"Q\",\"type\":\"stock\","
        + "\"description\":\"Apple Inc\"}}}");

    assertThat(client.lookup("apple", TIMEOUT))
        .containsExactly(new TradierClient.Security("AAPL", "Q", "stock", "Apple Inc"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "[]",
      "\"quotes\"",
      "{\"fault\":{\"faultstring\":\"x\"}}",
      "{\"quotes\":\"none\"}",
      "{\"quotes\":{\"quote\":[\"AAPL\"]}}",
      "{\"quotes\":{\"quote\":{\"description\":\"no symbol\"}}}",
      "{\"quotes\":{\"quote\":{\"symbol\":null}}}",
      "{\"quotes\":{\"quote\":{\"symbol\":42}}}",
      "{\"quotes\":{\"quote\":{\"symbol\":\"AAPL\",\"last\":\"abc\"}}}",
      "{\"quotes\":{\"quote\":{\"symbol\":\"AAPL\",\"last\":\"270.5\"}}}",
      "{\"quotes\":{\"quote\":{\"symbol\":\"AAPL\",\"volume\":1.5}}}",
      "{\"quotes\":{\"quote\":{\"symbol\":\"AAPL\",\"volume\":1e30}}}",
      "{\"quotes\":{\"quote\":{\"symbol\":\"AAPL\",\"trade_date\":\"yesterday\"}}}",
      "{\"quotes\":{\"quote\":{\"symbol\":\"AAPL\",\"description\":{\"name\":\"Apple\"}}}}",
      "{\"quotes\":{\"quote\":{\"symbol\":\"AAPL\",\"last\":27",
      "{\"quotes\":null} trailing",
      "{\"quotes\":{\"quote\":{\"symbol\":\"AAPL\",\"last\":NaN}}}",
      "{\"quotes\":{\"quote\":{\"symbol\":\"AAPL\",\"last\":Infinity}}}",
      "{\"quotes\":{\"quote\":{\"symbol\":\"AAPL\",\"last\":1e400}}}",
      ""})
  void wrongQuoteBodiesAreMalformed(String body) {
    answer(body);

    UpstreamFailureException e = failure(() -> client.quote("AAPL", TIMEOUT));

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(e.status()).isEqualTo(200);
    assertThat(e.getMessage()).startsWith("GET /v1/markets/quotes: malformed answer: ").hasSizeLessThan(320);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"options\":[]}",
      "{\"options\":{\"option\":[1,2]}}",
      "{\"options\":{\"option\":{\"symbol\":\"X\",\"underlying\":\"AAPL\",\"option_type\":\"straddle\","
          + "\"strike\":1,\"expiration_date\":\"2026-04-17\"}}}",
      "{\"options\":{\"option\":{\"symbol\":\"X\",\"underlying\":\"AAPL\",\"option_type\":\"call\","
          + "\"strike\":1,\"expiration_date\":\"2026-13-45\"}}}",
      "{\"options\":{\"option\":{\"symbol\":\"X\",\"underlying\":\"AAPL\",\"option_type\":\"call\","
          + "\"strike\":null,\"expiration_date\":\"2026-04-17\"}}}",
      "{\"options\":{\"option\":{\"symbol\":\"X\",\"option_type\":\"call\","
          + "\"strike\":1,\"expiration_date\":\"2026-04-17\"}}}",
      "{\"options\":{\"option\":{\"symbol\":\"X\",\"underlying\":\"AAPL\",\"option_type\":\"call\","
          + "\"strike\":1,\"expiration_date\":\"2026-04-17\",\"greeks\":\"n/a\"}}}",
      "{\"options\":{\"option\":{\"symbol\":\"X\",\"underlying\":\"AAPL\",\"option_type\":\"call\","
          + "\"strike\":1,\"expiration_date\":\"2026-04-17\",\"contract_size\":\"100\"}}}",
      "{\"options\":{\"option\":{\"symbol\":\"X\",\"underlying\":\"AAPL\",\"option_type\":\"call\","
          + "\"strike\":1,\"expiration_date\":\"2026-04-17\",\"greeks\":{\"delta\":true}}}}"})
  void wrongChainBodiesAreMalformed(String body) {
    answer(body);

    assertThat(failure(() -> client.chain("AAPL", LocalDate.of(2026, 4, 17), TIMEOUT)).kind())
        .isEqualTo(Kind.MALFORMED);
  }

  /** One AAPL 2026-04-17 contract with {@code extra} fields laid over a plausible one. */
  private static String option(String symbol, String extra) {
    return "{\"symbol\":\"" + symbol + "\",\"root_symbol\":\"AAPL\",\"underlying\":\"AAPL\","
        + "\"option_type\":\"call\",\"strike\":270.0,\"expiration_date\":\"2026-04-17\",\"bid\":9.5,"
        + "\"ask\":9.7,\"last\":9.6,\"volume\":3,\"open_interest\":431" + extra + "}";
  }

  @Test
  void aPlausibleChainIsRead() {
    answer("{\"options\":{\"option\":[" + option("AAPL260417C00270000", "") + ","
        + option("AAPL260417P00270000", ",\"option_type\":\"put\"") + "]}}");
    assertThat(client.chain("AAPL", LocalDate.of(2026, 4, 17), TIMEOUT).contracts()).hasSize(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "another underlying|,\"underlying\":\"MSFT\"",
      "another expiration|,\"expiration_date\":\"2026-04-24\"",
      "a negative strike|,\"strike\":-270.0",
      "a zero strike|,\"strike\":0",
      "a negative bid|,\"bid\":-0.05",
      "a negative ask|,\"ask\":-1",
      "a negative last|,\"last\":-9.6",
      "a negative volume|,\"volume\":-3",
      "a negative open interest|,\"open_interest\":-1",
      "a negative bid size|,\"bidsize\":-10",
      "the same contract twice|"})
  void aChainThatCannotBeTheAskedOneIsMalformedNotServedNorCached(String testCase) {
    String[] parts = testCase.split("\\|", -1);
    String contract = option("AAPL260417C00270000", parts[1]);
    String second = parts[0].equals("the same contract twice") ? contract
        : option("AAPL260417P00270000", ",\"option_type\":\"put\"");
    answer("{\"options\":{\"option\":[" + contract + "," + second + "]}}");

    UpstreamFailureException e = failure(() -> client.chain("AAPL", LocalDate.of(2026, 4, 17), TIMEOUT));

    assertThat(e.kind()).as(parts[0]).isEqualTo(Kind.MALFORMED);
    assertThat(e.getMessage()).startsWith("GET /v1/markets/options/chains: malformed answer: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"quotes\":{\"quote\":{\"symbol\":\"AAPL\",\"last\":-270.5}}}",
      "{\"quotes\":{\"quote\":{\"symbol\":\"AAPL\",\"bid\":-1}}}",
      "{\"quotes\":{\"quote\":{\"symbol\":\"AAPL\",\"volume\":-100}}}",
      "{\"quotes\":{\"quote\":{\"symbol\":\"AAPL\",\"week_52_low\":-3}}}"})
  void aQuoteWithANegativePriceOrCountIsMalformed(String body) {
    answer(body);
    assertThat(failure(() -> client.quote("AAPL", TIMEOUT)).kind()).isEqualTo(Kind.MALFORMED);
  }

  @Test
  void aQuoteKeepsANegativeChangeAndAnIndexANegativeLevel() {
    answer("{\"quotes\":{\"quote\":{\"symbol\":\"AAPL\",\"last\":270.5,\"change\":-1.5,"
        + "\"change_percentage\":-0.55}}}");
    assertThat(client.quote("AAPL", TIMEOUT).change()).isEqualTo(-1.5);
    answer("{\"quotes\":{\"quote\":{\"symbol\":\"TICK\",\"type\":\"index\",\"last\":-412.0,"
        + "\"low\":-980.0,\"high\":655.0}}}");
    assertThat(client.quote("TICK", TIMEOUT).last()).isEqualTo(-412.0);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"history\":{\"day\":[{\"date\":\"2026-03-18\",\"open\":1,\"high\":2,\"low\":0.5,\"close\":1,\"volume\":100},"
          + "{\"date\":\"2026-03-18\",\"open\":1,\"high\":2,\"low\":0.5,\"close\":1.2,\"volume\":100}]}}",
      "{\"history\":{\"day\":{\"date\":\"2026-03-18\",\"open\":1,\"high\":2,\"low\":-0.5,\"close\":1,\"volume\":100}}}",
      "{\"history\":{\"day\":{\"date\":\"2026-03-18\",\"open\":1,\"high\":2,\"low\":0.5,\"close\":1,\"volume\":-1}}}"})
  void barsWithOneDateTwiceOrANegativePriceAreMalformed(String body) {
    answer(body);
    assertThat(failure(() -> client.history("AAPL", Interval.DAILY, null, null, TIMEOUT)).kind())
        .isEqualTo(Kind.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"history\":{\"day\":{\"date\":\"2026-03-18\",\"open\":1,\"high\":2,\"low\":0.5,\"volume\":100}}}",
      "{\"history\":{\"day\":{\"date\":20260318,\"open\":1,\"high\":2,\"low\":0.5,\"close\":1,\"volume\":100}}}",
      "{\"history\":{\"day\":\"2026-03-18\"}}",
      "{\"expirations\":{\"date\":5}}",
      "{\"expirations\":{\"date\":\"03/20/2026\"}}",
      "{\"securities\":{\"security\":{\"description\":\"no symbol\"}}}"})
  void wrongHistoryExpirationsAndLookupBodiesAreMalformed(String body) {
    answer(body);

    ThrowingCallable call = body.startsWith("{\"history\"")
        ? () -> client.history("AAPL", Interval.DAILY, null, null, TIMEOUT)
        : body.startsWith("{\"expirations\"") ? () -> client.expirations("AAPL", TIMEOUT)
        : () -> client.lookup("AAPL", TIMEOUT);
    assertThat(failure(call).kind()).isEqualTo(Kind.MALFORMED);
  }

  @Test
  void anHtmlPageIsMalformedWithAShortMessage() {
    canned = new Canned(200, "text/html", "<html><body>" + "maintenance ".repeat(1_000) + "</body></html>",
        Map.of(), false);

    UpstreamFailureException e = failure(() -> client.quote("AAPL", TIMEOUT));

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(e.getMessage()).contains("text/html").contains("<html>").hasSizeLessThan(320);
  }

  @Test
  void noContentIsMalformed() {
    answer(204, "");

    UpstreamFailureException e = failure(() -> client.expirations("AAPL", TIMEOUT));

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(e.getMessage()).contains("empty body");
  }

  // ---- statuses ---------------------------------------------------------------------------------------------

  @Test
  void badRequestCarriesTradiersFaultstring() {
    answer(400, "{\"fault\":{\"faultstring\":\"Invalid Parameter: expiration\",\"detail\":{\"errorcode\":\"x\"}}}");

    assertThatThrownBy(() -> client.chain("AAPL", LocalDate.of(2026, 4, 17), TIMEOUT))
        .isExactlyInstanceOf(UpstreamBadRequestException.class)
        .hasMessage("Invalid Parameter: expiration");
  }

  @Test
  void badRequestWithAPlainBodyCarriesTheText() {
    canned = new Canned(400, "text/plain", "Invalid Parameter: symbol\n", Map.of(), false);

    assertThatThrownBy(() -> client.quote("AAPL", TIMEOUT))
        .isExactlyInstanceOf(UpstreamBadRequestException.class)
        .hasMessage("Invalid Parameter: symbol");
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 403})
  void unauthorizedAndForbiddenAreUnauthorized(int status) {
    canned = new Canned(status, "text/plain", "Invalid Access Token", Map.of(), false);

    UpstreamFailureException e = failure(() -> client.quote("AAPL", TIMEOUT));

    assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.getMessage()).contains("Invalid Access Token").doesNotContain(TOKEN);
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504})
  void serverErrorsAreServerError(int status) {
    answer(status, "<html>bad gateway</html>");

    UpstreamFailureException e = failure(() -> client.quote("AAPL", TIMEOUT));

    assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
    assertThat(e.status()).isEqualTo(status);
  }

  @Test
  void notFoundOnAWrongBasePathIsMalformedAndNamesTheBaseUrl() {
    TradierClient misconfigured = new TradierClient(URI.create(base + "/wrong"), TOKEN, Duration.ofSeconds(2));

    UpstreamFailureException e = failure(() -> misconfigured.quote("AAPL", TIMEOUT));

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(e.status()).isEqualTo(404);
    assertThat(e.getMessage()).contains(base + "/wrong");
    assertThat(requests).isEmpty();
  }

  @Test
  void redirectsAreNotFollowed() {
    answer(302, "", "Location", base + "/proxy/v1/markets/quotes?symbols=AAPL");

    UpstreamFailureException e = failure(() -> client.quote("AAPL", TIMEOUT));

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(e.status()).isEqualTo(302);
    assertThat(e.getMessage()).contains("unexpected status 302");
    assertThat(requests).hasSize(1);
  }

  @Test
  void anUnexpectedStatusIsMalformed() {
    answer(418, "{\"fault\":{\"faultstring\":\"I'm a teapot\"}}");

    UpstreamFailureException e = failure(() -> client.quote("AAPL", TIMEOUT));

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(e.status()).isEqualTo(418);
    assertThat(e.getMessage()).contains("unexpected status 418").contains("I'm a teapot");
  }

  // ---- 429 --------------------------------------------------------------------------------------------------

  @Test
  void retryAfterInSeconds() {
    assertThat(rateLimited("Retry-After", "7")).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void retryAfterAsAnHttpDate() {
    String inTwoMinutes = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(120).atZone(ZoneOffset.UTC));

    assertThat(rateLimited("Retry-After", inTwoMinutes)).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void retryAfterInThePastIsZero() {
    String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minusSeconds(30).atZone(ZoneOffset.UTC));

    assertThat(rateLimited("Retry-After", past)).isEqualTo(Duration.ZERO);
  }

  @Test
  void rateLimitExpiryWhenThereIsNoRetryAfter() {
    String expiry = Long.toString(NOW.plusMillis(30_500).toEpochMilli());

    assertThat(rateLimited("X-Ratelimit-Expiry", expiry)).isEqualTo(Duration.ofMillis(30_500));
  }

  @Test
  void rateLimitExpiryWhenRetryAfterIsUnreadable() {
    String expiry = Long.toString(NOW.plusSeconds(12).toEpochMilli());

    assertThat(rateLimited("Retry-After", "soon", "X-Ratelimit-Expiry", expiry)).isEqualTo(Duration.ofSeconds(12));
  }

  @Test
  void rateLimitedWithoutAHintHasNoRetryAfter() {
    answer(429, "{\"fault\":{\"faultstring\":\"Quota Violation\"}}");

    UpstreamFailureException e = failure(() -> client.quote("AAPL", TIMEOUT));

    assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(e.retryAfter()).isEmpty();
    assertThat(e.getMessage()).contains("Quota Violation");
  }

  private Duration rateLimited(String... headerPairs) {
    answer(429, "{\"fault\":{\"faultstring\":\"Quota Violation\"}}", headerPairs);
    UpstreamFailureException e = failure(() -> client.quote("AAPL", TIMEOUT));
    assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(e.status()).isEqualTo(429);
    return e.retryAfter().orElseThrow();
  }

  // ---- transport --------------------------------------------------------------------------------------------

  @Test
  void deeplyNestedJsonIsMalformed() {
    answer("{\"quotes\":{\"quote\":{\"symbol\":\"AAPL\",\"description\":" + "[".repeat(100_000)
        + "]".repeat(100_000) + "}}}");
    assertThat(failure(() -> client.quote("AAPL", TIMEOUT)).kind()).isEqualTo(Kind.MALFORMED);
  }

  @Test
  void anAnswerLargerThanAnyRealOneIsMalformedNotReadIntoMemory() {
    // a chain of half a million well-formed contracts: about 40 MiB, several times the largest real chain
    StringBuilder huge = new StringBuilder("{\"options\":{\"option\":[");
    String contract = option("AAPL260417C00270000", "");
    for (int i = 0; huge.length() <= TradierClient.MAX_BODY_BYTES; i++) {
      huge.append(i == 0 ? "" : ",").append(contract.replace("C00270000", String.format("C%08d", i)));
    }
    answer(huge.append("]}}").toString());

    UpstreamFailureException e = failure(() -> client.chain("AAPL", LocalDate.of(2026, 4, 17), TIMEOUT));

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(e.getMessage()).contains("larger than");

    // without a Content-Length (chunked), and a body that would never end: cut off at the limit, not at the timeout
    canned = new Canned(200, "application/json", huge.toString(), Map.of(), true);
    UpstreamFailureException streamed = failure(() -> client.chain("AAPL", LocalDate.of(2026, 4, 17),
        Duration.ofMinutes(5)));
    assertThat(streamed.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(streamed.getMessage()).contains("larger than");
  }

  @Test
  void theTimeoutCoversABodyThatStallsAfterTheHeaders() {
    canned = new Canned(200, "application/json", "{\"quotes\":", Map.of(), true);

    long started = System.nanoTime();
    UpstreamFailureException e = failure(() -> client.quote("AAPL", Duration.ofMillis(300)));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.status()).isZero();
    assertThat(elapsedMs).as("gave up at the timeout, not when the server let go").isLessThan(5_000);
  }

  @Test
  void anInterruptedCallerGetsATimeoutAndKeepsItsInterruptFlag() {
    answer("{\"quotes\":null}");

    Thread.currentThread().interrupt();
    Throwable thrown = catchThrowable(() -> client.quote("AAPL", TIMEOUT));
    boolean stillInterrupted = Thread.interrupted(); // clears the flag for the next test

    assertThat(stillInterrupted).isTrue();
    assertThat(thrown).isInstanceOfSatisfying(UpstreamFailureException.class, e -> {
      assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
      assertThat(e.getMessage()).contains("interrupted");
    });
  }

  // ---- arguments --------------------------------------------------------------------------------------------

  @Test
  void constructorRejectsBadArgumentsNamingThem() {
    Duration second = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new TradierClient(null, null, second)).isInstanceOf(NullPointerException.class)
        .hasMessage("baseUrl");
    assertThatThrownBy(() -> new TradierClient(URI.create("ftp://host"), null, second))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("baseUrl");
    assertThatThrownBy(() -> new TradierClient(URI.create("/v1"), null, second))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("baseUrl");
    assertThatThrownBy(() -> new TradierClient(URI.create("http://host?x=1"), null, second))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("baseUrl");
    assertThatThrownBy(() -> new TradierClient(URI.create(base), " ", second))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("token");
    assertThatThrownBy(() -> new TradierClient(URI.create(base), "two words", second))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("token").hasMessageNotContaining("two");
    assertThatThrownBy(() -> new TradierClient(URI.create(base), null, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("connectTimeout");
  }

  @Test
  void callsRejectBadArgumentsBeforeSending() {
    assertThatThrownBy(() -> client.quote("AAPL", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("timeout");
    assertThatThrownBy(() -> client.quote(" ", TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("symbol");
    assertThatThrownBy(() -> client.chain("AAPL", null, TIMEOUT)).isInstanceOf(NullPointerException.class);
    assertThat(requests).isEmpty();
  }

  private static UpstreamFailureException failure(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(UpstreamFailureException.class);
    return (UpstreamFailureException) thrown;
  }
}
