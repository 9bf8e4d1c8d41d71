package dev.optionchain.dashboard.metrics;

import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.breaker.micrometer.CircuitBreakerMetrics;
import dev.optionchain.dashboard.market.MarketObserver;
import dev.optionchain.dashboard.market.Sourced;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The service's metrics, exposed in the Prometheus text format at {@code GET /metrics}: the breakers (through
 * {@link CircuitBreakerMetrics}), the upstream requests and the answers of the market-data service (through
 * {@link #marketObserver()}), the HTTP server (through {@link #recordHttp}), and the JVM.
 *
 * <table>
 *   <caption>Meters, as Prometheus names them</caption>
 *   <tr><th>series</th><th>type</th><th>labels</th></tr>
 *   <tr><td>{@code circuitbreaker_state}, {@code circuitbreaker_calls_total},
 *       {@code circuitbreaker_transitions_total}, {@code circuitbreaker_failure_count},
 *       {@code circuitbreaker_failure_threshold}</td><td>see {@link CircuitBreakerMetrics}</td><td>{@code name}, ...
 *       </td></tr>
 *   <tr><td>{@code upstream_requests_seconds}</td><td>histogram (+ {@code _max} gauge)</td><td>{@code endpoint} (the
 *       breaker's name), {@code outcome} ({@code success}, {@code client_error}, {@code server_error},
 *       {@code timeout}, ...)</td></tr>
 *   <tr><td>{@code market_responses_total}</td><td>counter</td><td>{@code endpoint}, {@code source}: {@code live},
 *       {@code cache}</td></tr>
 *   <tr><td>{@code market_unavailable_total}</td><td>counter</td><td>{@code endpoint}, {@code cause}:
 *       {@code breaker_open}, {@code rate_limited}, {@code upstream_failed}</td></tr>
 *   <tr><td>{@code http_server_requests_seconds}</td><td>histogram (+ {@code _max} gauge)</td><td>{@code method},
 *       {@code uri} (the route pattern), {@code status}, {@code outcome}</td></tr>
 *   <tr><td>{@code jvm_*}, {@code process_*}, {@code system_*}</td><td>Micrometer's JVM binders</td><td></td></tr>
 * </table>
 *
 * <p>Latency histograms are Prometheus histograms with fixed buckets from 1 ms to 10 s ({@link #LATENCY_BUCKETS}):
 * 13 readable {@code le} bounds plus {@code +Inf}, the same on every instance, so {@code histogram_quantile()}
 * aggregates across them. (Micrometer's {@code publishPercentileHistogram} would give 60 irregular bounds per series
 * over the same range.)
 *
 * <p>Thread-safe. Recording is lock-free once a series exists (a map lookup and an increment).
 */
public final class DashboardMetrics implements AutoCloseable {

  /** The Content-Type of {@link #scrape()}: the Prometheus text exposition format 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** The {@code le} bounds of the latency histograms: 1 ms to 10 s in 1-2.5-5 steps. */
  public static final List<Duration> LATENCY_BUCKETS = List.of(
      Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10));

  private static final Duration[] BUCKETS = LATENCY_BUCKETS.toArray(new Duration[0]);

  /** The methods {@code http.server.requests} names; any other is {@link #OTHER_METHOD}. */
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");
  private static final String OTHER_METHOD = "OTHER";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final List<CircuitBreakerMetrics> breakers = new CopyOnWriteArrayList<>();
  /** Keeps the functions of {@link #counter} reachable: function counters hold them weakly. */
  private final List<Supplier<Number>> counterFunctions = new CopyOnWriteArrayList<>();
  private final Map<Key, Timer> upstreamTimers = new ConcurrentHashMap<>();
  private final Map<Key, Counter> responses = new ConcurrentHashMap<>();
  private final Map<Key, Counter> unavailable = new ConcurrentHashMap<>();
  private final Map<HttpKey, Timer> httpTimers = new ConcurrentHashMap<>();
  private final MarketObserver observer = new Observer();

  /** A series of a two-label meter. */
  private record Key(String a, String b) {}

  /** A series of {@code http.server.requests}. */
  private record HttpKey(String method, String uri, int status) {}

  /** Creates the registry with the JVM, GC, thread, class-loading, processor and uptime meters. */
  public DashboardMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /**
   * Publishes the breakers of {@code breakers}, registered now or later (see {@link CircuitBreakerMetrics}), and
   * registers {@code market.responses} and {@code market.unavailable} at 0 for each, so that every series exists
   * from the start.
   *
   * @param breakers the service's breakers; their names are the market endpoints
   */
  public void bindBreakers(CircuitBreakerRegistry breakers) {
    CircuitBreakerMetrics m = CircuitBreakerMetrics.of(breakers);
    m.bindTo(registry);
    this.breakers.add(m);
    for (String endpoint : breakers.getAll().keySet()) {
      for (Sourced.Source source : Sourced.Source.values()) {
        responseCounter(endpoint, lower(source));
      }
      for (Sourced.Cause cause : Sourced.Cause.values()) {
        unavailableCounter(endpoint, lower(cause));
      }
    }
  }

  /**
   * Returns the observer to give the market-data service: it records {@code upstream.requests},
   * {@code market.responses} and {@code market.unavailable}.
   *
   * @return the same observer every time
   */
  public MarketObserver marketObserver() {
    return observer;
  }

  /**
   * Records one HTTP request in {@code http.server.requests}.
   *
   * @param method the request method, e.g. {@code GET}, upper-cased; any but the nine of HTTP ({@code GET}, {@code HEAD},
   *     {@code POST}, {@code PUT}, {@code DELETE}, {@code PATCH}, {@code OPTIONS}, {@code TRACE}, {@code CONNECT}) is
   *     recorded as {@code OTHER}: a client may send any token as a method, and each distinct value would be a new
   *     series
   * @param route the matched route pattern, e.g. {@code /api/quote/{symbol}}, never the raw path (each distinct value
   *     is a new series); null or blank when no route matched, recorded as {@code NOT_FOUND} for a 404,
   *     {@code REDIRECTION} for a 3xx and {@code UNKNOWN} otherwise
   * @param status the response status
   * @param nanos how long the request took, in nanoseconds
   */
  public void recordHttp(String method, String route, int status, long nanos) {
    String uri = route == null || route.isBlank() ? unmatched(status) : route;
    String upper = method == null ? OTHER_METHOD : method.toUpperCase(Locale.ROOT);
    String m = METHODS.contains(upper) ? upper : OTHER_METHOD;
    HttpKey key = new HttpKey(m, uri, status);
    Timer t = httpTimers.get(key);
    if (t == null) {
      t = httpTimers.computeIfAbsent(key, k -> latencyTimer("http.server.requests", "HTTP server requests")
          .tag("method", k.method()).tag("uri", k.uri()).tag("status", Integer.toString(k.status()))
          .tag("outcome", outcome(k.status()))
          .register(registry));
    }
    t.record(Math.max(0L, nanos), TimeUnit.NANOSECONDS);
  }

  /**
   * Registers a gauge, e.g. the alert queue's size.
   *
   * @param name a Micrometer name, dot-separated ({@code alerts.queue.size} becomes {@code alerts_queue_size})
   * @param description the Prometheus HELP text
   * @param value read at each scrape; null reads as NaN. Held strongly.
   */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).strongReference(true).register(registry);
  }

  /**
   * Registers a counter whose value is read from {@code monotonicValue}, e.g. the alerts dropped so far.
   *
   * @param name a Micrometer name, dot-separated ({@code alerts.dropped} becomes {@code alerts_dropped_total})
   * @param description the Prometheus HELP text
   * @param monotonicValue read at each scrape; must never decrease; null reads as NaN. Held strongly.
   */
  public void counter(String name, String description, Supplier<Number> monotonicValue) {
    counterFunctions.add(monotonicValue);
    FunctionCounter.builder(name, monotonicValue, DashboardMetrics::doubleValue).description(description)
        .register(registry);
  }

  /**
   * Returns every meter in the Prometheus text exposition format 0.0.4 ({@link #CONTENT_TYPE}). First binds the
   * breakers registered since the last scrape.
   *
   * @return the exposition text
   */
  public String scrape() {
    for (CircuitBreakerMetrics m : breakers) {
      m.refresh();
    }
    return registry.scrape(CONTENT_TYPE);
  }

  /**
   * Returns the registry, to add meters of one's own.
   *
   * @return the Prometheus meter registry behind {@link #scrape()}
   */
  public MeterRegistry registry() {
    return registry;
  }

  /** Stops counting breaker transitions, unregisters the GC listeners and closes the registry. Idempotent. */
  @Override
  public void close() {
    for (CircuitBreakerMetrics m : breakers) {
      m.close();
    }
    gc.close();
    registry.close();
  }

  private Timer.Builder latencyTimer(String name, String description) {
    return Timer.builder(name).description(description).serviceLevelObjectives(BUCKETS);
  }

  private Counter responseCounter(String endpoint, String source) {
    Key key = new Key(endpoint, source);
    Counter c = responses.get(key);
    if (c == null) {
      c = responses.computeIfAbsent(key, k -> Counter.builder("market.responses")
          .description("Market data served, live from the upstream or from the cache")
          .tag("endpoint", k.a()).tag("source", k.b()).register(registry));
    }
    return c;
  }

  private Counter unavailableCounter(String endpoint, String cause) {
    Key key = new Key(endpoint, cause);
    Counter c = unavailable.get(key);
    if (c == null) {
      c = unavailable.computeIfAbsent(key, k -> Counter.builder("market.unavailable")
          .description("Market data requests answered with an error: the upstream could not be used, nothing cached")
          .tag("endpoint", k.a()).tag("cause", k.b()).register(registry));
    }
    return c;
  }

  private static double doubleValue(Supplier<Number> s) {
    Number n = s.get();
    return n == null ? Double.NaN : n.doubleValue();
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private static String unmatched(int status) {
    if (status == 404) {
      return "NOT_FOUND";
    }
    return status >= 300 && status < 400 ? "REDIRECTION" : "UNKNOWN";
  }

  /** Spring's outcome of a status. */
  static String outcome(int status) {
    if (status >= 100 && status < 200) {
      return "INFORMATIONAL";
    }
    if (status >= 200 && status < 300) {
      return "SUCCESS";
    }
    if (status >= 300 && status < 400) {
      return "REDIRECTION";
    }
    if (status >= 400 && status < 500) {
      return "CLIENT_ERROR";
    }
    if (status >= 500 && status < 600) {
      return "SERVER_ERROR";
    }
    return "UNKNOWN";
  }

  /** Records what the market-data service reports. */
  private final class Observer implements MarketObserver {
    @Override
    public void upstreamCall(String breaker, Duration elapsed, String outcome) {
      Key key = new Key(breaker, outcome);
      Timer t = upstreamTimers.get(key);
      if (t == null) {
        t = upstreamTimers.computeIfAbsent(key, k -> latencyTimer("upstream.requests",
            "Upstream requests by endpoint and outcome")
            .tag("endpoint", k.a()).tag("outcome", k.b()).register(registry));
      }
      t.record(elapsed);
    }

    @Override
    public void served(String breaker, Sourced.Source source) {
      responseCounter(breaker, lower(source)).increment();
    }

    @Override
    public void unavailable(String breaker, Sourced.Cause cause) {
      unavailableCounter(breaker, lower(cause)).increment();
    }

    @Override
    public String toString() {
      return "DashboardMetrics.marketObserver";
    }
  }
}
