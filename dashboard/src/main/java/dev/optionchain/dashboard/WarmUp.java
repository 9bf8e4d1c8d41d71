package dev.optionchain.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.dashboard.cache.CacheWriter;
import dev.optionchain.dashboard.cache.Database;
import dev.optionchain.dashboard.cache.MarketCache;
import dev.optionchain.dashboard.config.BreakerSettings;
import dev.optionchain.dashboard.config.CacheSettings;
import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.events.EventHub;
import dev.optionchain.dashboard.history.BreakerHistory;
import dev.optionchain.dashboard.market.MarketDataService;
import dev.optionchain.dashboard.market.MarketObserver;
import dev.optionchain.dashboard.market.Sharing;
import dev.optionchain.dashboard.market.UpstreamBudget;
import dev.optionchain.dashboard.metrics.DashboardMetrics;
import dev.optionchain.dashboard.upstream.RecordedTradier;
import dev.optionchain.dashboard.upstream.TradierClient;
import dev.optionchain.dashboard.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up warm-up: from the service's first moment, beside the rest of its start-up, its request path runs a
 * thousand times or more, so that the JIT has compiled it before the first request needs it. The server listens
 * meanwhile and {@code /health/ready} answers 503 until the run has ended. The upstream is never called.
 *
 * <p>Why: under the upstream's budget (Tradier allows 120 calls a minute) the path from the service's memory to the
 * upstream and back runs at most twice a second, and the JVM compiles a method only after hundreds of runs, and
 * optimizes it fully only after thousands. Without this, that path (the HTTP server in front of it, the fetcher and
 * its single flight, the breaker, the upstream client and the JDK's HTTP client, Jackson's parser and the Tradier
 * parsers, the answer's JSON) runs interpreted for minutes after every start, and the first answers that need the
 * upstream take several milliseconds more ({@code docs/benchmarks.md}, "The first request").
 *
 * <p>What runs: {@code requests} HTTP GETs ({@link WarmUpRequests}, one kept-alive connection), round robin over
 * quote, expirations, option chain, daily history and the dashboard view, each for a symbol of its own, to a
 * throwaway {@link WebServer} (the service's class: its listener, handlers, Javalin's routing, the routes, and
 * {@code ctx.json} with the API's own mapper) on a loopback port, in front of a throwaway {@link MarketDataService}
 * built of the same classes as the service's. Its upstream is a {@link RecordedTradier} on a loopback port; it has
 * breakers of its own in a registry of its own, no budget, metrics, SLA history and SSE hub of its own, no fleet, and
 * caches into a DuckDB file of its own in a temporary directory of the data directory, deleted at the end (a
 * directory left by a killed start is deleted by the next; only one with the {@link #MARKER}). Nothing of the
 * service's state is touched: not its server, breakers, budget, metrics, SLA history, caches, nor the fleet. Not
 * warmed: TLS (the loopback servers speak plain HTTP), and the error paths.
 *
 * <p>A run ends early, with the reason in its {@link Result}, when its time limit passes, it is stopped
 * ({@link Background#close}), the calling thread is interrupted, or anything fails (the answers are fixed, so a
 * failure is a bug); it never throws for those. A run is made on one thread ({@link #start}: a thread of its own).
 */
final class WarmUp {

  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

  /** The prefix of the temporary directory in the data directory. */
  static final String DIRECTORY_PREFIX = "warm-up-";
  /**
   * The file that marks a directory of the data directory as a run's: only a directory that has it is deleted, so that
   * one of the user's named like it (the data directory may be shared with other things) is left alone.
   */
  static final String MARKER = "dashboard-warm-up";

  /** The kinds of request, taken in turn ({@link WarmUpRequests#path}). */
  static final int KINDS = 5;
  /** Where the throwaway server listens. */
  private static final String LOOPBACK = InetAddress.getLoopbackAddress().getHostAddress();
  /** The shortest request and connect timeout of the run's calls ({@link #throwaway}). */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  /** The longest a request of the run may take: a dashboard view makes several calls. */
  private static final Duration REQUEST_TIMEOUT = CALL_TIMEOUT.multipliedBy(4);
  /**
   * How long {@link Background#close} waits for the request in progress; a request stuck longer (its read timeout is
   * at most the time left of the run's limit) ends on its own, on a daemon thread.
   */
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);
  /** Why a run stopped by {@link Background#close} stopped. */
  static final String CLOSING = "the service is closing";

  private WarmUp() {}

  /**
   * What a run did.
   *
   * @param requests the requests answered
   * @param took how long the run took, its servers, database and service included
   * @param stopped why the run ended before all its requests, or empty when it made them all
   */
  record Result(int requests, Duration took, Optional<String> stopped) {
    Result {
      Objects.requireNonNull(took, "took");
      Objects.requireNonNull(stopped, "stopped");
    }
  }

  /**
   * Starts a run on a thread of its own ({@code warm-up}, a daemon), which logs what it did when it ends.
   *
   * @param config as for {@link #run}
   * @param clock as for {@link #run}
   * @param json as for {@link #run}
   * @param requests as for {@link #run}
   * @param limit as for {@link #run}
   * @return the run, to ask whether it ended or to stop it
   */
  static Background start(DashboardConfig config, BreakerClock clock, ObjectMapper json, int requests,
      Duration limit) {
    AtomicBoolean stop = new AtomicBoolean();
    FutureTask<Result> task = new FutureTask<>(() -> {
      try {
        return logged(run(config, clock, json, requests, limit, stop::get), requests, limit);
      } catch (Error e) { // run returns every exception as its reason; an Error would end the run unseen but here
        LOG.error("warm-up failed: {}", e.toString(), e);
        throw e;
      }
    });
    Thread thread = new Thread(task, "warm-up");
    thread.setDaemon(true);
    thread.start();
    return new Background(thread, task, stop);
  }

  /**
   * Logs what a run did: at INFO when it made every request, was closed, or ran out of time (a slow or busy machine is
   * no fault: the rest of the path compiles with use); at WARN when it failed.
   */
  private static Result logged(Result r, int requests, Duration limit) {
    if (r.stopped().isEmpty()) {
      LOG.info("warmed up: {} requests through a throwaway copy of the web server and the upstream path against "
          + "recorded answers on loopback ports in {} ms (upstream.warm-up-requests; the upstream was not called)",
          r.requests(), r.took().toMillis());
    } else if (r.stopped().get().equals(CLOSING)) {
      LOG.info("warm-up stopped after {} of {} requests in {} ms: {}", r.requests(), requests, r.took().toMillis(),
          CLOSING);
    } else if (r.stopped().get().equals(timeLimitPassed(limit))) {
      LOG.info("warm-up stopped after {} of {} requests in {} ms: {} (the service was ready only then; fewer "
          + "upstream.warm-up-requests make it ready sooner on this machine)", r.requests(), requests,
          r.took().toMillis(), r.stopped().get());
    } else {
      LOG.warn("warm-up stopped after {} of {} requests in {} ms: {}", r.requests(), requests, r.took().toMillis(),
          r.stopped().get());
    }
    return r;
  }

  /** A run on its own thread. Thread-safe. */
  static final class Background implements AutoCloseable {
    private final Thread thread;
    private final FutureTask<Result> task;
    private final AtomicBoolean stop;

    private Background(Thread thread, FutureTask<Result> task, AtomicBoolean stop) {
      this.thread = thread;
      this.task = task;
      this.stop = stop;
    }

    /** @return true once the run has ended, whether it made all its requests or stopped early */
    boolean ended() {
      return task.isDone();
    }

    /**
     * Waits for the run to end.
     *
     * @return what it did
     * @throws InterruptedException if the waiting thread is interrupted
     */
    Result await() throws InterruptedException {
      try {
        return task.get();
      } catch (ExecutionException e) { // an Error: run catches everything else
        return new Result(0, Duration.ZERO, Optional.of(String.valueOf(e.getCause())));
      }
    }

    /**
     * Stops the run (it ends after the request in progress, {@link #CLOSING}) and waits a few seconds at most for its
     * thread. Without an interrupt: one would reach the waits of its cleanup (DuckDB's, Jetty's), which then report
     * failures, and cut short Jetty's orderly stop, which then waits seconds for its selector thread. An interrupt of
     * the closing thread ends the wait, and is kept in its interrupt status.
     */
    @Override
    public void close() {
      stop.set(true);
      try {
        thread.join(STOP_WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Runs the warm-up on the calling thread.
   *
   * @param config the service's configuration: its breaker settings, data directory and DuckDB limits are used
   * @param clock the service's clock
   * @param json the mapper the API writes its answers with: the throwaway server writes with it
   * @param requests how many; 0 runs nothing
   * @param limit the longest the run may take; it stops after the request in progress when this has passed
   * @return what it did
   * @throws IllegalArgumentException if {@code requests} is negative or {@code limit} not positive
   */
  static Result run(DashboardConfig config, BreakerClock clock, ObjectMapper json, int requests, Duration limit) {
    return run(config, clock, json, requests, limit, () -> false);
  }

  /** {@link #run(DashboardConfig, BreakerClock, ObjectMapper, int, Duration)}, until {@code stop} says to stop. */
  private static Result run(DashboardConfig config, BreakerClock clock, ObjectMapper json, int requests,
      Duration limit, BooleanSupplier stop) {
    if (requests < 0) {
      throw new IllegalArgumentException("requests must be 0 or more, was " + requests);
    }
    if (limit == null || limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
    long start = System.nanoTime();
    if (requests == 0) {
      return new Result(0, Duration.ZERO, Optional.empty());
    }
    Optional<String> stopped = whyStop(stop, start, limit);
    if (stopped.isPresent()) { // stopped before it began: start nothing only to stop it
      return new Result(0, Duration.ofNanos(System.nanoTime() - start), stopped);
    }
    int done = 0;
    boolean interrupted = false;
    Path dir = null;
    try {
      Files.createDirectories(config.dataDir());
      deleteLeftovers(config.dataDir());
      dir = createDirectory(config.dataDir());
      // its expirations lie ahead of today, as a dashboard view needs (the recorded ones would be past one day)
      try (RecordedTradier upstream = RecordedTradier.start(LocalDate.ofInstant(clock.now(), ZoneOffset.UTC));
          Database db = Database.open(dir.resolve("warm-up.duckdb"))) {
        DashboardApp.limit(db, config.duckdb());
        MarketCache cache = new MarketCache(db);
        CircuitBreakerRegistry registry = new CircuitBreakerRegistry();
        // a closed writer drops what it is given: writing to DuckDB is not on a request's path, and would only cost
        // the start-up time (the fallback reads, which are, are not warmed: they find nothing here)
        CacheWriter writer = new CacheWriter(cache, CacheWriter.Settings.DEFAULTS);
        writer.close();
        MarketDataService market = new MarketDataService(
            call -> new TradierClient(upstream.baseUrl(), null, call.connectTimeout(), clock, limits -> { }),
            cache, writer, UpstreamBudget.local(0, clock), registry, throwaway(config), clock,
            MarketObserver.NONE, Sharing.NONE);
        AutoCloseable closeMarket = market::close;
        // closed in reverse: the server first, the service last
        try (closeMarket;
            DashboardMetrics metrics = new DashboardMetrics();
            BreakerHistory history = BreakerHistory.open(db, clock);
            EventHub events = new EventHub(json, Map::of);
            WebServer web = WebServer.start(config.withListener(LOOPBACK, 0), new WebServer.Backend(market,
                registry, clock, db::isOpen, Optional.empty(), events, history, metrics, Map::of, json, () -> true),
                "warm-up")) {
          try {
            WarmUpRequests http = new WarmUpRequests(LOOPBACK, web.port(), upstream.expiration());
            for (; done < requests && (stopped = whyStop(stop, start, limit)).isEmpty(); done++) {
              // no longer than the time left (the limit is asked between requests), nor than 4 calls' timeouts
              Duration left = limit.minusNanos(System.nanoTime() - start);
              try {
                http.get(http.path(done, LocalDate.ofInstant(clock.now(), ZoneOffset.UTC)),
                    left.compareTo(REQUEST_TIMEOUT) < 0 ? left : REQUEST_TIMEOUT);
              } catch (UncheckedIOException e) {
                if (System.nanoTime() - start <= limit.toNanos()) {
                  throw e;
                }
                stopped = Optional.of(timeLimitPassed(limit)); // cut at the limit: the limit is why
                break;
              }
            }
          } finally {
            // cleared while what the run started stops, and set again at the end: on an interrupted thread Jetty's
            // stop waits out half its stop timeout (2.5 s) and swallows the interrupt, and DuckDB's close gives up
            // waiting for its reads and writes
            interrupted = Thread.interrupted();
          }
        }
      }
    } catch (Exception e) { // IOException, RuntimeException, and what a close declares
      stopped = Optional.of(e.toString());
    } finally {
      if (dir != null) {
        deleteQuietly(dir);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return new Result(done, Duration.ofNanos(System.nanoTime() - start), stopped);
  }

  /** Why a run must stop now, before its next request: closed, interrupted, or out of time; empty to go on. */
  private static Optional<String> whyStop(BooleanSupplier stop, long start, Duration limit) {
    if (stop.getAsBoolean()) {
      return Optional.of(CLOSING);
    }
    if (Thread.currentThread().isInterrupted()) {
      return Optional.of("interrupted");
    }
    if (System.nanoTime() - start > limit.toNanos()) {
      return Optional.of(timeLimitPassed(limit));
    }
    return Optional.empty();
  }

  /** Why a run that ran out of time stopped. */
  static String timeLimitPassed(Duration limit) {
    return "the time limit of " + limit.toMillis() + " ms passed";
  }

  /**
   * The configuration of the throwaway service: the service's, with
   * <ul>
   *   <li>each breaker's timeouts at least {@link #CALL_TIMEOUT} and slow calls not counted: the first calls of a cold
   *       JVM take tens of milliseconds, and a service tuned for a nearby upstream (a request timeout of a few
   *       milliseconds) would otherwise fail the run at its first call, with a warning that names the service's
   *       breaker;</li>
   *   <li>the smallest memory ({@link CacheSettings#MIN_MEMORY_LIMIT} per kind and tier): every request is for a
   *       symbol of its own, so nothing would be evicted before the service's limit (32 MB per kind and tier by
   *       default), and a run of a few thousand requests would hold tens of megabytes of answers during the
   *       start-up.</li>
   * </ul>
   * The rest (fresh-for, bulkheads, thresholds, the count of entries) is the service's: the same paths run.
   */
  static DashboardConfig throwaway(DashboardConfig config) {
    Map<String, BreakerSettings> breakers = new LinkedHashMap<>();
    config.breakers().forEach((name, s) -> breakers.put(name, new BreakerSettings(name, s.failureThreshold(),
        s.recoveryTimeout(), longer(s.requestTimeout()), longer(s.connectTimeout()), s.freshFor(), Optional.empty(),
        s.maxConcurrentCalls(), s.maxWaitingRequests())));
    CacheSettings c = config.cache();
    return config.withBreakers(breakers).withCache(new CacheSettings(c.memoryEntries(),
        CacheSettings.MIN_MEMORY_LIMIT, c.unknownSymbolsFor(), c.writeBatchSize(), c.writeQueueCapacity(),
        c.writeMaxAttempts(), c.writeRetryBackoff()));
  }

  private static Duration longer(Duration d) {
    return d.compareTo(CALL_TIMEOUT) < 0 ? CALL_TIMEOUT : d;
  }

  /** A symbol of letters only, as the API accepts: W, then the number in base 26 (WA, WB, ... WBA, ...). */
  static String symbol(int i) {
    StringBuilder b = new StringBuilder();
    int n = i;
    do {
      b.append((char) ('A' + n % 26));
      n /= 26;
    } while (n > 0);
    return "W" + b.reverse();
  }

  /**
   * Makes a run's directory in the data directory, with its {@link #MARKER}.
   *
   * @param dataDir the data directory
   * @return the new directory
   * @throws IOException if it cannot be made
   */
  static Path createDirectory(Path dataDir) throws IOException {
    Path dir = Files.createTempDirectory(dataDir, DIRECTORY_PREFIX);
    Files.writeString(dir.resolve(MARKER), "A temporary directory of the option chain dashboard's start-up warm-up "
        + "(upstream.warm-up-requests), deleted when it ends or else by the next start.\n");
    return dir;
  }

  /**
   * Deletes the directories of runs that did not end (the process was killed during one): those with the
   * {@link #MARKER}, never another directory named like them nor a symbolic link.
   */
  private static void deleteLeftovers(Path dataDir) throws IOException {
    if (!Files.isDirectory(dataDir)) {
      return;
    }
    try (Stream<Path> entries = Files.list(dataDir)) {
      entries.filter(p -> p.getFileName().toString().startsWith(DIRECTORY_PREFIX)
              && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
              && Files.isRegularFile(p.resolve(MARKER), LinkOption.NOFOLLOW_LINKS))
          .forEach(WarmUp::deleteQuietly);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not delete the warm-up's directory {}: {}", dir, e.getMessage());
    }
  }
}
