package dev.optionchain.marketsim.internal;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the simulator onto Javalin (Jetty 12): routes, the one place where exceptions become
 * HTTP answers, and the server's bounded thread pool ({@value #MAX_THREADS} threads at most).
 *
 * <p>Not API: public only so the API package can start it. Thread-safe; {@link #close()} is
 * idempotent.
 */
public final class SimServer implements AutoCloseable {

  static final int MAX_THREADS = 200;
  static final int MIN_THREADS = 8;

  private static final Logger LOG = LoggerFactory.getLogger(SimServer.class);

  private final Javalin app;
  private final Universe universe;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SimServer(Javalin app, Universe universe) {
    this.app = app;
    this.universe = universe;
  }

  /**
   * Binds and starts a simulator.
   *
   * @param config the settings
   * @return the running server
   * @throws IllegalStateException if the port cannot be bound
   */
  public static SimServer start(SimConfig config) {
    Universe universe = Universe.standard();
    MarketData market = new MarketData(config.seed(), universe);
    FaultBoard faults = new FaultBoard();
    for (FaultRule rule : config.faults()) {
      faults.set(rule, config.clock().instant());
    }
    Stats stats = new Stats(config.clock().instant());
    QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, MIN_THREADS, 60_000);
    pool.setName("marketsim");
    RateLimiter limiter = new RateLimiter();
    Gateway gateway = new Gateway(config, market, faults, limiter, stats, pool);
    TradierApi tradier = new TradierApi(market);
    ControlApi control = new ControlApi(config.clock(), faults, limiter, stats, universe);

    Javalin app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.jetty.threadPool = pool;
      cfg.jetty.host = config.host();
      cfg.jetty.port = config.port();
      cfg.jetty.modifyHttpConfiguration(http -> {
        http.setRequestHeaderSize(64 * 1024);
        http.setSendServerVersion(false);
      });
      cfg.http.defaultContentType = Json.CONTENT_TYPE;
      cfg.requestLogger.http((ctx, ms) -> LOG.debug("{} {} -> {} in {} ms", ctx.method(), ctx.path(),
          ctx.statusCode(), Math.round(ms)));

      var routes = cfg.routes;
      routes.get("/v1/markets/quotes", gateway.guard(Endpoint.QUOTES, tradier::quotes));
      routes.post("/v1/markets/quotes", gateway.guard(Endpoint.QUOTES, tradier::quotes));
      routes.get("/v1/markets/history", gateway.guard(Endpoint.HISTORY, tradier::history));
      routes.get("/v1/markets/options/expirations", gateway.guard(Endpoint.EXPIRATIONS, tradier::expirations));
      routes.get("/v1/markets/options/chains", gateway.guard(Endpoint.CHAINS, tradier::chains));
      routes.get("/v1/markets/lookup", gateway.guard(Endpoint.LOOKUP, tradier::lookup));

      routes.post("/sim/faults", control::setFault);
      routes.get("/sim/faults", control::listFaults);
      routes.delete("/sim/faults", control::clearFaults);
      routes.delete("/sim/faults/{endpoint}", control::clearFault);
      routes.get("/sim/stats", control::stats);
      routes.delete("/sim/stats", control::resetStats);
      routes.get("/sim/universe", control::universe);

      routes.exception(ApiException.class, (e, ctx) ->
          Gateway.write(ctx, e.status(), Json.fault(e.getMessage(), e.errorcode())));
      routes.exception(HttpResponseException.class, (e, ctx) ->
          Gateway.write(ctx, e.getStatus(), Json.fault(e.getMessage(), "request.rejected")));
      routes.exception(Exception.class, (e, ctx) -> {
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        Gateway.write(ctx, 500, Json.fault("Internal error", "marketsim.internal_error"));
      });
      routes.error(404, SimServer::notFound);
    });
    try {
      app.start();
    } catch (RuntimeException e) {
      app.stop();
      throw new IllegalStateException("marketsim could not start on " + config.host() + ":" + config.port()
          + ": " + e.getMessage(), e);
    }
    LOG.info("marketsim serving on {}:{} (seed {}, bearer token {})", config.host(), app.port(), config.seed(),
        config.token() == null ? "not required" : "required");
    for (FaultRule rule : config.faults()) {
      LOG.info("start-up fault: {}", rule);
    }
    return new SimServer(app, universe);
  }

  private static void notFound(Context ctx) {
    String what = ctx.method() + " " + ctx.path();
    if (ctx.path().startsWith("/sim")) {
      Gateway.write(ctx, 404, Json.error("not found: " + what));
    } else {
      Gateway.write(ctx, 404, Json.fault("Resource not found: " + what, "request.not_found"));
    }
  }

  /** @return the bound port */
  public int port() {
    return app.port();
  }

  /** @return the universe's symbols, in a fixed order */
  public List<String> symbols() {
    return universe.symbols();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      app.stop();
    }
  }
}
