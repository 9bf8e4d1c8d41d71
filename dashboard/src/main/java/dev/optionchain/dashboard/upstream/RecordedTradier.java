package dev.optionchain.dashboard.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A Tradier stand-in on a free loopback port that answers from recordings, for the start-up warm-up: quotes,
 * expirations, option chains (with greeks) and daily history, in Tradier's documented forms, recorded from the
 * embedded simulator (AAPL on a trading day). An answer is made the one asked for: the recorded symbol is replaced by
 * the one asked, and a chain's expiration by the one asked, so that every symbol and every expiration gets an answer
 * the client accepts. The expirations listed are the recorded ones moved by whole weeks to lie ahead of the day it is
 * started for ({@link #start(LocalDate)}), so that the nearest expiration a dashboard view looks for exists in any
 * year. Any other path is a 404. Headers as Tradier sends them, rate-limit headers included.
 *
 * <p>Jetty, the library of the service's own listener, with Nagle's algorithm off: an exchange waits for no delayed
 * acknowledgement. Its threads are daemons named {@code recorded-tradier}. Thread-safe; {@link #close()} stops it.
 */
public final class RecordedTradier implements AutoCloseable {

  /** The symbol of the recordings. */
  static final String RECORDED_SYMBOL = "AAPL";
  /** The expiration of the recorded chain. */
  static final LocalDate RECORDED_EXPIRATION = LocalDate.of(2027, 1, 15);
  /** The first expiration the recorded expirations list. */
  static final LocalDate FIRST_RECORDED_EXPIRATION = LocalDate.of(2026, 12, 4);

  private static final String QUOTES = "/v1/markets/quotes";
  private static final String EXPIRATIONS = "/v1/markets/options/expirations";
  private static final String CHAINS = "/v1/markets/options/chains";
  private static final String HISTORY = "/v1/markets/history";
  private static final DateTimeFormatter OCC_DATE = DateTimeFormatter.ofPattern("yyMMdd");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  /** What an answer replaces: the symbol (group 1), with the expiration's OCC date (group 2), or the expiration. */
  private static final Pattern RECORDED = Pattern.compile("(" + Pattern.quote(RECORDED_SYMBOL) + ")("
      + RECORDED_EXPIRATION.format(OCC_DATE) + ")?|" + Pattern.quote(RECORDED_EXPIRATION.toString()));

  private final Server server;
  private final URI baseUrl;
  private final LocalDate expiration;

  private RecordedTradier(Server server, URI baseUrl, LocalDate expiration) {
    this.server = server;
    this.baseUrl = baseUrl;
    this.expiration = expiration;
  }

  /**
   * Starts one that lists the expirations as recorded, the first on 2026-12-04.
   *
   * @return the running server
   * @throws IOException if a recording cannot be read or the server cannot start
   */
  public static RecordedTradier start() throws IOException {
    return start(FIRST_RECORDED_EXPIRATION);
  }

  /**
   * Starts one whose listed expirations lie ahead of {@code today}: the recorded ones, moved by as many whole weeks as
   * it takes for the first to be {@code today} or later (none when it already is).
   *
   * @param today the service's today (UTC)
   * @return the running server
   * @throws IOException if a recording cannot be read or the server cannot start
   */
  public static RecordedTradier start(LocalDate today) throws IOException {
    long weeks = Math.max(0, Math.floorDiv(ChronoUnit.DAYS.between(FIRST_RECORDED_EXPIRATION, today) + 6, 7));
    Map<String, String> recordings = Map.of(
        QUOTES, resource("quotes.json"),
        EXPIRATIONS, DATE.matcher(resource("expirations.json"))
            .replaceAll(d -> LocalDate.parse(d.group()).plusWeeks(weeks).toString()),
        CHAINS, resource("chains.json"),
        HISTORY, resource("history.json"));
    QueuedThreadPool threads = new QueuedThreadPool(8, 2);
    threads.setName("recorded-tradier");
    threads.setDaemon(true);
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new Answers(recordings));
    try {
      server.start();
    } catch (Exception e) { // Jetty's start throws Exception
      stop(server);
      throw new IOException("cannot start the recorded Tradier: " + e, e);
    }
    URI base;
    try { // an IPv6 literal is bracketed
      base = new URI("http", null, connector.getHost(), connector.getLocalPort(), null, null, null);
    } catch (URISyntaxException e) {
      stop(server);
      throw new IOException("no URL for " + connector.getHost() + ": " + e.getMessage(), e);
    }
    return new RecordedTradier(server, base, RECORDED_EXPIRATION.plusWeeks(weeks));
  }

  /**
   * Returns an expiration it lists, some weeks after the first, whose chain it answers like any other.
   *
   * @return the recorded chain's expiration, moved as the listed ones are
   */
  public LocalDate expiration() {
    return expiration;
  }

  /**
   * Returns where it answers.
   *
   * @return its base URL, for a {@link TradierClient}
   */
  public URI baseUrl() {
    return baseUrl;
  }

  /** Stops it and closes its connections. */
  @Override
  public void close() {
    stop(server);
  }

  private static void stop(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      // its threads are daemons and its port a loopback one: nothing that matters is left
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = RecordedTradier.class.getResourceAsStream("warm-up/" + name)) {
      if (in == null) {
        throw new IOException("missing resource warm-up/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Answers a recorded path, made the answer asked for; anything else with 404. Stateless. */
  private static final class Answers extends Handler.Abstract.NonBlocking {
    private static final PreEncodedHttpField CONTENT_TYPE =
        new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");

    private final Map<String, String> recordings;

    Answers(Map<String, String> recordings) {
      this.recordings = recordings;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = request.getHttpURI().getPath();
      String recorded = recordings.get(path);
      if (recorded == null) {
        Response.writeError(request, response, callback, 404);
        return true;
      }
      Fields query = Request.extractQueryParameters(request);
      String body;
      try {
        body = asked(path, recorded, query);
      } catch (DateTimeParseException e) {
        Response.writeError(request, response, callback, 400);
        return true;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      long now = System.currentTimeMillis();
      response.getHeaders().put(CONTENT_TYPE);
      response.getHeaders().put("X-Ratelimit-Allowed", "120");
      response.getHeaders().put("X-Ratelimit-Used", "1");
      response.getHeaders().put("X-Ratelimit-Available", "119");
      response.getHeaders().put("X-Ratelimit-Expiry", Long.toString((now / 60_000 + 1) * 60_000));
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
      response.setStatus(200);
      response.write(true, ByteBuffer.wrap(bytes), callback);
      return true;
    }

    /**
     * The recording, made the answer to this query: in one pass, so that what is written is never read again (a
     * symbol that holds the recorded one, as AAPLX does, would be replaced a second time in the OCC symbols).
     */
    private static String asked(String path, String recorded, Fields query) {
      String symbol = query.getValue(QUOTES.equals(path) ? "symbols" : "symbol");
      if (symbol == null || symbol.isEmpty()) {
        return recorded;
      }
      String expiration = CHAINS.equals(path) ? query.getValue("expiration") : null;
      LocalDate asked = expiration == null ? RECORDED_EXPIRATION : LocalDate.parse(expiration);
      return RECORDED.matcher(recorded).replaceAll(m -> Matcher.quoteReplacement(m.group(1) != null
          ? symbol + (m.group(2) == null ? "" : asked.format(OCC_DATE))
          : asked.toString()));
    }
  }
}
