package dev.optionchain.dashboard.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.optionchain.breaker.testing.ManualClock;
import dev.optionchain.dashboard.model.Expirations;
import dev.optionchain.dashboard.model.Interval;
import dev.optionchain.dashboard.model.OptionChain;
import dev.optionchain.dashboard.model.OptionContract;
import dev.optionchain.dashboard.model.PriceHistory;
import dev.optionchain.dashboard.model.Quote;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client on every documented form of Tradier's answers, from fixtures written for this project in the shapes of
 * Tradier's public documentation ({@code src/test/resources/tradier/}): a list of one as an object and of several as
 * an array, {@code null} payloads, unmatched symbols, an index quote with its placeholder zeros, expirations as dates
 * and as objects (with strikes), a chain of two roots. Any other shape is MALFORMED, never an empty answer.
 */
class TradierFixturesTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static HttpServer server;
  private static volatile String body;
  private static volatile int status = 200;
  private static volatile String contentType = "application/json";
  private static final List<String> queries = new CopyOnWriteArrayList<>();
  private static final List<RateLimit> limits = new CopyOnWriteArrayList<>();
  private static TradierClient client;

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/", exchange -> {
      queries.add(exchange.getRequestURI().getRawQuery());
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", contentType);
      exchange.getResponseHeaders().add("X-Ratelimit-Allowed", "120");
      exchange.getResponseHeaders().add("X-Ratelimit-Used", "7");
      exchange.getResponseHeaders().add("X-Ratelimit-Available", "113");
      exchange.getResponseHeaders().add("X-Ratelimit-Expiry", "1773846060000");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
    client = new TradierClient(URI.create("http://localhost:" + server.getAddress().getPort()), "t0ken",
        Duration.ofSeconds(2), new ManualClock(Instant.parse("2026-03-18T15:00:00Z")), limits::add);
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static void serve(String fixture) {
    try (InputStream in = TradierFixturesTest.class.getResourceAsStream("/tradier/" + fixture)) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("no fixture " + fixture, e);
    }
    status = 200;
    contentType = "application/json";
  }

  @Test
  void oneQuoteIsAnObjectAndItsRateLimitHeadersAreReported() {
    serve("quote-one.json");
    limits.clear();
    Quote q = client.quote("MSFT", TIMEOUT);
    assertThat(q.last()).isEqualTo(410.25);
    assertThat(q.week52High()).isEqualTo(468.35);
    assertThat(q.averageVolume()).isEqualTo(21_044_120L);
    assertThat(q.tradeTime()).isEqualTo(Instant.ofEpochMilli(1773846000000L));
    assertThat(limits).containsExactly(new RateLimit(120, 7, 113, Instant.ofEpochMilli(1773846060000L)));
  }

  @Test
  void severalQuotesAreAnArrayAndTheAskedOneIsPicked() {
    serve("quotes-many.json");
    assertThat(client.quote("MSFT", TIMEOUT).description()).isEqualTo("Microsoft Corp");
    assertThat(client.quote("AAPL", TIMEOUT).last()).isEqualTo(271.4);
  }

  @Test
  void anIndexQuotesPlaceholderZerosAreNull() {
    serve("quote-index.json");
    Quote vix = client.quote("VIX", TIMEOUT);
    assertThat(vix.type()).isEqualTo("index");
    assertThat(vix.last()).isEqualTo(12.18);
    assertThat(vix.week52High()).isNull();
    assertThat(vix.week52Low()).isNull();
    assertThat(vix.averageVolume()).isNull();
    assertThat(vix.volume()).isNull();
    assertThat(vix.bid()).isNull();
    assertThat(vix.bidSize()).isNull();
    assertThat(vix.askSize()).isNull();
    assertThat(vix.prevClose()).isEqualTo(12.51);
  }

  @Test
  void unmatchedSymbolsAreUnknownAlsoBesideAMatchedOne() {
    serve("quote-unmatched.json");
    assertThat(catchThrowableOfType(UnknownSymbolException.class, () -> client.quote("XQZZ", TIMEOUT)).symbol())
        .isEqualTo("XQZZ");
    serve("quote-partly-unmatched.json");
    assertThat(client.quote("MSFT", TIMEOUT).symbol()).isEqualTo("MSFT");
    assertThatThrownBy(() -> client.quote("YQZZ", TIMEOUT)).isInstanceOf(UnknownSymbolException.class);
  }

  @Test
  void historyDaysAreAnArrayOrOneObjectOrNull() {
    serve("history-days.json");
    PriceHistory h = client.history("AAPL", Interval.DAILY, null, null, TIMEOUT);
    assertThat(h.bars()).hasSize(2);
    serve("history-one-day.json");
    assertThat(client.history("AAPL", Interval.DAILY, null, null, TIMEOUT).bars()).singleElement()
        .satisfies(b -> assertThat(b.close()).isEqualTo(270.0));
    serve("history-null.json");
    assertThat(client.history("AAPL", Interval.DAILY, null, null, TIMEOUT).bars()).isEmpty();
  }

  @Test
  void expirationsAreAskedForEveryRootAndReadInEachDocumentedForm() {
    serve("expirations-dates.json");
    queries.clear();
    assertThat(client.expirations("SPX", TIMEOUT).dates()).hasSize(4);
    assertThat(queries).containsExactly("symbol=SPX&includeAllRoots=true");
    serve("expirations-one-date.json");
    assertThat(client.expirations("SPX", TIMEOUT).dates()).containsExactly(LocalDate.of(2026, 4, 17));
    serve("expirations-with-strikes.json");
    Expirations withStrikes = client.expirations("SPX", TIMEOUT);
    assertThat(withStrikes.dates()).containsExactly(LocalDate.of(2026, 3, 20), LocalDate.of(2026, 4, 17));
    serve("expirations-null.json");
    assertThat(client.expirations("SPX", TIMEOUT).dates()).isEmpty();
  }

  @Test
  void aChainKeepsBothRootsAtOneStrikeAndReadsTheirPlaceholders() {
    serve("chain-two-roots.json");
    OptionChain chain = client.chain("PLTR", LocalDate.of(2026, 4, 17), TIMEOUT);
    assertThat(chain.contracts()).extracting(OptionContract::root).containsExactly("PLTR", "PLTR1");
    assertThat(chain.rows()).hasSize(2).allSatisfy(r -> assertThat(r.strike()).isEqualTo(13.0));
    assertThat(chain.roots()).containsExactly("PLTR", "PLTR1");
    OptionContract plain = chain.contracts().get(0);
    assertThat(plain.greeks().bidIv()).as("an IV of 0 with a bid is a placeholder").isNull();
    assertThat(plain.greeks().midIv()).isNull();
    assertThat(plain.greeks().askIv()).isEqualTo(2.1);
    assertThat(plain.greeks().smvVol()).isEqualTo(0.61);
    assertThat(chain.contracts().get(1).greeks()).as("greeks: null").isNull();

    serve("chain-one-option.json");
    OptionChain one = client.chain("SPX", LocalDate.of(2026, 3, 20), TIMEOUT);
    assertThat(one.contracts()).singleElement().satisfies(c -> {
      assertThat(c.root()).isEqualTo("SPXW");
      assertThat(c.underlying()).isEqualTo("SPX");
    });
    serve("chain-null.json");
    assertThat(client.chain("SPX", LocalDate.of(2026, 3, 20), TIMEOUT).contracts()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"undocumented-expirations-dates-key.json", "undocumented-expiration-objects-without-date.json"})
  void anUndocumentedExpirationsShapeIsMalformedNotEmpty(String fixture) {
    serve(fixture);
    UpstreamFailureException e = catchThrowableOfType(UpstreamFailureException.class,
        () -> client.expirations("SPX", TIMEOUT));
    assertThat(e.kind()).isEqualTo(UpstreamFailureException.Kind.MALFORMED);
  }

  @Test
  void otherUndocumentedShapesAreMalformed() {
    serve("undocumented-empty-quotes.json");
    assertThat(catchThrowableOfType(UpstreamFailureException.class, () -> client.quote("AAPL", TIMEOUT)).kind())
        .isEqualTo(UpstreamFailureException.Kind.MALFORMED);
    serve("undocumented-history-without-day.json");
    assertThat(catchThrowableOfType(UpstreamFailureException.class,
        () -> client.history("AAPL", Interval.DAILY, null, null, TIMEOUT)).kind())
        .isEqualTo(UpstreamFailureException.Kind.MALFORMED);
    serve("undocumented-options-as-list.json");
    assertThat(catchThrowableOfType(UpstreamFailureException.class,
        () -> client.chain("AAPL", LocalDate.of(2026, 4, 17), TIMEOUT)).kind())
        .isEqualTo(UpstreamFailureException.Kind.MALFORMED);
  }

  @Test
  void tradiersPlainText401IsUnauthorized() {
    body = "Invalid Access Token";
    status = 401;
    contentType = "plain/text";
    UpstreamFailureException e = catchThrowableOfType(UpstreamFailureException.class,
        () -> client.quote("AAPL", TIMEOUT));
    assertThat(e.kind()).isEqualTo(UpstreamFailureException.Kind.UNAUTHORIZED);
    assertThat(e.getMessage()).contains("Invalid Access Token").doesNotContain("t0ken");
  }
}
