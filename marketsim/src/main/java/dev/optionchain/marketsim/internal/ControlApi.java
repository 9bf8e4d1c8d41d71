package dev.optionchain.marketsim.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's own control plane under {@code /sim}: faults, stats and the universe. Needs no
 * token and is never subject to faults. Errors answer 400 with {@code {"error": "..."}}.
 *
 * <p>Thread-safe.
 */
final class ControlApi {

  private static final Logger LOG = LoggerFactory.getLogger(ControlApi.class);

  private final Clock clock;
  private final FaultBoard faults;
  private final RateLimiter limiter;
  private final Stats stats;
  private final Universe universe;

  ControlApi(Clock clock, FaultBoard faults, RateLimiter limiter, Stats stats, Universe universe) {
    this.clock = clock;
    this.faults = faults;
    this.limiter = limiter;
    this.stats = stats;
    this.universe = universe;
  }

  /** {@code POST /sim/faults}: sets (replaces) the fault of one endpoint; answers the active faults. */
  void setFault(Context ctx) {
    FaultRule rule;
    try {
      rule = FaultRule.parse(ctx.body());
    } catch (IllegalArgumentException e) {
      Gateway.write(ctx, 400, Json.error(e.getMessage()));
      return;
    }
    faults.set(rule, clock.instant());
    if (rule.mode() == FaultRule.Mode.RATE_LIMIT) {
      limiter.reset(rule.endpoint());   // a new budget starts now, whatever was counted before
    }
    LOG.info("fault set: {}", rule);
    listFaults(ctx);
  }

  /** {@code GET /sim/faults} */
  void listFaults(Context ctx) {
    Instant now = clock.instant();
    ArrayNode list = Json.array();
    for (FaultBoard.Active active : faults.active(now)) {
      list.add(describe(active, now));
    }
    ctx.status(200).contentType(Json.CONTENT_TYPE).result(Json.write(list));
  }

  /** {@code DELETE /sim/faults} */
  void clearFaults(Context ctx) {
    faults.clear();
    limiter.clear();
    LOG.info("faults cleared");
    listFaults(ctx);
  }

  /** {@code DELETE /sim/faults/{endpoint}} */
  void clearFault(Context ctx) {
    String endpoint = ctx.pathParam("endpoint");
    if (!FaultRule.ALL.equals(endpoint) && Endpoint.ofWire(endpoint).isEmpty()) {
      Gateway.write(ctx, 400, Json.error("endpoint: unknown endpoint '" + endpoint
          + "'; expected one of quotes, history, expirations, chains, lookup, *"));
      return;
    }
    faults.clear(endpoint);
    LOG.info("fault cleared: {}", endpoint);
    listFaults(ctx);
  }

  /** {@code GET /sim/stats} */
  void stats(Context ctx) {
    Gateway.write(ctx, 200, stats.toJson());
  }

  /** {@code DELETE /sim/stats}: resets the counters; answers the (zeroed) stats. */
  void resetStats(Context ctx) {
    stats.reset(clock.instant());
    stats(ctx);
  }

  /** {@code GET /sim/universe}: {@code [{"symbol", "description", "type", "exchange"}, ...]} */
  void universe(Context ctx) {
    ArrayNode list = Json.array();
    for (Security s : universe.all()) {
      list.add(Json.object()
          .put("symbol", s.symbol())
          .put("description", s.description())
          .put("type", s.type())
          .put("exchange", s.exchange()));
    }
    ctx.status(200).contentType(Json.CONTENT_TYPE).result(Json.write(list));
  }

  private static ObjectNode describe(FaultBoard.Active active, Instant now) {
    ObjectNode node = active.rule().toNode();
    node.put("setAt", active.setAt().toString());
    Instant end = active.expiresAt();
    if (end != null) {
      node.put("expiresAt", end.toString());
    }
    if (active.rule().mode() == FaultRule.Mode.FLAPPING) {
      node.put("phase", active.down(now) ? "down" : "up");
    }
    return node;
  }
}
