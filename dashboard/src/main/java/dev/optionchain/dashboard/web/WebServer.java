package dev.optionchain.dashboard.web;

import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.events.EventHub;
import dev.optionchain.dashboard.history.BreakerHistory;
import dev.optionchain.dashboard.market.MarketDataService;
import dev.optionchain.dashboard.metrics.DashboardMetrics;
import io.javalin.Javalin;
import io.javalin.router.Endpoint;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.net.URI;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP server: Javalin routes onto the controllers, and the one error mapper. */
public final class WebServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

  private final Javalin app;

  private WebServer(Javalin app) {
    this.app = app;
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
   */
  public record Backend(MarketDataService market, CircuitBreakerRegistry breakers, BreakerClock clock,
      BooleanSupplier databaseOpen, Optional<URI> simulator, EventHub events, BreakerHistory history,
      DashboardMetrics metrics) {}

  /**
   * Starts the server.
   *
   * @param config host, port, breaker and admin settings
   * @param backend what the routes serve
   * @return the running server
   */
  public static WebServer start(DashboardConfig config, Backend backend) {
    CircuitBreakerRegistry registry = backend.breakers();
    Optional<URI> simulator = backend.simulator();
    MarketController marketApi = new MarketController(backend.market(), backend.clock());
    HealthController health = new HealthController(registry, config.breakersEnabled(), backend.databaseOpen());
    HistoryController history = new HistoryController(backend.history(), registry);
    AdminController admin = new AdminController(registry, config.adminToken());
    QueuedThreadPool pool = new QueuedThreadPool(200, 8, 60_000);
    pool.setName("dashboard-http");
    Javalin app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.jetty.threadPool = pool;
      cfg.jetty.host = config.host();
      cfg.jetty.port = config.port();
      cfg.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
      cfg.jsonMapper(new JavalinJackson(Json.mapper(), false));
      cfg.staticFiles.add("/public", Location.CLASSPATH);
      cfg.staticFiles.enableWebjars();
      DashboardMetrics metrics = backend.metrics();
      cfg.requestLogger.http((ctx, ms) -> {
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        metrics.recordHttp(ctx.method().name(), matched == null ? null : matched.path, ctx.statusCode(),
            (long) (ms * 1e6));
        LOG.debug("{} {} -> {} in {} ms", ctx.method(), ctx.path(), ctx.statusCode(), Math.round(ms));
      });

      var routes = cfg.routes;
      routes.get("/api/quote/{symbol}", marketApi::quote);
      routes.get("/api/info/{symbol}", marketApi::info);
      routes.get("/api/history/{symbol}", marketApi::history);
      routes.get("/api/options/{symbol}/expirations", marketApi::expirations);
      routes.get("/api/options/{symbol}", marketApi::chain);
      routes.get("/api/dashboard/{symbol}", marketApi::dashboard);

      routes.get("/api/health/circuit-breakers", health::breakers);
      routes.get("/health/live", health::live);
      routes.get("/health/ready", health::ready);
      routes.get("/metrics", ctx -> ctx.contentType(DashboardMetrics.CONTENT_TYPE).result(metrics.scrape()));
      routes.get("/api/health/transitions", history::transitions);
      routes.get("/api/health/sla", history::sla);
      routes.sse("/api/events", backend.events()::connect);

      routes.before("/api/admin/*", admin::authorize);
      routes.post("/api/admin/circuit-breakers/reset", admin::resetAll);
      routes.post("/api/admin/circuit-breakers/{name}/reset", admin::reset);
      routes.post("/api/admin/circuit-breakers/{name}/open", admin::forceOpen);

      simulator.ifPresent(sim -> {
        SimProxy proxy = new SimProxy(sim);
        routes.get("/api/sim/faults", proxy::relay);
        routes.post("/api/sim/faults", proxy::relay);
        routes.delete("/api/sim/faults", proxy::relay);
        routes.delete("/api/sim/faults/{endpoint}", proxy::relay);
        routes.get("/api/sim/stats", proxy::relay);
        routes.delete("/api/sim/stats", proxy::relay);
        routes.get("/api/sim/universe", proxy::relay);
      });

      new ErrorMapper(config.secrets()).register(routes);
    });
    try {
      app.start();
    } catch (RuntimeException e) {
      app.stop();
      throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": "
          + e.getMessage(), e);
    }
    return new WebServer(app);
  }

  /**
   * Returns the port the server listens on.
   *
   * @return the bound port
   */
  public int port() {
    return app.port();
  }

  /** Stops the server; in-flight requests are given a moment to finish. */
  @Override
  public void close() {
    app.stop();
  }
}
