package dev.optionchain.marketsim.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests and faulted answers per endpoint since start or the last reset.
 *
 * <p>Thread-safe: {@link LongAdder} counters in an immutable map, swapped whole on reset.
 */
final class Stats {

  private volatile Counters counters;

  Stats(Instant now) {
    counters = new Counters(now);
  }

  void request(Endpoint endpoint) {
    counters.requests.get(endpoint).increment();
  }

  void fault(Endpoint endpoint) {
    counters.faults.get(endpoint).increment();
  }

  /** A 429 (also counted as a fault). */
  void rateLimited(Endpoint endpoint) {
    counters.rateLimited.get(endpoint).increment();
  }

  void reset(Instant now) {
    counters = new Counters(now);
  }

  long requests(Endpoint endpoint) {
    return counters.requests.get(endpoint).sum();
  }

  long faults(Endpoint endpoint) {
    return counters.faults.get(endpoint).sum();
  }

  /** {@code {"since": ISO-8601, "endpoints": {"quotes": {"requests": N, "faults": M, "rateLimited": R}, ...}}} */
  ObjectNode toJson() {
    Counters c = counters;
    ObjectNode root = Json.object();
    root.put("since", c.since.toString());
    ObjectNode endpoints = root.putObject("endpoints");
    for (Endpoint e : Endpoint.values()) {
      endpoints.putObject(e.wire())
          .put("requests", c.requests.get(e).sum())
          .put("faults", c.faults.get(e).sum())
          .put("rateLimited", c.rateLimited.get(e).sum());
    }
    return root;
  }

  private static final class Counters {
    private final Instant since;
    private final Map<Endpoint, LongAdder> requests = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, LongAdder> faults = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, LongAdder> rateLimited = new EnumMap<>(Endpoint.class);

    Counters(Instant since) {
      this.since = since;
      for (Endpoint e : Endpoint.values()) {
        requests.put(e, new LongAdder());
        faults.put(e, new LongAdder());
        rateLimited.put(e, new LongAdder());
      }
    }
  }
}
