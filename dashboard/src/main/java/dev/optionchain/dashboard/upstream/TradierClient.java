package dev.optionchain.dashboard.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.dashboard.model.Expirations;
import dev.optionchain.dashboard.model.Interval;
import dev.optionchain.dashboard.model.OptionChain;
import dev.optionchain.dashboard.model.PriceHistory;
import dev.optionchain.dashboard.model.Quote;
import dev.optionchain.dashboard.secrets.Secrets;
import dev.optionchain.dashboard.upstream.UpstreamFailureException.Kind;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of Tradier's market-data REST API ({@code /v1/markets/...}), or of anything that speaks it, such as the
 * {@code marketsim} simulator.
 *
 * <p>Each call is one {@code GET} with {@code Accept: application/json}, {@code Authorization: Bearer <token>} when a
 * token is set, URL-encoded query parameters and a deadline: the {@code timeout} covers the whole exchange, from
 * connecting to the last byte of the body (a body that stops coming just before the deadline can hold a call up to
 * twice its timeout: see {@code Transport}). The answer is then classified, and every outcome is one of three:
 * <ul>
 *   <li>a value: Tradier's {@code null} payloads become empty results for history, expirations, chains and
 *       lookup (the caller decides whether empty is suspicious);</li>
 *   <li>the caller's fault, which a circuit breaker should count as a success: {@link UnknownSymbolException}
 *       (a quote's {@code unmatched_symbols}), {@link UpstreamBadRequestException} (HTTP 400);</li>
 *   <li>the provider's failure, {@link UpstreamFailureException}, whose {@link Kind} says which:
 *       <table>
 *         <caption>Classification</caption>
 *         <tr><th>answer</th><th>kind</th></tr>
 *         <tr><td>401, 403</td><td>UNAUTHORIZED</td></tr>
 *         <tr><td>429</td><td>RATE_LIMITED, with the wait from {@code Retry-After} (seconds or HTTP-date), else
 *             {@code X-Ratelimit-Expiry} (epoch ms) minus now, else none; a wait in the past is zero</td></tr>
 *         <tr><td>5xx</td><td>SERVER_ERROR</td></tr>
 *         <tr><td>404</td><td>MALFORMED: an unknown path means a wrong base URL, a configuration failure
 *             retrying will not fix; it is an unexpected status like any other</td></tr>
 *         <tr><td>any other non-2xx status, 3xx included (redirects are not followed, so the token never
 *             travels to another host)</td><td>MALFORMED ("unexpected status N")</td></tr>
 *         <tr><td>2xx that is not JSON, truncated JSON, JSON of the wrong shape or with a wrong-typed
 *             field, a negative price or count, a chain that is not the one asked for</td><td>MALFORMED</td></tr>
 *         <tr><td>an answer (any status) larger than {@link #MAX_BODY_BYTES}, not read to its end</td>
 *             <td>MALFORMED, status 0</td></tr>
 *         <tr><td>2xx quotes without the asked symbol, {@code {"quotes":null}} included</td><td>EMPTY</td></tr>
 *         <tr><td>no answer within the timeout (connect or read)</td><td>TIMEOUT, status 0</td></tr>
 *         <tr><td>connection refused or reset, DNS, TLS, any other I/O error</td><td>CONNECTION, status 0</td></tr>
 *         <tr><td>the calling thread interrupted before the call</td><td>TIMEOUT ("interrupted"), status 0,
 *             nothing sent; the interrupt flag stays set (an interrupt during the call does not cut it short: it
 *             ends by its deadline at the latest)</td></tr>
 *       </table>
 *   </li>
 * </ul>
 * Nothing else escapes from a call except {@link NullPointerException} and {@link IllegalArgumentException} for
 * bad arguments. Failure messages are short (a body is quoted to at most 200 characters) and
 * never contain the token or the base URL's user-info ({@link Secrets#redact}), even when the upstream echoes them.
 *
 * <p>Every answer that carries Tradier's {@code X-Ratelimit-Allowed/Used/Available/Expiry} headers, whatever its
 * status, is reported to the rate-limit listener given to the constructor (the service's upstream budget), on the
 * calling thread, before the answer is classified; an answer without them, or with unreadable ones, is not reported.
 *
 * <p>Each request is logged at DEBUG: method, path and query, status and milliseconds; never the token.
 *
 * <p>The exchange runs on the calling thread ({@link HttpURLConnection}, HTTP/1.1, connections kept alive and reused,
 * redirects not followed): no other thread takes part unless the deadline passes (see {@code Transport}, which says
 * why the JDK's asynchronous client is not used).
 *
 * <p>Thread-safe: one instance serves any number of threads.
 */
public final class TradierClient {

  /**
   * One match of a symbol lookup ({@code /v1/markets/lookup}).
   *
   * @param symbol the ticker
   * @param exchange the exchange code, or null
   * @param type {@code stock}, {@code etf}, {@code index}, ... or null
   * @param description the security's name, or null
   */
  public record Security(String symbol, String exchange, String type, String description) {

    /** Requires a symbol. */
    public Security {
      Objects.requireNonNull(symbol, "symbol");
    }
  }

  static final int SNIPPET_CHARS = 200;

  /**
   * The largest answer read: 32 MiB, several times the largest real one (a chain of every root of SPX on a monthly
   * expiration, with greeks, is a few MiB); a larger one is MALFORMED and is not read to its end.
   */
  public static final int MAX_BODY_BYTES = 32 << 20;

  private static final Logger LOG = LoggerFactory.getLogger(TradierClient.class);

  private final URI baseUrl;
  private final String base;
  /** The base URL as messages show it: without user-info. */
  private final String shownBase;
  /** The token and the base URL's user-info, masked in every message. */
  private final Secrets secrets;
  private final String authorization;
  private final Transport transport;
  /** Accept, and Authorization when a token is set. */
  private final Map<String, String> headers;
  private final BreakerClock clock;
  private final Consumer<RateLimit> rateLimits;

  /**
   * Creates a client on the system clock that reports rate-limit headers to no one.
   *
   * @param baseUrl where the API lives, e.g. {@code https://api.tradier.com} or {@code http://localhost:8090};
   *     {@code http} or {@code https}, may carry a path prefix, a trailing slash is ignored
   * @param token the bearer token, or null to send no {@code Authorization} header
   * @param connectTimeout how long to wait for a TCP (and TLS) connection; positive
   * @throws NullPointerException if {@code baseUrl} or {@code connectTimeout} is null
   * @throws IllegalArgumentException naming the parameter, if one is invalid
   */
  public TradierClient(URI baseUrl, String token, Duration connectTimeout) {
    this(baseUrl, token, connectTimeout, BreakerClock.system(), r -> { });
  }

  /**
   * Creates a client.
   *
   * @param baseUrl where the API lives
   * @param token the bearer token, or null
   * @param connectTimeout how long to wait for a TCP (and TLS) connection; positive
   * @param clock the service's clock: its wall time is "now" for {@code Retry-After} dates and the rate-limit expiry
   * @param rateLimits told of the rate-limit headers of every answer that has them; must be quick and thread-safe
   */
  public TradierClient(URI baseUrl, String token, Duration connectTimeout, BreakerClock clock,
      Consumer<RateLimit> rateLimits) {
    this.baseUrl = normalize(baseUrl);
    this.base = this.baseUrl.toString();
    this.shownBase = Secrets.shown(this.baseUrl);
    this.secrets = Secrets.inUserInfo(this.baseUrl).and(Secrets.of(Collections.singletonList(token)));
    this.authorization = token == null ? null : "Bearer " + requireToken(token);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.rateLimits = Objects.requireNonNull(rateLimits, "rateLimits");
    this.transport = new Transport(requirePositive(connectTimeout, "connectTimeout"), MAX_BODY_BYTES);
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Accept", "application/json");
    if (authorization != null) {
      h.put("Authorization", authorization);
    }
    this.headers = Collections.unmodifiableMap(h);
  }

  /**
   * Returns the base URL requests go to.
   *
   * @return the base URL, without a trailing slash
   */
  public URI baseUrl() {
    return baseUrl;
  }

  /**
   * Fetches the quote of one symbol ({@code GET /v1/markets/quotes?symbols=S}).
   *
   * @param symbol the ticker
   * @param timeout the deadline of the whole exchange; positive
   * @return the quote
   * @throws UnknownSymbolException if the provider lists the symbol as unmatched
   * @throws UpstreamBadRequestException on HTTP 400
   * @throws UpstreamFailureException as classified above; EMPTY when the answer has no quote for the symbol
   */
  public Quote quote(String symbol, Duration timeout) {
    requireText(symbol, "symbol");
    Exchange ex = get("/v1/markets/quotes", params("symbols", symbol), timeout);
    Quote quote = read(ex, root -> TradierJson.quote(root, symbol));
    if (quote == null) {
      throw new UpstreamFailureException(Kind.EMPTY, ex.status(), null,
          ex.what() + ": the answer has no quote for " + symbol, null);
    }
    return quote;
  }

  /**
   * Fetches a price history ({@code GET /v1/markets/history}).
   *
   * @param symbol the ticker
   * @param interval the bar interval
   * @param start the first date, or null for the provider's default
   * @param end the last date, or null for the provider's default
   * @param timeout the deadline of the whole exchange; positive
   * @return the bars, oldest first; empty when the provider has none (also for an unknown symbol)
   * @throws UpstreamBadRequestException on HTTP 400
   * @throws UpstreamFailureException as classified above
   */
  public PriceHistory history(String symbol, Interval interval, LocalDate start, LocalDate end, Duration timeout) {
    requireText(symbol, "symbol");
    Objects.requireNonNull(interval, "interval");
    Map<String, String> params = params("symbol", symbol);
    params.put("interval", interval.wireName());
    if (start != null) {
      params.put("start", start.toString());
    }
    if (end != null) {
      params.put("end", end.toString());
    }
    Exchange ex = get("/v1/markets/history", params, timeout);
    return new PriceHistory(symbol, interval, start, end, read(ex, TradierJson::bars));
  }

  /**
   * Fetches the expiration dates of a symbol's options, of every root
   * ({@code GET /v1/markets/options/expirations?includeAllRoots=true}): without it Tradier leaves out the weeklies
   * of indexes with a separate weekly root (SPXW, RUTW) and contracts adjusted after a corporate action (AAPL1).
   *
   * @param symbol the underlying's ticker
   * @param timeout the deadline of the whole exchange; positive
   * @return the dates, soonest first; empty when the provider has none (also for an unknown symbol)
   * @throws UpstreamBadRequestException on HTTP 400
   * @throws UpstreamFailureException as classified above
   */
  public Expirations expirations(String symbol, Duration timeout) {
    requireText(symbol, "symbol");
    Map<String, String> params = params("symbol", symbol);
    params.put("includeAllRoots", "true");
    Exchange ex = get("/v1/markets/options/expirations", params, timeout);
    return new Expirations(symbol, read(ex, TradierJson::expirationDates));
  }

  /**
   * Fetches one expiration's option chain, with greeks ({@code GET /v1/markets/options/chains?greeks=true}).
   *
   * @param symbol the underlying's ticker
   * @param expiration the expiration date
   * @param timeout the deadline of the whole exchange; positive
   * @return the chain; no contracts when the provider has none (also for an unknown symbol or expiration)
   * @throws UpstreamBadRequestException on HTTP 400
   * @throws UpstreamFailureException as classified above; MALFORMED also when a contract is of another underlying
   *     or expiration than asked, or is listed twice
   */
  public OptionChain chain(String symbol, LocalDate expiration, Duration timeout) {
    requireText(symbol, "symbol");
    Objects.requireNonNull(expiration, "expiration");
    Map<String, String> params = params("symbol", symbol);
    params.put("expiration", expiration.toString());
    params.put("greeks", "true");
    Exchange ex = get("/v1/markets/options/chains", params, timeout);
    return new OptionChain(symbol, expiration, read(ex, root -> TradierJson.contracts(root, symbol, expiration)));
  }

  /**
   * Looks up securities by symbol or name ({@code GET /v1/markets/lookup?q=}).
   *
   * @param query a symbol or part of a name
   * @param timeout the deadline of the whole exchange; positive
   * @return the matches, in the provider's order; empty when none
   * @throws UpstreamBadRequestException on HTTP 400
   * @throws UpstreamFailureException as classified above
   */
  public List<Security> lookup(String query, Duration timeout) {
    requireText(query, "query");
    Exchange ex = get("/v1/markets/lookup", params("q", query), timeout);
    return List.copyOf(read(ex, TradierJson::securities));
  }

  @Override
  public String toString() {
    return "TradierClient[" + shownBase + (authorization == null ? "" : ", with token") + "]";
  }

  // ---- the exchange -----------------------------------------------------------------------------------------

  /** A complete 2xx answer. */
  private record Exchange(String what, int status, HttpHeaders headers, byte[] body) {}

  /** Sends the request and returns a 2xx answer, or throws the classified failure. */
  private Exchange get(String path, Map<String, String> params, Duration timeout) {
    requirePositive(timeout, "timeout");
    StringBuilder query = new StringBuilder();
    params.forEach((name, value) -> query.append(query.length() == 0 ? "" : "&").append(name).append('=')
        .append(encode(value)));
    URI uri = URI.create(base + path + "?" + query);
    String what = "GET " + path;
    if (Thread.currentThread().isInterrupted()) {
      throw noAnswer(what, uri, System.nanoTime(), Kind.TIMEOUT, "interrupted", null);
    }
    long started = System.nanoTime();
    Transport.Answer answer;
    try {
      answer = transport.get(uri, headers, timeout);
    } catch (Transport.DeadlinePassed e) {
      throw noAnswer(what, uri, started, Kind.TIMEOUT, "no complete answer within " + timeout.toMillis() + " ms", e);
    } catch (Transport.TooLarge e) {
      throw noAnswer(what, uri, started, Kind.MALFORMED, "malformed answer: " + e.getMessage(), null);
    } catch (SocketTimeoutException e) { // connecting, or one read, took longer than allowed
      throw noAnswer(what, uri, started, Kind.TIMEOUT, "timed out: " + e.getMessage(), e);
    } catch (IOException e) {
      throw noAnswer(what, uri, started, Kind.CONNECTION, "cannot reach " + shownBase + ": " + describe(e), e);
    }
    int status = answer.status();
    LOG.debug("GET {}?{} -> {} in {} ms", path, query, status, millisSince(started));
    RateLimit limit = RateLimitHeaders.rateLimit(answer.headers());
    if (limit != null) {
      rateLimits.accept(limit);
    }
    if (status >= 200 && status <= 299) {
      return new Exchange(what, status, answer.headers(), answer.body());
    }
    throw statusFailure(what, status, answer.headers(), answer.body());
  }

  private UpstreamFailureException noAnswer(String what, URI uri, long started, Kind kind, String detail,
      Throwable cause) {
    LOG.debug("GET {}?{} failed after {} ms: {} {}", uri.getRawPath(), uri.getRawQuery(), millisSince(started),
        kind, detail);
    return new UpstreamFailureException(kind, 0, null, what + ": " + secrets.redact(detail), cause);
  }

  private UpstreamException statusFailure(String what, int status, HttpHeaders headers, byte[] body) {
    String fault = TradierJson.faultstring(body);
    // redacted before it is cut short, so that no prefix of a secret is left at the cut
    String detail = abbreviate(secrets.redact(fault != null ? fault : new String(body, StandardCharsets.UTF_8)));
    String said = detail.isEmpty() ? "" : ": " + detail;
    if (status == 400) {
      return new UpstreamBadRequestException(detail.isEmpty() ? "bad request (HTTP 400)" : detail);
    }
    if (status == 401 || status == 403) {
      return new UpstreamFailureException(Kind.UNAUTHORIZED, status, null, what + " -> " + status + said, null);
    }
    if (status == 429) {
      return new UpstreamFailureException(Kind.RATE_LIMITED, status, RateLimitHeaders.retryAfter(headers, clock.now()),
          what + " -> 429" + said, null);
    }
    if (status >= 500 && status <= 599) {
      return new UpstreamFailureException(Kind.SERVER_ERROR, status, null, what + " -> " + status + said, null);
    }
    if (status == 404) {
      return new UpstreamFailureException(Kind.MALFORMED, 404, null,
          what + " -> 404 (is the base URL " + shownBase + " right?)" + said, null);
    }
    return new UpstreamFailureException(Kind.MALFORMED, status, null, what + ": unexpected status " + status + said,
        null);
  }

  /** Parses a 2xx body with {@code reader}; anything wrong with the body becomes MALFORMED. */
  private <T> T read(Exchange ex, Function<JsonNode, T> reader) {
    JsonNode root;
    try {
      root = TradierJson.MAPPER.readTree(ex.body());
    } catch (IOException e) {
      String type = ex.headers().firstValue("Content-Type").orElse("no content type");
      throw malformed(ex, "not JSON (" + type + "): "
          + abbreviate(secrets.redact(new String(ex.body(), StandardCharsets.UTF_8))), e);
    }
    if (root == null || root.isMissingNode()) {
      throw malformed(ex, "empty body", null);
    }
    try {
      return reader.apply(root);
    } catch (UpstreamException e) {
      throw e;
    } catch (TradierJson.ShapeException e) {
      throw malformed(ex, e.getMessage(), null);
    } catch (RuntimeException e) {
      // a shape TradierJson did not anticipate: still the body's fault, not ours to propagate raw
      throw malformed(ex, abbreviate(secrets.redact(e.toString())), e);
    }
  }

  private UpstreamFailureException malformed(Exchange ex, String detail, Throwable cause) {
    return new UpstreamFailureException(Kind.MALFORMED, ex.status(), null,
        ex.what() + ": malformed answer: " + secrets.redact(detail), cause);
  }

  // ---- small helpers ----------------------------------------------------------------------------------------

  private static Map<String, String> params(String name, String value) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put(name, value);
    return params;
  }

  /** Query-component encoding: UTF-8, a space as {@code %20} rather than {@code +}. */
  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
  }

  /** Collapses whitespace and cuts to {@value #SNIPPET_CHARS} characters. */
  static String abbreviate(String s) {
    String flat = s.replaceAll("\\s+", " ").trim();
    return flat.length() <= SNIPPET_CHARS ? flat : flat.substring(0, SNIPPET_CHARS) + "...";
  }

  private static long millisSince(long startedNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  private static URI normalize(URI baseUrl) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("baseUrl: expected an http or https URL, was '" + baseUrl + "'");
    }
    if (baseUrl.getHost() == null || baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
      throw new IllegalArgumentException("baseUrl: expected scheme://host[:port][/path], was '" + baseUrl + "'");
    }
    String s = baseUrl.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }

  private static String requireToken(String token) {
    if (token.isBlank()) {
      throw new IllegalArgumentException("token: must not be blank (use null for no token)");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException("token: must be printable ASCII without spaces");
      }
    }
    return token;
  }

  private static Duration requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + ": must be positive, was " + d);
    }
    return d;
  }

  private static void requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + ": must not be blank");
    }
  }
}
