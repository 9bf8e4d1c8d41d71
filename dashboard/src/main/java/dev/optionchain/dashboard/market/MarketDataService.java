package dev.optionchain.dashboard.market;

import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerConfig;
import dev.optionchain.breaker.CircuitBreakerOpenException;
import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.dashboard.cache.CacheException;
import dev.optionchain.dashboard.cache.Cached;
import dev.optionchain.dashboard.cache.MarketCache;
import dev.optionchain.dashboard.config.BreakerSettings;
import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.market.Sourced.Cause;
import dev.optionchain.dashboard.market.Sourced.Fallback;
import dev.optionchain.dashboard.model.Expirations;
import dev.optionchain.dashboard.model.Interval;
import dev.optionchain.dashboard.model.OptionChain;
import dev.optionchain.dashboard.model.PriceHistory;
import dev.optionchain.dashboard.model.Quote;
import dev.optionchain.dashboard.model.TickerInfo;
import dev.optionchain.dashboard.upstream.TradierClient;
import dev.optionchain.dashboard.upstream.UnknownSymbolException;
import dev.optionchain.dashboard.upstream.UpstreamBadRequestException;
import dev.optionchain.dashboard.upstream.UpstreamFailureException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The market data the dashboard serves, each kind fetched from the upstream through its own circuit breaker and
 * backed by the cache.
 *
 * <p>Every read follows the same steps: if the upstream asked us to slow down and its wait has not passed, or the
 * breaker rejects the call, the upstream is not called; otherwise it is called with the call's own timeout, and a good
 * answer is stored in the cache and returned as {@code live}. When the upstream is not called or fails, the cached
 * copy is returned as {@code cache} with the reason; when nothing is cached, a {@link DataUnavailableException}.
 * Unknown symbols and bad requests are the caller's errors: they reach the caller (404, 400) and count as successes
 * for the breaker, since the upstream answered correctly. An empty payload where the cache holds data is treated as an
 * upstream failure, so it never replaces good data.
 *
 * <p>Thread-safe.
 */
public final class MarketDataService {

  private static final Logger LOG = LoggerFactory.getLogger(MarketDataService.class);

  /** How long cached expirations are trusted to validate a requested expiration without asking the upstream. */
  private static final Duration EXPIRATIONS_FRESH_FOR = Duration.ofMinutes(10);

  /** Longest history range served. */
  static final long MAX_HISTORY_DAYS = 366L * 20;

  /** Default wait after a 429 that named none (Tradier's rate-limit window is one minute). */
  private static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofSeconds(60);

  private final MarketCache cache;
  private final BreakerClock clock;
  private final MarketObserver observer;
  private final Map<String, Upstream> upstreams = new LinkedHashMap<>();
  /** Loads the parts of a dashboard view in parallel; bounded, daemon threads. */
  private final ExecutorService parts = new ThreadPoolExecutor(4, 32, 30, TimeUnit.SECONDS,
      new SynchronousQueue<>(), daemonThreads(), new ThreadPoolExecutor.CallerRunsPolicy());

  /**
   * Creates the service and registers one breaker per upstream call in {@code registry} (unless breakers are
   * disabled in the configuration).
   *
   * @param clients makes the upstream client of each call (its connect timeout is the call's)
   * @param cache the cache
   * @param registry where the breakers are registered
   * @param config the configuration
   * @param clock the breakers' clock, also used for {@code asOf} timestamps
   * @param observer told of every upstream call and every answer (metrics, SLA)
   */
  public MarketDataService(Function<BreakerSettings, TradierClient> clients, MarketCache cache,
      CircuitBreakerRegistry registry, DashboardConfig config, BreakerClock clock, MarketObserver observer) {
    this.cache = cache;
    this.clock = clock;
    this.observer = observer;
    for (BreakerSettings s : config.breakers().values()) {
      CircuitBreaker breaker = CircuitBreaker.of(s.name(), CircuitBreakerConfig.builder()
          .failureThreshold(s.failureThreshold())
          .recoveryTimeout(s.recoveryTimeout())
          .recordExceptions(MarketDataService::isUpstreamFault)
          .clock(clock)
          .build());
      registry.register(s.name(), breaker);
      upstreams.put(s.name(), new Upstream(s.name(), config.breakersEnabled() ? breaker : null, clients.apply(s),
          s.requestTimeout()));
    }
  }

  /** The caller's errors are the upstream answering correctly: successes for the breaker. */
  static boolean isUpstreamFault(Throwable t) {
    return !(t instanceof UnknownSymbolException || t instanceof UpstreamBadRequestException);
  }

  /**
   * Returns the current price of {@code symbol} (breaker {@code current_price}).
   *
   * @param symbol a validated symbol
   * @return the quote and its provenance
   * @throws NotFoundException if the symbol is unknown
   * @throws DataUnavailableException if neither the upstream nor the cache has it
   */
  public Sourced<Quote> quote(String symbol) {
    Upstream u = upstream(DashboardConfig.CURRENT_PRICE);
    return fetch(u, () -> u.client.quote(symbol, u.timeout), q -> cache.putQuote(q, now()), () -> cache.quote(symbol));
  }

  /**
   * Returns the name, type, exchange, 52-week range and average volume of {@code symbol} (breaker
   * {@code ticker_info}).
   *
   * @param symbol a validated symbol
   * @return the info and its provenance
   */
  public Sourced<TickerInfo> info(String symbol) {
    Upstream u = upstream(DashboardConfig.TICKER_INFO);
    return fetch(u, () -> TickerInfo.of(u.client.quote(symbol, u.timeout)), i -> cache.putInfo(i, now()),
        () -> cache.info(symbol));
  }

  /**
   * Returns bars of {@code symbol} (breaker {@code price_history}). An empty answer where the cache has bars for the
   * range counts as an upstream failure.
   *
   * @param symbol a validated symbol
   * @param interval the bar interval
   * @param start first date; null for a year before {@code end}
   * @param end last date; null for today (UTC)
   * @return the bars and their provenance
   */
  public Sourced<PriceHistory> history(String symbol, Interval interval, LocalDate start, LocalDate end) {
    LocalDate last = end != null ? end : LocalDate.ofInstant(now(), ZoneOffset.UTC);
    LocalDate first = start != null ? start : last.minusYears(1);
    if (first.isAfter(last)) {
      throw new InvalidRequestException("start (" + first + ") must not be after end (" + last + ")");
    }
    if (first.plusDays(MAX_HISTORY_DAYS).isBefore(last)) {
      throw new InvalidRequestException("history ranges are limited to 20 years, asked " + first + " to " + last);
    }
    Upstream u = upstream(DashboardConfig.PRICE_HISTORY);
    return fetch(u, () -> {
      PriceHistory h = u.client.history(symbol, interval, first, last, u.timeout);
      if (h.bars().isEmpty() && cachedQuietly(() -> cache.hasHistory(symbol, interval, first, last))) {
        throw emptyPayload("price history of " + symbol);
      }
      return h;
    }, h -> {
      if (!h.bars().isEmpty()) {
        cache.putHistory(h, now());
      }
    }, () -> cache.history(symbol, interval, first, last));
  }

  /**
   * Returns the option expirations of {@code symbol} (breaker {@code expirations}).
   *
   * @param symbol a validated symbol
   * @return the expirations and their provenance
   * @throws NotFoundException if the upstream lists none and none are cached
   */
  public Sourced<Expirations> expirations(String symbol) {
    Upstream u = upstream(DashboardConfig.EXPIRATIONS);
    Sourced<Expirations> e = fetch(u, () -> {
      Expirations x = u.client.expirations(symbol, u.timeout);
      if (x.dates().isEmpty() && cachedQuietly(() -> cache.hasExpirations(symbol))) {
        throw emptyPayload("expirations of " + symbol);
      }
      return x;
    }, x -> {
      if (!x.dates().isEmpty()) {
        cache.putExpirations(x, now());
      }
    }, () -> cache.expirations(symbol));
    if (e.data().dates().isEmpty()) {
      throw new NotFoundException("no listed options for symbol '" + symbol + "'");
    }
    return e;
  }

  /**
   * Returns the option chain of {@code symbol} for {@code expiration} (breaker {@code options_chain}). The expiration
   * is checked against the symbol's expirations when they can be had (from a recent cache entry, or the upstream).
   *
   * @param symbol a validated symbol
   * @param expiration the expiration date
   * @return the chain and its provenance
   * @throws InvalidRequestException if the expiration is not listed
   */
  public Sourced<OptionChain> chain(String symbol, LocalDate expiration) {
    checkExpiration(symbol, expiration);
    Upstream u = upstream(DashboardConfig.OPTIONS_CHAIN);
    return fetch(u, () -> {
      OptionChain c = u.client.chain(symbol, expiration, u.timeout);
      if (c.contracts().isEmpty() && cachedQuietly(() -> cache.hasChain(symbol, expiration))) {
        throw emptyPayload("option chain of " + symbol + " " + expiration);
      }
      return c;
    }, c -> {
      if (!c.contracts().isEmpty()) {
        cache.putChain(c, now());
      }
    }, () -> cache.chain(symbol, expiration));
  }

  /**
   * Loads everything the dashboard page shows for {@code symbol}: quote, info, six months of daily bars and the
   * expirations in parallel, then the chain of the nearest expiration. Each part falls back on its own; only an
   * unknown symbol fails the whole view.
   *
   * @param symbol a validated symbol
   * @return the view
   * @throws NotFoundException if the upstream does not know the symbol
   */
  public DashboardView dashboard(String symbol) {
    CompletableFuture<DashboardView.Part<Quote>> quote =
        part(DashboardConfig.CURRENT_PRICE, () -> quote(symbol));
    CompletableFuture<DashboardView.Part<TickerInfo>> info =
        part(DashboardConfig.TICKER_INFO, () -> info(symbol));
    LocalDate today = LocalDate.ofInstant(now(), ZoneOffset.UTC);
    CompletableFuture<DashboardView.Part<PriceHistory>> history = part(DashboardConfig.PRICE_HISTORY,
        () -> history(symbol, Interval.DAILY, today.minusMonths(6), today));
    DashboardView.Part<Expirations> expirations = part(DashboardConfig.EXPIRATIONS, () -> expirations(symbol)).join();
    Optional<LocalDate> nearest = expirations.value().flatMap(e -> e.data().dates().stream()
        .filter(d -> !d.isBefore(today)).findFirst());
    DashboardView.Part<OptionChain> chain = nearest
        .map(exp -> part(DashboardConfig.OPTIONS_CHAIN, () -> chain(symbol, exp)).join())
        .orElseGet(() -> DashboardView.Part.notFound(DashboardConfig.OPTIONS_CHAIN,
            expirations.status() == DashboardView.Status.NOT_FOUND ? "no listed options"
                : "no expiration known: the expirations are unavailable"));
    DashboardView.Part<Quote> q = quote.join();
    if (q.status() == DashboardView.Status.NOT_FOUND) {
      throw new NotFoundException("unknown symbol '" + symbol + "'");
    }
    return new DashboardView(symbol, nearest, q, info.join(), expirations, chain, history.join());
  }

  private <T> CompletableFuture<DashboardView.Part<T>> part(String breaker, Supplier<Sourced<T>> load) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return DashboardView.Part.of(load.get(), breaker);
      } catch (DataUnavailableException e) {
        return DashboardView.Part.<T>unavailable(e);
      } catch (NotFoundException | InvalidRequestException e) {
        return DashboardView.Part.<T>notFound(breaker, e.getMessage());
      }
    }, parts);
  }

  /** Stops the threads that load dashboard parts. */
  public void close() {
    parts.shutdownNow();
  }

  private void checkExpiration(String symbol, LocalDate expiration) {
    Optional<Expirations> known = cachedQuietly(() -> cache.expirations(symbol))
        .filter(c -> c.fetchedAt().plus(EXPIRATIONS_FRESH_FOR).isAfter(now()))
        .map(Cached::value);
    if (known.isEmpty()) {
      try {
        known = Optional.of(expirations(symbol).data());
      } catch (DataUnavailableException e) {
        return; // cannot check; let the chain call decide
      }
    }
    if (!known.get().dates().contains(expiration)) {
      throw new InvalidRequestException("expiration " + expiration + " is not listed for " + symbol
          + "; see /api/options/" + symbol + "/expirations");
    }
  }

  private <T> Sourced<T> fetch(Upstream u, Supplier<T> live, Consumer<T> store,
      Supplier<Optional<Cached<T>>> cached) {
    T value;
    try {
      value = u.call(timed(u.name, live), this::now);
    } catch (CircuitBreakerOpenException open) {
      return fromCache(cached, new Fallback(u.name, Cause.BREAKER_OPEN, Optional.of(open.retryAfter()),
          "circuit breaker '" + u.name + "' is " + open.state() + "; upstream not called"));
    } catch (UnknownSymbolException unknown) {
      throw new NotFoundException("unknown symbol '" + unknown.symbol() + "'");
    } catch (UpstreamBadRequestException bad) {
      throw new InvalidRequestException("the upstream rejected the request: " + bad.getMessage());
    } catch (UpstreamFailureException failure) {
      if (failure.kind() == UpstreamFailureException.Kind.RATE_LIMITED) {
        Duration wait = failure.retryAfter().orElse(DEFAULT_RATE_LIMIT_WAIT);
        u.rateLimitUntil(now().plus(wait));
        return fromCache(cached, new Fallback(u.name, Cause.RATE_LIMITED, Optional.of(wait),
            "upstream rate limit: " + failure.getMessage()));
      }
      LOG.warn("upstream {} failed: {} {}", u.name, failure.kind(), failure.getMessage());
      return fromCache(cached, new Fallback(u.name, Cause.UPSTREAM_FAILED, failure.retryAfter(),
          "upstream failed (" + failure.kind() + "): " + failure.getMessage()));
    }
    Instant fetchedAt = now();
    try {
      store.accept(value);
    } catch (CacheException e) {
      LOG.error("could not cache {} answer: {}", u.name, e.getMessage(), e);
    }
    observer.served(u.name, Sourced.Source.LIVE);
    return Sourced.live(value, fetchedAt);
  }

  /** Times the upstream request itself and tells the observer how it went. */
  private <T> Supplier<T> timed(String breaker, Supplier<T> live) {
    return () -> {
      long start = System.nanoTime();
      String outcome = MarketObserver.SUCCESS;
      try {
        return live.get();
      } catch (UnknownSymbolException | UpstreamBadRequestException e) {
        outcome = MarketObserver.CLIENT_ERROR;
        throw e;
      } catch (UpstreamFailureException e) {
        outcome = e.kind().name().toLowerCase(Locale.ROOT);
        throw e;
      } catch (RuntimeException | Error e) {
        outcome = "error";
        throw e;
      } finally {
        observer.upstreamCall(breaker, Duration.ofNanos(System.nanoTime() - start), outcome);
      }
    };
  }

  private <T> Sourced<T> fromCache(Supplier<Optional<Cached<T>>> cached, Fallback why) {
    Optional<Cached<T>> hit = cachedQuietly(cached);
    if (hit.isEmpty()) {
      observer.unavailable(why.breaker(), why.cause());
      throw new DataUnavailableException(why);
    }
    observer.served(why.breaker(), Sourced.Source.CACHE);
    return Sourced.cached(hit.get().value(), hit.get().fetchedAt(), why);
  }

  /** A cache that cannot be read is a cache miss, logged; it never turns a fallback into a 500. */
  private static <T> Optional<Cached<T>> cachedQuietly(Supplier<Optional<Cached<T>>> cached) {
    try {
      return cached.get();
    } catch (CacheException e) {
      LOG.error("cache read failed: {}", e.getMessage(), e);
      return Optional.empty();
    }
  }

  /** Whether the cache holds data; a cache that cannot be read holds none (an empty answer is then believed). */
  private static boolean cachedQuietly(BooleanSupplier hasData) {
    try {
      return hasData.getAsBoolean();
    } catch (CacheException e) {
      LOG.error("cache read failed: {}", e.getMessage(), e);
      return false;
    }
  }

  private static UpstreamFailureException emptyPayload(String what) {
    return new UpstreamFailureException(UpstreamFailureException.Kind.EMPTY, 200, null,
        "empty " + what + " where data was cached", null);
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "dashboard-part-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private Upstream upstream(String name) {
    return upstreams.get(name);
  }

  /** Now, at the cache's precision (microseconds), so a live answer's asOf is what the cache will later report. */
  private Instant now() {
    return clock.now().truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * One upstream call: its breaker (null when disabled), timeout and rate-limit wait. After a 429 the upstream is not
   * called again until its {@code Retry-After} has passed; each call attempted meanwhile fails at once as
   * rate-limited, inside the breaker, so a storm of requests against a rate-limited upstream trips the breaker
   * without sending it a single further request.
   */
  private static final class Upstream {
    final String name;
    final CircuitBreaker breaker;
    final TradierClient client;
    final Duration timeout;
    private volatile Instant notBefore = Instant.MIN;

    Upstream(String name, CircuitBreaker breaker, TradierClient client, Duration timeout) {
      this.name = name;
      this.breaker = breaker;
      this.client = client;
      this.timeout = timeout;
    }

    <T> T call(Supplier<T> fn, Supplier<Instant> now) {
      Supplier<T> honouringRateLimit = () -> {
        Duration wait = rateLimitWait(now.get());
        if (!wait.isZero()) {
          throw new UpstreamFailureException(UpstreamFailureException.Kind.RATE_LIMITED, 429, wait,
              "waiting " + wait.toSeconds() + " s more as the upstream asked; not calling it", null);
        }
        return fn.get();
      };
      return breaker == null ? honouringRateLimit.get() : breaker.call(honouringRateLimit);
    }

    Duration rateLimitWait(Instant now) {
      Instant until = notBefore;
      return now.isBefore(until) ? Duration.between(now, until) : Duration.ZERO;
    }

    void rateLimitUntil(Instant until) {
      notBefore = until;
    }
  }
}
