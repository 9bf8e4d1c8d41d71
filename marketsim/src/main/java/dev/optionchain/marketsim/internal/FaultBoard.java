package dev.optionchain.marketsim.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The active faults: at most one per endpoint plus one for {@code "*"}. A fault set for an
 * endpoint takes precedence over the {@code "*"} fault for that endpoint. Timers
 * ({@code durationSeconds}, flapping phases) run on the simulator's clock; expired faults are
 * dropped when next looked at.
 *
 * <p>Thread-safe (a concurrent map of immutable entries).
 */
final class FaultBoard {

  private final ConcurrentHashMap<String, Active> faults = new ConcurrentHashMap<>();

  /** Sets (replaces) the fault for the rule's endpoint. */
  void set(FaultRule rule, Instant now) {
    faults.put(rule.endpoint(), new Active(rule, now));
  }

  void clear() {
    faults.clear();
  }

  void clear(String endpoint) {
    faults.remove(endpoint);
  }

  /** The fault that applies to {@code endpoint} at {@code now}, or null. */
  Active effective(Endpoint endpoint, Instant now) {
    Active specific = live(endpoint.wire(), now);
    return specific != null ? specific : live(FaultRule.ALL, now);
  }

  /** Live faults, {@code "*"} first, then in endpoint order. */
  List<Active> active(Instant now) {
    List<Active> live = new ArrayList<>();
    for (Map.Entry<String, Active> entry : faults.entrySet()) {
      Active a = live(entry.getKey(), now);
      if (a != null) {
        live.add(a);
      }
    }
    live.sort(Comparator.comparingInt(a -> order(a.rule().endpoint())));
    return live;
  }

  private static int order(String endpoint) {
    return Endpoint.ofWire(endpoint).map(e -> e.ordinal() + 1).orElse(0);
  }

  private Active live(String key, Instant now) {
    Active a = faults.get(key);
    if (a != null && a.expired(now)) {
      faults.remove(key, a);
      return null;
    }
    return a;
  }

  /** A rule and when it was set. Immutable. */
  record Active(FaultRule rule, Instant setAt) {

    /** When the fault ends by itself, or null. */
    Instant expiresAt() {
      return rule.duration().map(setAt::plus).orElse(null);
    }

    boolean expired(Instant now) {
      Instant end = expiresAt();
      return end != null && !now.isBefore(end);
    }

    /** For {@code flapping}: whether {@code now} falls in a down period. Cycles start with an up period. */
    boolean down(Instant now) {
      long up = rule.upMillis();
      long cycle = up + rule.downMillis();
      long elapsed = Duration.between(setAt, now).toMillis();
      return Math.floorMod(elapsed, cycle) >= up;
    }
  }
}
