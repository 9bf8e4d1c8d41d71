package dev.optionchain.dashboard.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.config.ServerLimits;
import dev.optionchain.dashboard.events.EventHub;
import dev.optionchain.dashboard.history.BreakerHistory;
import dev.optionchain.dashboard.market.MarketDataService;
import dev.optionchain.dashboard.metrics.DashboardMetrics;
import io.javalin.Javalin;
import io.javalin.router.Endpoint;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: its {@link Listeners} and their limits; the liveness and readiness probes answered on the thread
 * that reads them, every other request handed to a worker thread ({@link ProbesFirst}); the browser headers on every
 * answer ({@link BrowserHeaders}) and Jetty's own errors as JSON ({@link JsonErrorHandler}); before any route, the
 * management listener's paths, a well-formed path and query ({@link WellFormed}) and the authority for a state
 * change ({@link Authority}); then the routes ({@link Routes}) and the one error mapper ({@link ErrorMapper}).
 */
public final class WebServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

  /** Largest request line plus headers, in bytes (Jetty's default): beyond it 414 or 431. */
  static final int MAX_REQUEST_HEADER_BYTES = 8192;
  /** Most header fields in one request: beyond it 431. */
  static final int MAX_REQUEST_HEADERS = 100;

  private final Javalin app;
  private final Listeners listeners;

  private WebServer(Javalin app, Listeners listeners) {
    this.app = app;
    this.listeners = listeners;
  }

  /**
   * What the routes serve.
   *
   * @param market the market-data service
   * @param breakers the service's breakers
   * @param clock the service's clock
   * @param databaseOpen readiness of the cache
   * @param simulator the embedded simulator's base URL, when it is the upstream
   * @param events the SSE hub of breaker transitions
   * @param history the breakers' persisted history
   * @param metrics the service's metrics, served at {@code /metrics}
   * @param fleet the fleet's part of the breakers' health check
   * @param json the mapper that writes every answer ({@link Json#mapper()}); the start-up warm-up uses it, so that
   *     its serializers are built before the first request
   * @param warmedUp whether the start-up warm-up has ended: until then the service is not ready
   */
  public record Backend(MarketDataService market, CircuitBreakerRegistry breakers, BreakerClock clock,
      BooleanSupplier databaseOpen, Optional<URI> simulator, EventHub events, BreakerHistory history,
      DashboardMetrics metrics, Supplier<Map<String, Object>> fleet, ObjectMapper json,
      BooleanSupplier warmedUp) {}

  /**
   * Returns what a server of this configuration should warn about once, at start: an admin token too short or missing
   * on a network address, connection limits past the process's file-handle limit. The caller logs them, once per
   * service, however many servers of that configuration it starts.
   *
   * @param config the configuration
   * @return the warnings, empty when there is nothing to warn about
   */
  public static List<String> startWarnings(DashboardConfig config) {
    List<String> warnings = new ArrayList<>(Authority.startWarnings(config.adminToken(), config.host()));
    Listeners.fileLimitWarning(config).ifPresent(warnings::add);
    return warnings;
  }

  /**
   * Starts a server.
   *
   * @param config host, port, breaker and admin settings
   * @param backend what the routes serve
   * @param name names its threads: {@code name-http} (the workers), {@code name-io} and {@code name-management};
   *     {@code dashboard} for the service's server, {@code warm-up} for the start-up warm-up's throwaway copy
   * @return the running server
   */
  public static WebServer start(DashboardConfig config, Backend backend, String name) {
    CircuitBreakerRegistry registry = backend.breakers();
    Optional<URI> simulator = backend.simulator();
    MarketController marketApi = new MarketController(backend.market(), backend.clock());
    HealthController health = new HealthController(registry, config.breakersEnabled(), backend.databaseOpen(),
        backend.warmedUp(), backend.fleet());
    HistoryController history = new HistoryController(backend.history(), registry);
    AdminController admin = new AdminController(registry, config.adminToken());
    QueuedThreadPool pool = new QueuedThreadPool(ServerLimits.WORKER_THREADS, 8, 60_000);
    pool.setName(name + "-http");
    Listeners listeners = new Listeners(config, name);
    Authority authority = new Authority(config.adminToken(), config.host());
    Javalin app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.jetty.threadPool = pool;
      listeners.install(cfg);
      cfg.jetty.modifyHttpConfiguration(http -> {
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
        http.addCustomizer(headerCountLimit(MAX_REQUEST_HEADERS));
      });
      DashboardMetrics metrics = backend.metrics();
      cfg.jetty.modifyServer(server -> {
        server.insertHandler(new BrowserHeaders());
        server.insertHandler(new ProbesFirst(backend.databaseOpen(), backend.warmedUp(), metrics::recordHttp,
            listeners::workers));
        server.setErrorHandler(new JsonErrorHandler(BrowserHeaders::addTo));
      });
      cfg.jsonMapper(new JavalinJackson(backend.json(), false));
      cfg.staticFiles.add("/public", Location.CLASSPATH);
      cfg.staticFiles.enableWebjars();
      cfg.requestLogger.http((ctx, ms) -> {
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        String method = ctx.req().getMethod(); // the request line's, never X-HTTP-Method-Override's (WellFormed)
        metrics.recordHttp(method, matched == null ? null : matched.path, ctx.statusCode(), (long) (ms * 1e6));
        LOG.debug("{} {} -> {} in {} ms", QueryParams.echo(method), QueryParams.echo(ctx.path()), ctx.statusCode(),
            Math.round(ms));
      });

      var routes = cfg.routes;
      routes.before(ctx -> {
        if (listeners.refusedOnManagement(ctx)) {
          ctx.skipRemainingHandlers();
          return;
        }
        WellFormed.check(ctx);
        if (authority.refused(ctx)) {
          ctx.skipRemainingHandlers();
        }
      });
      Routes.register(routes, marketApi, health, history, admin, backend.events(), metrics, simulator);
      new ErrorMapper(config.secrets()).register(routes);
    });
    try {
      app.start();
    } catch (RuntimeException e) {
      app.stop();
      throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port()
          + config.management().map(m -> " and " + m.host() + ":" + m.port()).orElse("") + ": " + e.getMessage(), e);
    }
    DashboardMetrics metrics = backend.metrics();
    metrics.gauge("http.server.connections", "connections open on the main listener", listeners::connections);
    metrics.gauge("http.server.connections.max", "connections the main listener accepts at once",
        () -> config.limits().maxConnections());
    metrics.counter("http.server.requests.cut", "connections closed because a request did not arrive within "
        + "server.request-read-timeout", listeners::requestsCut);
    metrics.counter("http.server.connections.shed", "connections closed at server.max-connections, still reading a "
        + "request head or idle between two requests, to make room for a newer one", listeners::connectionsShed);
    metrics.gauge("events.clients", "event streams open", backend.events()::clients);
    listeners.managementPort().ifPresent(p -> LOG.info("management listener (health and metrics only) on {}:{}",
        config.management().orElseThrow().host(), p));
    return new WebServer(app, listeners);
  }

  /** Refuses a request with more than {@code max} header fields (431, answered by {@link JsonErrorHandler}). */
  static HttpConfiguration.Customizer headerCountLimit(int max) {
    return (request, responseHeaders) -> {
      if (request.getHeaders().size() > max) {
        throw new HttpException.RuntimeException(431, "more than " + max + " header fields");
      }
      return request;
    };
  }

  /**
   * Returns the port the server listens on.
   *
   * @return the bound port
   */
  public int port() {
    return app.port();
  }

  /**
   * Returns the management listener's port.
   *
   * @return the bound port, or empty when none is configured
   */
  public Optional<Integer> managementPort() {
    return listeners.managementPort();
  }

  /** Stops the server; in-flight requests are given a moment to finish. */
  @Override
  public void close() {
    app.stop();
  }
}
