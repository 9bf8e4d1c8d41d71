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
    return m;
  }
}
