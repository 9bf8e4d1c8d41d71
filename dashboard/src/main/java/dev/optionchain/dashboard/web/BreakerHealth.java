package dev.optionchain.dashboard.web;

import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.breaker.CircuitBreakerStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The seed's health check of the breakers, as JSON fields: served by {@code /api/health/circuit-breakers}. */
public final class BreakerHealth {

  private BreakerHealth() {}

  /**
   * Returns {@code breakers} (name to status map), {@code open}, {@code halfOpen}, {@code closed}, {@code degraded}
   * (any breaker not CLOSED) and {@code breakersEnabled}.
   *
   * @param registry the breakers
   * @param enabled whether upstream calls go through them
   * @return the fields, in order
   */
  public static Map<String, Object> of(CircuitBreakerRegistry registry, boolean enabled) {
    return of(registry, enabled, null);
  }

  /**
   * Returns the fields of {@link #of(CircuitBreakerRegistry, boolean)}, then {@code fleet}: {@code enabled},
   * {@code connected}, {@code instanceId}, {@code instances} (ids seen in the last 30 s) and {@code trials} (breaker
   * to the instance holding its trial lease).
   *
   * @param registry the breakers
   * @param enabled whether upstream calls go through them
   * @param fleet the fleet's status ({@code Fleet.status()}), or null to leave it out
   * @return the fields, in order
   */
  public static Map<String, Object> of(CircuitBreakerRegistry registry, boolean enabled, Map<String, Object> fleet) {
    Map<String, Object> statuses = new LinkedHashMap<>();
    for (Map.Entry<String, CircuitBreakerStatus> e : registry.getStatusAll().entrySet()) {
      statuses.put(e.getKey(), e.getValue().toMap());
    }
    List<String> open = registry.getOpenBreakers();
    List<String> halfOpen = registry.getHalfOpenBreakers();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("breakers", statuses);
    m.put("open", open);
    m.put("halfOpen", halfOpen);
    m.put("closed", registry.getClosedBreakers());
    m.put("degraded", !open.isEmpty() || !halfOpen.isEmpty());
    m.put("breakersEnabled", enabled);
    if (fleet != null) {
      m.put("fleet", fleet);
    }
    return m;
  }
}
