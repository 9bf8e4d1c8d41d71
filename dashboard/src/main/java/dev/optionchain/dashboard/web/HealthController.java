package dev.optionchain.dashboard.web;

import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.breaker.CircuitBreakerStatus;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Health: the upstream's, as the breakers see it ({@code /api/health/circuit-breakers}, always 200: breaker state
 * describes the upstream, not this service), and the service's own liveness and readiness.
 */
final class HealthController {

  private final CircuitBreakerRegistry registry;
  private final boolean breakersEnabled;
  private final BooleanSupplier databaseOpen;

  HealthController(CircuitBreakerRegistry registry, boolean breakersEnabled, BooleanSupplier databaseOpen) {
    this.registry = registry;
    this.breakersEnabled = breakersEnabled;
    this.databaseOpen = databaseOpen;
  }

  /** {@code GET /api/health/circuit-breakers}. */
  void breakers(Context ctx) {
    Map<String, Object> statuses = new LinkedHashMap<>();
    for (Map.Entry<String, CircuitBreakerStatus> e : registry.getStatusAll().entrySet()) {
      statuses.put(e.getKey(), e.getValue().toMap());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("breakers", statuses);
    m.put("open", registry.getOpenBreakers());
    m.put("halfOpen", registry.getHalfOpenBreakers());
    m.put("closed", registry.getClosedBreakers());
    m.put("degraded", !registry.getOpenBreakers().isEmpty() || !registry.getHalfOpenBreakers().isEmpty());
    m.put("breakersEnabled", breakersEnabled);
    ctx.json(m);
  }

  /** {@code GET /health/live}: the process answers. */
  void live(Context ctx) {
    ctx.json(Map.of("status", "UP"));
  }

  /** {@code GET /health/ready}: the database is open and the web server is serving (it is, if this runs). */
  void ready(Context ctx) {
    boolean db = databaseOpen.getAsBoolean();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", db ? "UP" : "DOWN");
    m.put("database", db ? "UP" : "DOWN");
    m.put("server", "UP");
    ctx.status(db ? 200 : 503).json(m);
  }
}
