package dev.optionchain.dashboard.web;

import dev.optionchain.breaker.CircuitBreakerRegistry;
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
    ctx.json(BreakerHealth.of(registry, breakersEnabled));
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
