package dev.optionchain.dashboard.web;

import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerRegistry;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Breaker administration: reset one or all, force one open. Requires {@code Authorization: Bearer <admin.token>}
 * (checked by {@link Authority}); with no token configured every call is refused with 403, never open to all.
 */
final class AdminController {

  private static final Logger LOG = LoggerFactory.getLogger(AdminController.class);

  private final CircuitBreakerRegistry registry;
  private final boolean enabled;

  AdminController(CircuitBreakerRegistry registry, Optional<String> token) {
    this.registry = registry;
    this.enabled = token.isPresent();
  }

  /**
   * Runs before every admin route: 403 when no token is configured. (With one, {@link Authority} has already
   * checked the bearer token of every request that is not a GET or HEAD.)
   */
  void authorize(Context ctx) {
    if (!enabled) {
      ErrorMapper.write(ctx, 403, "admin endpoints are disabled: set admin.token (OCD_ADMIN_TOKEN) to enable them");
      ctx.skipRemainingHandlers();
    }
  }

  /** {@code POST /api/admin/circuit-breakers/{name}/reset}. */
  void reset(Context ctx) {
    CircuitBreaker b = breaker(ctx);
    if (b != null) {
      b.reset();
      LOG.info("admin reset circuit breaker '{}' from {}", b.getName(), ctx.ip());
      ctx.json(b.getStatus().toMap());
    }
  }

  /** {@code POST /api/admin/circuit-breakers/reset}. */
  void resetAll(Context ctx) {
    registry.resetAll();
    LOG.info("admin reset all circuit breakers from {}", ctx.ip());
    Map<String, Object> m = new LinkedHashMap<>();
    registry.getStatusAll().forEach((name, status) -> m.put(name, status.toMap()));
    ctx.json(m);
  }

  /** {@code POST /api/admin/circuit-breakers/{name}/open}: force open until reset. */
  void forceOpen(Context ctx) {
    CircuitBreaker b = breaker(ctx);
    if (b != null) {
      b.forceOpen();
      LOG.warn("admin forced circuit breaker '{}' open from {}", b.getName(), ctx.ip());
      ctx.json(b.getStatus().toMap());
    }
  }

  private CircuitBreaker breaker(Context ctx) {
    String name = ctx.pathParam("name");
    Optional<CircuitBreaker> b = registry.get(name);
    if (b.isEmpty()) {
      ErrorMapper.write(ctx, 404, "no circuit breaker named '" + QueryParams.echo(name) + "'; known: "
          + registry.getAll().keySet());
      return null;
    }
    return b.get();
  }
}
