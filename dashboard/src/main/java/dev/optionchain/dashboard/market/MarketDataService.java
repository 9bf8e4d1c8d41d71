package dev.optionchain.dashboard.market;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerConfig;
import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.dashboard.cache.CacheWriter;
import dev.optionchain.dashboard.cache.Cached;
import dev.optionchain.dashboard.cache.KeyedStore;
import dev.optionchain.dashboard.cache.MarketCache;
import dev.optionchain.dashboard.config.BreakerSettings;
import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.model.ChainKey;
import dev.optionchain.dashboard.model.Expirations;
import dev.optionchain.dashboard.model.HistoryKey;
import dev.optionchain.dashboard.model.Interval;
import dev.optionchain.dashboard.model.OptionChain;
import dev.optionchain.dashboard.model.PriceHistory;
import dev.optionchain.dashboard.model.Quote;
import dev.optionchain.dashboard.model.TickerInfo;
import dev.optionchain.dashboard.upstream.TradierClient;
import dev.optionchain.dashboard.upstream.UnknownSymbolException;
import dev.optionchain.dashboard.upstream.UpstreamBadRequestException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The market data the dashboard serves: five kinds, each a {@link Fetcher} with its own breaker, fresh-for and
 * cache table, all sharing one upstream budget, one cache writer and one memory of unknown symbols.
 *
 * <p>A request reads top to bottom: route, this service (input checks, unknown symbols), the kind's fetcher
 * (memory, single flight, budget, breaker, client, writer; the stale fallback last). See {@link Fetcher}.
 *
 * <p>Thread-safe.
 */
public final class MarketDataService {

  /** Longest history range served. */
  static final long MAX_HISTORY_DAYS = 366L * 20;

  private final BreakerClock clock;
  private final Fetcher<String, Quote> quotes;
  private final Fetcher<String, TickerInfo> infos;
  private final Fetcher<HistoryKey, PriceHistory> history;
  private final Fetcher<String, Expirations> expirations;
  private final Fetcher<ChainKey, OptionChain> chains;
  private final Map<String, MemoryFreshAnswers<?, ?>> memories = new ConcurrentHashMap<>();
  private final Map<String, LastGoodAnswers<?, ?>> lastGoods = new ConcurrentHashMap<>();
  private final Map<String, Bulkhead> bulkheads = new ConcurrentHashMap<>();
  /** Symbols the upstream said it does not know, answered 404 without asking it again; null when not remembered. */
  private final Cache<String, Boolean> unknownSymbols;
  /**
   * Loads the parts of a dashboard view in parallel: at most 32 daemon threads and no queue (a part that finds no
   * thread runs on the request's own), so views never pile up here; and a part waits for the upstream only with a
   * place in its kind's {@link Bulkhead}, so a view's request thread waits only as long as one of its parts holds one.
   */
  private final ExecutorService parts = new ThreadPoolExecutor(4, 32, 30, TimeUnit.SECONDS,
      new SynchronousQueue<>(), daemonThreads(), new ThreadPoolExecutor.CallerRunsPolicy());

  /**
   * Creates the service and registers one breaker per upstream call in {@code registry} (unless breakers are
   * disabled in the configuration).
   *
   * @param clients makes the upstream client of each call (its connect timeout is the call's)
   * @param cache the DuckDB cache, for fallbacks
   * @param writer where live answers are written, off the request path
   * @param budget the upstream budget, shared by every call (the clients report the upstream's headers to it)
   * @param registry where the breakers are registered
   * @param config the configuration
   * @param clock the service's one clock: breakers, freshness, budget, {@code asOf}
   * @param observer told of every upstream call and every answer (metrics, SLA)
   * @param sharing what is shared with a fleet's other instances ({@link Sharing#NONE} alone)
   */
  public MarketDataService(Function<BreakerSettings, TradierClient> clients, MarketCache cache, CacheWriter writer,
      UpstreamBudget budget, CircuitBreakerRegistry registry, DashboardConfig config, BreakerClock clock,
      MarketObserver observer, Sharing sharing) {
    this.clock = clock;
    Duration unknownFor = config.cache().unknownSymbolsFor();
    this.unknownSymbols = unknownFor.isZero() ? null : Caffeine.newBuilder()
        .maximumSize(100_000).expireAfterWrite(unknownFor).ticker(clock::nanoTime).executor(Runnable::run).build();
    Kinds k = new Kinds(clients, cache, writer, budget, registry, config, clock, observer, sharing);
    quotes = k.fetcher(DashboardConfig.CURRENT_PRICE, cache.quotes(), Quote.class, (s, t, c) -> c.quote(s, t),
        q -> false, s -> Optional.empty(), (s, q) -> s.equalsIgnoreCase(q.symbol()));
    Fetcher<String, Quote> quotesForInfo = quotes;
    infos = k.fetcher(DashboardConfig.TICKER_INFO, cache.infos(), TickerInfo.class,
        (s, t, c) -> TickerInfo.of(c.quote(s, t)), i -> false,
        s -> quotesForInfo.joinIfPresent(s).map(q -> new Cached<>(TickerInfo.of(q.value()), q.fetchedAt())),
        (s, i) -> s.equalsIgnoreCase(i.symbol()));
    history = k.fetcher(DashboardConfig.PRICE_HISTORY, cache.history(), PriceHistory.class,
        (h, t, c) -> c.history(h.symbol(), h.interval(), h.start(), h.end(), t), h -> h.bars().isEmpty(),
        h -> Optional.empty(), (h, p) -> h.symbol().equalsIgnoreCase(p.symbol()) && h.interval() == p.interval()
            && h.start().equals(p.start()) && h.end().equals(p.end()));
    expirations = k.fetcher(DashboardConfig.EXPIRATIONS, cache.expirations(), Expirations.class,
        (s, t, c) -> c.expirations(s, t), e -> e.dates().isEmpty(), s -> Optional.empty(),
        (s, e) -> s.equalsIgnoreCase(e.symbol()));
    chains = k.fetcher(DashboardConfig.OPTIONS_CHAIN, cache.chains(), OptionChain.class,
        (ch, t, c) -> c.chain(ch.symbol(), ch.expiration(), t), ch -> ch.contracts().isEmpty(),
        ch -> Optional.empty(), (ch, o) -> ch.symbol().equalsIgnoreCase(o.underlying())
            && ch.expiration().equals(o.expiration()));
  }

  /** An upstream call of the client, with the call's timeout. */
  @FunctionalInterface
  private interface ClientCall<K, V> {
    V apply(K key, Duration timeout, TradierClient client);
  }

  /** Builds the fetchers: what the five kinds share. */
  private final class Kinds {
    final Function<BreakerSettings, TradierClient> clients;
    final CacheWriter writer;
    final UpstreamBudget budget;
    final CircuitBreakerRegistry registry;
    final DashboardConfig config;
    final BreakerClock clock;
    final MarketObserver observer;
    final Sharing sharing;

    Kinds(Function<BreakerSettings, TradierClient> clients, MarketCache cache, CacheWriter writer,
        UpstreamBudget budget, CircuitBreakerRegistry registry, DashboardConfig config, BreakerClock clock,
        MarketObserver observer, Sharing sharing) {
      this.clients = clients;
      this.writer = writer;
      this.budget = budget;
      this.registry = registry;
      this.config = config;
      this.clock = clock;
      this.observer = observer;
      this.sharing = sharing;
    }

    <K, V> Fetcher<K, V> fetcher(String name, KeyedStore<K, V> store, Class<V> type, ClientCall<K, V> call,
        Predicate<V> empty, Function<K, Optional<Cached<V>>> shortcut, BiPredicate<K, V> belongs) {
      BreakerSettings s = config.breaker(name);
      CircuitBreakerConfig.Builder cfg = CircuitBreakerConfig.builder()
          .failureThreshold(s.failureThreshold())
          .recoveryTimeout(s.recoveryTimeout())
          .recordExceptions(MarketDataService::isUpstreamFault)
          .ignoreExceptions(Fetcher::isRefusal)
          .clock(clock);
      s.slowCallDuration().ifPresent(cfg::slowCallDuration); // a slow success counts as a failure
      sharing.trialGate(s).ifPresent(cfg::trialGate); // a fleet: one instance makes the trial call
      CircuitBreaker breaker = CircuitBreaker.of(name, cfg.build());
      registry.register(name, breaker);
      TradierClient client = clients.apply(s);
      AnswerWeight weight = new AnswerWeight(config.cache().memoryEntries(), config.cache().memoryLimit());
      MemoryFreshAnswers<K, V> fresh = new MemoryFreshAnswers<>(weight, s.freshFor(), clock);
      memories.put(name, fresh);
      Bulkhead bulkhead = new Bulkhead(s.maxConcurrentCalls(), s.maxWaitingRequests());
      bulkheads.put(name, bulkhead);
      BiFunction<K, Duration, V> upstream = (key, timeout) -> call.apply(key, timeout, client);
      SharedAnswers<K, V> shared = sharing.answers(s, type, belongs);
      LastGoodAnswers<K, V> lastGood = new LastGoodAnswers<>(weight, store, writer, shared);
      lastGoods.put(name, lastGood);
      return new Fetcher<>(name, config.breakersEnabled() ? breaker : null, s.requestTimeout(), fresh,
          lastGood, budget, upstream, empty, shortcut, observer, clock,
          MarketDataService.this::rememberUnknown, shared, bulkhead);
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
    return quotes.get(known(symbol));
  }

  /**
   * Returns the name, type, exchange, 52-week range and average volume of {@code symbol} (breaker
   * {@code ticker_info}); from a fresh quote when there is one, or from the quote being loaded (waiting for it),
   * without a call of its own.
   *
   * @param symbol a validated symbol
   * @return the info and its provenance
   */
  public Sourced<TickerInfo> info(String symbol) {
    return infos.get(known(symbol));
  }

  /**
   * Returns bars of {@code symbol} (breaker {@code price_history}).
   *
   * @param symbol a validated symbol
   * @param interval the bar interval
   * @param start first date; null for a year before {@code end}
   * @param end last date; null for today (UTC)
   * @return the bars and their provenance
   */
  public Sourced<PriceHistory> history(String symbol, Interval interval, LocalDate start, LocalDate end) {
    LocalDate last = end != null ? end : today();
    LocalDate first = start != null ? start : last.minusYears(1);
    if (first.isAfter(last)) {
      throw new InvalidRequestException("start (" + first + ") must not be after end (" + last + ")");
    }
    if (first.plusDays(MAX_HISTORY_DAYS).isBefore(last)) {
      throw new InvalidRequestException("history ranges are limited to 20 years, asked " + first + " to " + last);
    }
    return history.get(new HistoryKey(known(symbol), interval, first, last));
  }

  /**
   * Returns the option expirations of {@code symbol}, of every root (breaker {@code expirations}).
   *
   * @param symbol a validated symbol
   * @return the expirations and their provenance
   * @throws NotFoundException if the upstream lists none and none are cached
   */
  public Sourced<Expirations> expirations(String symbol) {
    Sourced<Expirations> e = expirations.get(known(symbol));
    if (e.data().dates().isEmpty()) {
      throw new NotFoundException("no listed options for symbol '" + symbol + "'");
    }
    return e;
  }

  /**
   * Returns the option chain of {@code symbol} for {@code expiration}, every root (breaker {@code options_chain}).
   * The expiration is checked against the symbol's expirations when they can be had (fresh from memory, else the
   * upstream, else the cache).
   *
   * @param symbol a validated symbol
   * @param expiration the expiration date
   * @return the chain and its provenance
   * @throws InvalidRequestException if the expiration is not listed
   */
  public Sourced<OptionChain> chain(String symbol, LocalDate expiration) {
    known(symbol);
    Optional<Expirations> listed;
    try {
      listed = Optional.of(expirations(symbol).data());
    } catch (DataUnavailableException e) {
      listed = Optional.empty(); // cannot check; let the chain call decide
    }
    if (listed.isPresent() && !listed.get().dates().contains(expiration)) {
      throw new InvalidRequestException("expiration " + expiration + " is not listed for " + symbol
          + "; see /api/options/" + symbol + "/expirations");
    }
    return chains.get(new ChainKey(symbol, expiration));
  }

  /**
   * Loads everything the dashboard page shows for {@code symbol}: quote, info, six months of daily bars and the
   * expirations in parallel, then the chain of the nearest expiration. Each part falls back on its own; only an
   * unknown symbol fails the whole view. Every part shares memory and in-flight calls with the single routes.
   *
   * @param symbol a validated symbol
   * @return the view
   * @throws NotFoundException if the upstream does not know the symbol
   */
  public DashboardView dashboard(String symbol) {
    known(symbol);
    CompletableFuture<DashboardView.Part<Quote>> quote =
        part(DashboardConfig.CURRENT_PRICE, () -> quote(symbol));
    CompletableFuture<DashboardView.Part<TickerInfo>> info =
        part(DashboardConfig.TICKER_INFO, () -> info(symbol));
    LocalDate today = today();
    CompletableFuture<DashboardView.Part<PriceHistory>> bars = part(DashboardConfig.PRICE_HISTORY,
        () -> history(symbol, Interval.DAILY, today.minusMonths(6), today));
    DashboardView.Part<Expirations> dates = part(DashboardConfig.EXPIRATIONS, () -> expirations(symbol)).join();
    Optional<LocalDate> nearest = dates.value().flatMap(e -> e.data().dates().stream()
        .filter(d -> !d.isBefore(today)).findFirst());
    DashboardView.Part<OptionChain> chain = nearest
        .map(exp -> part(DashboardConfig.OPTIONS_CHAIN, () -> chain(symbol, exp)).join())
        .orElseGet(() -> DashboardView.Part.notFound(DashboardConfig.OPTIONS_CHAIN,
            dates.status() == DashboardView.Status.NOT_FOUND ? "no listed options"
                : "no expiration known: the expirations are unavailable"));
    DashboardView.Part<Quote> q = quote.join();
    if (q.status() == DashboardView.Status.NOT_FOUND) {
      throw new NotFoundException("unknown symbol '" + symbol + "'");
    }
    return new DashboardView(symbol, nearest, q, info.join(), dates, chain, bars.join());
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

  /**
   * Counts of the memory in front of the upstream, by breaker name: answers served from memory, loads started,
   * callers that joined a load in flight.
   *
   * @return {@code name -> [hits, loads, joined]}
   */
  public Map<String, long[]> memoryCounts() {
    Map<String, long[]> m = new java.util.TreeMap<>();
    memories.forEach((name, f) -> m.put(name, new long[] {f.hits(), f.loads(), f.joined()}));
    return m;
  }

  /**
   * The weight of the answers kept in memory, by breaker name, each tier bounded by {@code cache.memory-limit}: the
   * estimated bytes of each answer, at least {@code cache.memory-limit / cache.memory-entries} each (see
   * {@code AnswerWeight}). Runs Caffeine's pending maintenance first.
   *
   * @return {@code name -> [fresh answers' weight, last good answers' weight]}
   */
  public Map<String, long[]> memoryWeights() {
    Map<String, long[]> m = new java.util.TreeMap<>();
    memories.forEach((name, f) -> m.put(name, new long[] {f.weightedSize(), lastGoods.get(name).weightedSize()}));
    return m;
  }

  /**
   * The bulkheads, by breaker name: request threads waiting for the upstream now, upstream calls in flight now,
   * requests refused since start for want of a place.
   *
   * @return {@code name -> [waiting, calls, refused]}
   */
  public Map<String, long[]> bulkheadCounts() {
    Map<String, long[]> m = new java.util.TreeMap<>();
    bulkheads.forEach((name, b) -> m.put(name, new long[] {b.waiting(), b.calls(), b.refused()}));
    return m;
  }

  /** Stops the threads that load dashboard parts. */
  public void close() {
    parts.shutdownNow();
  }

  private String known(String symbol) {
    if (unknownSymbols != null && unknownSymbols.getIfPresent(symbol) != null) {
      throw new NotFoundException("unknown symbol '" + symbol + "'");
    }
    return symbol;
  }

  /**
   * Remembers a symbol the upstream does not know, unless a good answer of it is in memory: one odd answer for a
   * symbol quoted a moment ago must not hide it, cached data included, from every route for an hour.
   */
  private RuntimeException rememberUnknown(String symbol, boolean hadData) {
    if (unknownSymbols != null && !hadData) {
      unknownSymbols.put(symbol, Boolean.TRUE);
    }
    return new NotFoundException("unknown symbol '" + symbol + "'");
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.now(), ZoneOffset.UTC);
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "dashboard-part-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
