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
  private final BooleanSupplier warmedUp;
  private final Supplier<Map<String, Object>> fleet;

  HealthController(CircuitBreakerRegistry registry, boolean breakersEnabled, BooleanSupplier databaseOpen,
      BooleanSupplier warmedUp, Supplier<Map<String, Object>> fleet) {
    this.registry = registry;
    this.breakersEnabled = breakersEnabled;
    this.databaseOpen = databaseOpen;
    this.warmedUp = warmedUp;
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
   * {@code GET /health/ready}: the database is open, the start-up warm-up has ended, and the web server is serving (it
   * is, if this runs). Redis is not a condition: without it a fleet instance serves alone.
   */
  void ready(Context ctx) {
    boolean db = databaseOpen.getAsBoolean();
    boolean warm = warmedUp.getAsBoolean();
    ctx.status(db && warm ? 200 : 503).json(readiness(db, warm));
  }

  /**
   * The readiness answer's fields, in order: {@code status} (UP when the other two are), {@code database} (UP or
   * DOWN), {@code server} (UP), {@code warmUp} (DONE or RUNNING).
   *
   * @param databaseOpen whether the cache is open
   * @param warmedUp whether the start-up warm-up has ended
   * @return the fields
   */
  static Map<String, Object> readiness(boolean databaseOpen, boolean warmedUp) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", databaseOpen && warmedUp ? "UP" : "DOWN");
    m.put("database", databaseOpen ? "UP" : "DOWN");
    m.put("server", "UP");
    m.put("warmUp", warmedUp ? "DONE" : "RUNNING");
    return m;
  }
}
