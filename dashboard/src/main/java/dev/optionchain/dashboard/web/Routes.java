package dev.optionchain.dashboard.web;

import dev.optionchain.dashboard.events.EventHub;
import dev.optionchain.dashboard.metrics.DashboardMetrics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import java.net.URI;
import java.util.Optional;

/**
 * The route table. Every read route answers {@code HEAD} by running its {@code GET} handler (the body is then dropped
 * by Jetty), so a {@code HEAD} gets the status and headers its {@code GET} would, not Javalin's empty
 * {@code 200 text/plain}.
 */
final class Routes {

  private Routes() {}

  static void register(RoutesConfig routes, MarketController market, HealthController health,
      HistoryController history, AdminController admin, EventHub events, DashboardMetrics metrics,
      Optional<URI> simulator) {
    read(routes, "/api/quote/{symbol}", market::quote);
    read(routes, "/api/info/{symbol}", market::info);
    read(routes, "/api/history/{symbol}", market::history);
    read(routes, "/api/options/{symbol}/expirations", market::expirations);
    read(routes, "/api/options/{symbol}", market::chain);
    read(routes, "/api/dashboard/{symbol}", market::dashboard);

    read(routes, "/api/health/circuit-breakers", health::breakers);
    read(routes, "/health/live", health::live);
    read(routes, "/health/ready", health::ready);
    read(routes, "/metrics", ctx -> ctx.contentType(DashboardMetrics.CONTENT_TYPE).result(metrics.scrape()));
    read(routes, "/api/health/transitions", history::transitions);
    read(routes, "/api/health/sla", history::sla);
    read(routes, "/api/events", new EventsRoute(events));

    routes.before("/api/admin/*", admin::authorize);
    routes.post("/api/admin/circuit-breakers/reset", admin::resetAll);
    routes.post("/api/admin/circuit-breakers/{name}/reset", admin::reset);
    routes.post("/api/admin/circuit-breakers/{name}/open", admin::forceOpen);

    simulator.ifPresent(sim -> {
      SimProxy proxy = new SimProxy(sim);
      read(routes, "/api/sim/faults", proxy::relay);
      routes.post("/api/sim/faults", proxy::relay);
      routes.delete("/api/sim/faults", proxy::relay);
      routes.delete("/api/sim/faults/{endpoint}", proxy::relay);
      read(routes, "/api/sim/stats", proxy::relay);
      routes.delete("/api/sim/stats", proxy::relay);
      read(routes, "/api/sim/universe", proxy::relay);
    });
  }

  private static void read(RoutesConfig routes, String path, Handler handler) {
    routes.get(path, handler);
    routes.head(path, handler);
  }
}
