package dev.optionchain.dashboard;

import dev.optionchain.breaker.BreakerClock;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.breaker.CircuitBreakerStatus;
import dev.optionchain.breaker.Subscription;
import dev.optionchain.dashboard.alerts.Alert;
import dev.optionchain.dashboard.alerts.AlertDispatcher;
import dev.optionchain.dashboard.cache.CacheWriter;
import dev.optionchain.dashboard.cache.Database;
import dev.optionchain.dashboard.cache.MarketCache;
import dev.optionchain.dashboard.config.CacheSettings;
import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.config.DuckDbLimits;
import dev.optionchain.dashboard.market.MarketDataService;
import dev.optionchain.dashboard.market.MarketObserver;
import dev.optionchain.dashboard.market.UpstreamBudget;
import dev.optionchain.dashboard.metrics.DashboardMetrics;
import dev.optionchain.dashboard.secrets.Secrets;
import dev.optionchain.dashboard.events.EventHub;
import dev.optionchain.dashboard.fleet.Fleet;
import dev.optionchain.dashboard.history.BreakerHistory;
import dev.optionchain.dashboard.upstream.TradierClient;
import dev.optionchain.dashboard.web.BreakerHealth;
import dev.optionchain.dashboard.web.Json;
import dev.optionchain.dashboard.web.WebServer;
import dev.optionchain.marketsim.MarketSim;
import java.net.URI;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: the upstream (the embedded simulator unless a base URL is configured), the cache, the
 * breaker-protected market-data service and the web server, started in that order and closed in reverse.
 *
 * <pre>{@code
 * try (DashboardApp app = DashboardApp.start(DashboardConfig.from(Settings.defaults()))) {
 *   System.out.println(app.url());
 * }
 * }</pre>
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class DashboardApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DashboardApp.class);

  /** Name of the cache file inside the data directory. */
  public static final String DATABASE_FILE = "market.duckdb";

  /**
   * The longest the start-up warm-up may take ({@link WarmUp}; its default 1500 requests take 5 to 7.5 s on two cores
   * beside the rest of the start-up). A run cut short by it is logged at INFO: a slow machine is no fault.
   */
  static final Duration WARM_UP_LIMIT = Duration.ofSeconds(10);

  private final DashboardConfig config;
  private final CircuitBreakerRegistry breakers;
  private final Optional<MarketSim> simulator;
  private final WebServer web;
  private final MarketCache cache;
  private final CacheWriter writer;
  private final MarketDataService market;
  private final Database db;
  private final Deque<AutoCloseable> resources;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DashboardApp(DashboardConfig config, CircuitBreakerRegistry breakers, Optional<MarketSim> simulator,
      WebServer web, MarketCache cache, CacheWriter writer, MarketDataService market, Database db,
      Deque<AutoCloseable> resources) {
    this.config = config;
    this.breakers = breakers;
    this.simulator = simulator;
    this.web = web;
    this.cache = cache;
    this.writer = writer;
    this.market = market;
    this.db = db;
    this.resources = resources;
  }

  /**
   * Starts the service on the system clock.
   *
   * @param config the configuration
   * @return the running service
   * @throws IllegalStateException if it cannot start (port taken, cache file locked)
   */
  public static DashboardApp start(DashboardConfig config) {
    return start(config, BreakerClock.system());
  }

  /**
   * Starts the service on {@code clock}, the one clock of the whole service: breakers, freshness of the answers in
   * memory, the upstream budget and rate-limit waits (its monotonic reading), {@code asOf} timestamps, the client's
   * {@code Retry-After} dates, alerts, and the embedded simulator's "now" (its wall reading). Tests pass a
   * {@link dev.optionchain.breaker.testing.ManualClock}.
   *
   * @param config the configuration
   * @param clock the service's clock
   * @return the running service
   * @throws IllegalStateException if it cannot start
   */
  public static DashboardApp start(DashboardConfig config, BreakerClock clock) {
    Deque<AutoCloseable> opened = new ArrayDeque<>();
    opened.push(config.secrets().activateInLogs()); // first: nothing below may log a secret
    try {
      ObjectMapper json = Json.mapper();
      // from the first moment: it overlaps the start-up, and the service is ready (/health/ready) when it has ended
      WarmUp.Background warming = config.warmUpRequests() == 0 ? null
          : WarmUp.start(config, clock, json, config.warmUpRequests(), WARM_UP_LIMIT);
      if (warming != null) {
        opened.push(warming);
      }
      BooleanSupplier warmedUp = warming == null ? () -> true : warming::ended;
      MarketSim sim = null;
      URI upstream;
      String token;
      if (config.embeddedUpstream()) {
        sim = MarketSim.builder().port(0).seed(config.simSeed()).clock(wallClock(clock)).start();
        opened.push(sim);
        upstream = URI.create(sim.baseUrl());
        token = null;
        LOG.info("upstream: embedded market simulator on {} (seed {})", upstream, config.simSeed());
      } else {
        upstream = config.upstreamBaseUrl().orElseThrow();
        token = config.upstreamToken().orElse(null);
        LOG.info("upstream: {} ({})", Secrets.shown(upstream), token == null ? "no token" : "bearer token set");
      }
      Database db = Database.open(config.dataDir().resolve(DATABASE_FILE));
      opened.push(db);
      limit(db, config.duckdb());
      MarketCache cache = new MarketCache(db);
      CacheSettings cs = config.cache();
      CacheWriter writer = new CacheWriter(cache, new CacheWriter.Settings(cs.writeBatchSize(),
          cs.writeQueueCapacity(), cs.writeMaxAttempts(), cs.writeRetryBackoff()));
      opened.push(writer);
      BreakerHistory history = BreakerHistory.open(db, clock);
      opened.push(history);
      DashboardMetrics metrics = new DashboardMetrics();
      opened.push(metrics);
      CircuitBreakerRegistry registry = new CircuitBreakerRegistry();
      Fleet fleet = Fleet.start(config.fleet(), clock); // off without fleet.redis-url; never waits for Redis
      opened.push(fleet);
      UpstreamBudget budget = fleet.budget(config.rateLimitPerMinute());
      MarketDataService market = new MarketDataService(
          call -> new TradierClient(upstream, token, call.connectTimeout(), clock, budget::observe), cache, writer,
          budget, registry, config, clock,
          MarketObserver.both(MarketObserver.both(history.observer(), metrics.marketObserver()), fleet.observer()),
          fleet);
      opened.push(market::close);
      history.restore(registry);
      fleet.bind(registry);
      metrics.bindBreakers(registry);
      fleet.bindMetrics(metrics);
      EventHub events = new EventHub(json,
          () -> BreakerHealth.of(registry, config.breakersEnabled(), fleet.status()),
          config.limits().maxEventClients(), config.limits().idleTimeout());
      opened.push(events);
      AlertDispatcher alerts = new AlertDispatcher(config.alerts(), clock);
      opened.push(alerts);
      metrics.counter("alerts.dropped", "alerts dropped because a webhook's queue was full", alerts::dropped);
      metrics.counter("alerts.delivered", "alert deliveries a webhook acknowledged with 2xx", alerts::delivered);
      metrics.counter("alerts.failed", "alert deliveries given up after the last attempt", alerts::failed);
      metrics.gauge("alerts.queued", "alerts waiting to be sent (longest webhook queue)", alerts::queued);
      metrics.counter("breaker.history.lost", "transitions that could not be persisted", history::lost);
      metrics.counter("cache.writes", "answers written to DuckDB by the cache writer", writer::written);
      metrics.counter("cache.write.batches", "cache writer transactions committed", writer::batches);
      metrics.counter("cache.write.failures", "cache writer attempts that failed", writer::failures);
      metrics.counter("cache.write.retries", "answers the cache writer put back to try again", writer::retries);
      metrics.counter("cache.write.dropped", "answers never written (given up, or the queue was full)",
          writer::dropped);
      metrics.counter("cache.write.superseded", "answers replaced by a newer one of the same key before written",
          writer::superseded);
      metrics.gauge("cache.write.queued", "answers waiting to be written", writer::queued);
      metrics.gauge("upstream.budget.available", "upstream calls that may still be made now",
          () -> Math.min(budget.available(), Integer.MAX_VALUE));
      for (String name : DashboardConfig.BREAKER_NAMES) {
        metrics.counter("market.memory.hits." + name, "answers of " + name + " served fresh from memory",
            () -> market.memoryCounts().get(name)[0]);
        metrics.counter("market.memory.loads." + name, "loads of " + name + " started (at most one upstream call)",
            () -> market.memoryCounts().get(name)[1]);
        metrics.counter("market.memory.joined." + name, "requests of " + name + " that waited for a load in flight",
            () -> market.memoryCounts().get(name)[2]);
        metrics.gauge("market.memory.weight.fresh." + name, "estimated bytes of the fresh answers of " + name
            + " kept in memory, at least cache.memory-limit / cache.memory-entries each; at most cache.memory-limit",
            () -> market.memoryWeights().get(name)[0]);
        metrics.gauge("market.memory.weight.last_good." + name, "estimated bytes of the last good answers of "
            + name + " kept in memory, at least cache.memory-limit / cache.memory-entries each; at most "
            + "cache.memory-limit", () -> market.memoryWeights().get(name)[1]);
        metrics.gauge("market.bulkhead.waiting." + name, "requests waiting for the upstream of " + name + " now",
            () -> market.bulkheadCounts().get(name)[0]);
        metrics.gauge("market.bulkhead.calls." + name, "upstream calls of " + name + " in flight now",
            () -> market.bulkheadCounts().get(name)[1]);
        metrics.counter("market.bulkhead.refused." + name, "requests of " + name + " the bulkhead refused (answered "
            + "from the cache or 503)", () -> market.bulkheadCounts().get(name)[2]);
      }
      Subscription transitions = registry.onStateTransition(t -> {
        CircuitBreaker breaker = registry.get(t.breakerName()).orElseThrow();
        CircuitBreakerStatus status = breaker.getStatus();
        history.record(t, breaker.snapshot());
        events.publish(t, status);
        if (Alert.worthAlerting(t)) { // in a fleet: once per fleet transition, by the instance that decided it
          Alert alert = config.fleet().enabled() ? Alert.of(t, status).from(fleet.instanceId()) : Alert.of(t, status);
          fleet.alertOnce(t, () -> alerts.offer(alert));
        }
      });
      opened.push(transitions::close);
      WebServer.startWarnings(config).forEach(LOG::warn); // once: the warm-up's copy of the server warns of nothing
      WebServer web = WebServer.start(config, new WebServer.Backend(market, registry, clock, db::isOpen,
          sim == null ? Optional.empty() : Optional.of(upstream), events, history, metrics, fleet::status, json,
          warmedUp), "dashboard");
      opened.push(web);
      LOG.info("dashboard started: {}", config);
      return new DashboardApp(config, registry, Optional.ofNullable(sim), web, cache, writer, market, db, opened);
    } catch (RuntimeException e) {
      closeAll(opened);
      throw e instanceof IllegalStateException ? e : new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The service's clock as a {@link Clock} for the embedded simulator: one clock for the whole process. */
  static Clock wallClock(BreakerClock clock) {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the service's clock is UTC");
      }

      @Override
      public Instant instant() {
        return clock.now();
      }
    };
  }

  /**
   * Returns the port the web server listens on.
   *
   * @return the bound port
   */
  public int port() {
    return web.port();
  }

  /**
   * Returns the management listener's port.
   *
   * @return the bound port, or empty when {@code management.port} is not set
   */
  public Optional<Integer> managementPort() {
    return web.managementPort();
  }

  /**
   * Returns the service's base URL.
   *
   * @return {@code http://localhost:<port>}
   */
  public URI url() {
    return URI.create("http://localhost:" + port());
  }

  /**
   * Returns the service's circuit breakers.
   *
   * @return the registry holding the five breakers
   */
  public CircuitBreakerRegistry breakers() {
    return breakers;
  }

  /**
   * Returns the embedded simulator, when it is the upstream.
   *
   * @return the simulator, or empty when a real upstream is configured
   */
  public Optional<MarketSim> simulator() {
    return simulator;
  }

  /**
   * Returns the configuration the service runs with.
   *
   * @return the configuration
   */
  public DashboardConfig config() {
    return config;
  }

  /** The cache, for tests. */
  MarketCache cache() {
    return cache;
  }

  /** The database, for tests. */
  Database database() {
    return db;
  }

  /** The cache writer, for tests: its counters, and {@link CacheWriter#awaitIdle}. */
  CacheWriter cacheWriter() {
    return writer;
  }

  /** The market-data service, for tests: its memory counters. */
  MarketDataService market() {
    return market;
  }

  /** Waits until every answer handed to the cache writer is written (tests read the tables right after). */
  void awaitCacheWrites() {
    try {
      if (!writer.awaitIdle(java.time.Duration.ofSeconds(30))) {
        throw new IllegalStateException("the cache writer did not finish within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the web server, then the service, closes the cache (releasing its file lock) and the simulator. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      closeAll(resources);
      LOG.info("dashboard stopped");
    }
  }

  /**
   * Applies DuckDB's memory and thread limits to the database instance (they are global settings: every
   * connection of the file shares them), before anything else uses it.
   */
  static void limit(Database db, DuckDbLimits limits) {
    db.write(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("SET memory_limit = '" + limits.memoryLimit() + "'"); // validated: digits and a unit
        s.execute("SET threads = " + limits.threads());
      }
    });
    LOG.info("DuckDB limits: memory_limit {}, threads {}", limits.memoryLimit(), limits.threads());
  }

  private static void closeAll(Deque<AutoCloseable> resources) {
    while (!resources.isEmpty()) {
      AutoCloseable r = resources.pop();
      try {
        r.close();
      } catch (Exception e) {
        LOG.warn("error while closing {}: {}", r, e.getMessage(), e);
      }
    }
  }
}
