package dev.optionchain.dashboard.web;

import dev.optionchain.breaker.CircuitBreakerRegistry;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Health: the upstream's, as the breakers see it ({@code /api/health/circuit-breakers}, always 200: breaker state
 * describes the upstream, not this service), and the service's own liveness and readiness.
 */
final class HealthController {

  private final CircuitBreakerRegistry registry;
  private final boolean breakersEnabled;
  private final BooleanSupplier databaseOpen;
  private final Supplier<Map<String, Object>> fleet;

  HealthController(CircuitBreakerRegistry registry, boolean breakersEnabled, BooleanSupplier databaseOpen,
      Supplier<Map<String, Object>> fleet) {
    this.registry = registry;
    this.breakersEnabled = breakersEnabled;
    this.databaseOpen = databaseOpen;
    this.fleet = fleet;
  }

  /** {@code GET /api/health/circuit-breakers}, with the fleet's part. */
  void breakers(Context ctx) {
    ctx.json(BreakerHealth.of(registry, breakersEnabled, fleet.get()));
  }

  /** {@code GET /health/live}: the process answers. */
  void live(Context ctx) {
    ctx.json(Map.of("status", "UP"));
  }

  /**
   * {@code GET /health/ready}: the database is open and the web server is serving (it is, if this runs). Redis is
   * not a condition: without it a fleet instance serves alone.
   */
  void ready(Context ctx) {
    boolean db = databaseOpen.getAsBoolean();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", db ? "UP" : "DOWN");
    m.put("database", db ? "UP" : "DOWN");
    m.put("server", "UP");
    ctx.status(db ? 200 : 503).json(m);
  }
}
