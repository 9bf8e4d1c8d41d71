package dev.optionchain.dashboard.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.dashboard.model.Bar;
import dev.optionchain.dashboard.model.Expirations;
import dev.optionchain.dashboard.model.Interval;
import dev.optionchain.dashboard.model.OptionChain;
import dev.optionchain.dashboard.model.OptionContract;
import dev.optionchain.dashboard.model.OptionType;
import dev.optionchain.dashboard.model.PriceHistory;
import dev.optionchain.dashboard.model.Quote;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The warm-up's stand-in upstream, through the service's real {@link TradierClient}: every answer is the one asked for
 * (any symbol, any listed expiration), parses as the client parses Tradier's, carries Tradier's rate-limit headers,
 * and the recorded symbol and expiration never leak into another's answer; other paths are 404 and a bad date 400;
 * it listens on loopback only, and {@link RecordedTradier#close()} frees its port and ends its threads.
 */
class RecordedTradierTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final DateTimeFormatter OCC_DATE = DateTimeFormatter.ofPattern("yyMMdd");
  /** One letter to five, as the warm-up's symbols are (W and up to four more). */
  private static final List<String> SYMBOLS = List.of("X", "WA", "MSFT", "WBCDE");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final List<RateLimit> rateLimits = new CopyOnWriteArrayList<>();
  private RecordedTradier upstream;
  private TradierClient client;

  @BeforeEach
  void start() throws IOException {
    upstream = RecordedTradier.start();
    client = new TradierClient(upstream.baseUrl(), null, TIMEOUT, BreakerClock.system(), rateLimits::add);
  }

  @AfterEach
  void stop() {
    upstream.close();
  }

  @Test
  void listensOnLoopbackOnly() throws Exception {
    InetAddress host = InetAddress.getByName(stripBrackets(upstream.baseUrl().getHost()));
    assertThat(host.isLoopbackAddress()).as("%s", upstream.baseUrl()).isTrue();
    assertThat(upstream.baseUrl().getScheme()).isEqualTo("http");
    assertThat(upstream.baseUrl().getPort()).isPositive();
  }

  @Test
  void aQuoteIsOfTheSymbolAsked() {
    for (String symbol : SYMBOLS) {
      Quote q = client.quote(symbol, TIMEOUT);
      assertThat(q.symbol()).isEqualTo(symbol);
      assertThat(q.last()).isPositive();
      assertThat(q.bid()).isNotNull();
      assertThat(q.ask()).isNotNull();
      assertThat(q.tradeTime()).isNotNull();
    }
    assertThat(client.quote(RecordedTradier.RECORDED_SYMBOL, TIMEOUT).symbol())
        .isEqualTo(RecordedTradier.RECORDED_SYMBOL);
  }

  @Test
  void everyAnswerCarriesTradiersRateLimitHeaders() throws Exception {
    client.quote("MSFT", TIMEOUT);
    assertThat(rateLimits).hasSize(1);
    RateLimit r = rateLimits.get(0);
    assertThat(r.allowed()).isEqualTo(120);
    assertThat(r.used()).isEqualTo(1);
    assertThat(r.available()).isEqualTo(119);
    assertThat(r.expiry()).isNotNull();

    HttpResponse<String> raw = get("/v1/markets/options/expirations?symbol=MSFT");
    assertThat(raw.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
        .startsWith("application/json"));
    assertThat(raw.headers().firstValue("Content-Length")).contains(Integer.toString(raw.body().getBytes(
        java.nio.charset.StandardCharsets.UTF_8).length));
  }

  @Test
  void theExpirationsAreOfTheSymbolAskedSortedAndListTheRecordedChain() throws Exception {
    Expirations e = client.expirations("MSFT", TIMEOUT);
    assertThat(e.symbol()).isEqualTo("MSFT");
    assertThat(e.dates()).isNotEmpty().doesNotHaveDuplicates().isSorted()
        .as("the warm-up asks the recorded chain's expiration: it must be listed, or the chain route refuses it")
        .contains(RecordedTradier.RECORDED_EXPIRATION);
    // Expirations sorts what it is given: the recording itself must be in Tradier's order, soonest first
    List<String> wire = List.of(get("/v1/markets/options/expirations?symbol=MSFT").body()
        .replaceAll(".*\\[", "").replaceAll("].*", "").replace("\"", "").split(","));
    assertThat(wire).isSorted().hasSize(e.dates().size());
  }

  @Test
  void aChainIsOfTheSymbolAndTheExpirationAskedForEveryListedExpiration() throws Exception {
    List<LocalDate> listed = client.expirations("WA", TIMEOUT).dates();
    for (String symbol : SYMBOLS) {
      for (LocalDate expiration : listed) {
        OptionChain chain = client.chain(symbol, expiration, TIMEOUT);
        String what = symbol + " " + expiration;
        assertThat(chain.underlying()).as(what).isEqualTo(symbol);
        assertThat(chain.expiration()).as(what).isEqualTo(expiration);
        assertThat(chain.contracts()).as(what).isNotEmpty();
        assertThat(chain.contracts().stream().map(OptionContract::type).collect(Collectors.toSet())).as(what)
            .containsExactlyInAnyOrder(OptionType.CALL, OptionType.PUT);
        for (OptionContract c : chain.contracts()) {
          assertThat(c.underlying()).as(what).isEqualTo(symbol);
          assertThat(c.expiration()).as(what).isEqualTo(expiration);
          assertThat(c.root()).as(what).isEqualTo(symbol);
          assertThat(c.symbol()).as(what).startsWith(symbol + expiration.format(OCC_DATE))
              .matches(symbol + "\\d{6}[CP]\\d{8}");
          assertThat(c.greeks()).as("%s %s: with greeks, as the service asks", what, c.symbol()).isNotNull();
        }
        assertThat(chain.contracts().stream().map(OptionContract::symbol).distinct().count()).as(what)
            .isEqualTo(chain.contracts().size());
      }
    }
  }

  @Test
  void theRecordedSymbolAndExpirationDoNotLeakIntoAnotherAnswer() throws Exception {
    LocalDate other = LocalDate.of(2026, 12, 18);
    assertThat(other).isNotEqualTo(RecordedTradier.RECORDED_EXPIRATION);
    String chain = get("/v1/markets/options/chains?symbol=MSFT&expiration=" + other + "&greeks=true").body();
    assertThat(chain).doesNotContain(RecordedTradier.RECORDED_SYMBOL)
        .doesNotContain(RecordedTradier.RECORDED_EXPIRATION.toString())
        .doesNotContain(RecordedTradier.RECORDED_EXPIRATION.format(OCC_DATE))
        .contains("\"expiration_date\":\"" + other + "\"").contains("MSFT" + other.format(OCC_DATE));
    assertThat(get("/v1/markets/quotes?symbols=MSFT").body()).doesNotContain(RecordedTradier.RECORDED_SYMBOL)
        .contains("\"symbol\":\"MSFT\"").contains("\"root_symbols\":\"MSFT\"");
    for (String path : new String[] {"/v1/markets/options/expirations?symbol=MSFT&includeAllRoots=true",
        "/v1/markets/history?symbol=MSFT&interval=daily"}) {
      assertThat(get(path).body()).as(path).doesNotContain(RecordedTradier.RECORDED_SYMBOL);
    }
  }

  @Test
  void aSymbolThatHoldsTheRecordedOneIsWrittenOnceInEachOccSymbol() {
    // the recorded symbol is replaced in one pass: a second pass over the answer would find it again inside the
    // asked symbol it has just written (AAPLX261218... became AAPLXX261218...)
    for (String symbol : new String[] {"AAPLX", "XAAPL", "AAPL"}) {
      for (LocalDate expiration : List.of(LocalDate.of(2026, 12, 18), RecordedTradier.RECORDED_EXPIRATION)) {
        OptionChain chain = client.chain(symbol, expiration, TIMEOUT);
        assertThat(chain.contracts()).as("%s %s", symbol, expiration).isNotEmpty();
        for (OptionContract c : chain.contracts()) {
          assertThat(c.symbol()).as("%s %s", symbol, expiration)
              .matches(symbol + expiration.format(OCC_DATE) + "[CP]\\d{8}");
          assertThat(c.root()).isEqualTo(symbol);
          assertThat(c.underlying()).isEqualTo(symbol);
        }
      }
      assertThat(client.quote(symbol, TIMEOUT).symbol()).isEqualTo(symbol);
    }
  }

  @Test
  void theHistoryParsesIntoDailyBarsOfTheSymbolAsked() {
    LocalDate end = LocalDate.of(2026, 12, 4);
    PriceHistory h = client.history("MSFT", Interval.DAILY, end.minusYears(1), end, TIMEOUT);
    assertThat(h.symbol()).isEqualTo("MSFT");
    assertThat(h.interval()).isEqualTo(Interval.DAILY);
    assertThat(h.bars()).hasSizeGreaterThan(200);
    assertThat(h.bars().stream().map(Bar::date).collect(Collectors.toList())).isSorted().doesNotHaveDuplicates();
    for (Bar b : h.bars()) {
      assertThat(b.high()).as("%s", b).isGreaterThanOrEqualTo(b.low());
      assertThat(b.volume()).as("%s", b).isPositive();
    }
  }

  @Test
  void aPathNotRecordedIsA404AndABadExpirationA400() throws Exception {
    for (String path : new String[] {"/", "/v1/markets/lookup?q=MSFT", "/v1/markets/quotes/MSFT",
        "/v1/markets/options/strikes?symbol=MSFT&expiration=2027-01-15", "/v1/markets/clock"}) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(404);
    }
    assertThat(get("/v1/markets/options/chains?symbol=MSFT&expiration=soon").statusCode()).isEqualTo(400);
    assertThat(get("/v1/markets/options/chains?symbol=MSFT&expiration=2027-02-30").statusCode()).isEqualTo(400);
    assertThatThrownBy(() -> client.lookup("MSFT", TIMEOUT)).isInstanceOf(UpstreamException.class);
  }

  @Test
  void itsThreadsAreDaemonsNamedRecordedTradier() {
    client.quote("MSFT", TIMEOUT);
    Set<Thread> threads = threads();
    assertThat(threads).isNotEmpty().allSatisfy(t -> assertThat(t.isDaemon()).as(t.getName()).isTrue());
  }

  @Test
  void closeFreesThePortAndEndsItsThreads() throws Exception {
    client.quote("MSFT", TIMEOUT);
    URI base = upstream.baseUrl();
    try (RecordedTradier other = RecordedTradier.start()) {
      assertThat(other.baseUrl()).as("each has a port of its own").isNotEqualTo(base);
      upstream.close();
      assertThat(new TradierClient(other.baseUrl(), null, TIMEOUT).quote("MSFT", TIMEOUT).symbol())
          .as("closing one leaves the other serving").isEqualTo("MSFT");
    }
    upstream.close(); // idempotent
    assertThatThrownBy(() -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(stripBrackets(base.getHost()), base.getPort()), 5_000);
      }
    }).as("nothing listens on %s any more", base).isInstanceOf(ConnectException.class);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!threads().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(threads()).as("recorded-tradier threads after close").isEmpty();
  }

  private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(upstream.baseUrl() + pathAndQuery)).timeout(TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Set<Thread> threads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .filter(t -> t.getName().startsWith("recorded-tradier")).collect(Collectors.toSet());
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }
}
