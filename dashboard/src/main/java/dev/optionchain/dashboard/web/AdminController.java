package dev.optionchain.dashboard.web;

import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerRegistry;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Breaker administration: reset one or all, force one open. Requires {@code Authorization: Bearer <admin.token>};
 * with no token configured every call is refused with 403, never open to all.
 */
final class AdminController {

  private static final Logger LOG = LoggerFactory.getLogger(AdminController.class);

  private final CircuitBreakerRegistry registry;
  private final Optional<byte[]> token;

  AdminController(CircuitBreakerRegistry registry, Optional<String> token) {
    this.registry = registry;
    this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
  }

  /** Runs before every admin route: 403 when disabled, 401 without the right bearer token. */
  void authorize(Context ctx) {
    if (token.isEmpty()) {
      ErrorMapper.write(ctx, 403, "admin endpoints are disabled: set admin.token (OCD_ADMIN_TOKEN) to enable them");
      ctx.skipRemainingHandlers();
      return;
    }
    String header = ctx.header("Authorization");
    String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
        : "";
    if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token.get())) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"admin\"");
      ErrorMapper.write(ctx, 401, "admin endpoints require Authorization: Bearer <admin token>");
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
