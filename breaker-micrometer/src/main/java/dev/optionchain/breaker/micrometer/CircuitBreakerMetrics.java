package dev.optionchain.breaker.micrometer;

import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.breaker.StateTransition;
import dev.optionchain.breaker.Subscription;
import dev.optionchain.breaker.TripPolicy;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes circuit breakers to Micrometer: state, calls by outcome, transitions, failure count and the trip
 * policy's threshold.
 *
 * <pre>{@code
 * CircuitBreakerMetrics metrics = CircuitBreakerMetrics.of(registry);   // or of(breakerA, breakerB)
 * metrics.bindTo(meterRegistry);
 * // ...
 * metrics.close();                                                      // stops counting transitions
 * }</pre>
 *
 * <h2>Meters</h2>
 * Per breaker, every meter tagged {@code name} (the breaker's name) plus the common {@link #tags tags}:
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>more tags</th><th>value</th></tr>
 *   <tr><td>{@code circuitbreaker.state}</td><td>gauge</td><td>{@code state}: {@code closed}, {@code open},
 *       {@code half_open}</td><td>1 for the current state, 0 for the other two</td></tr>
 *   <tr><td>{@code circuitbreaker.calls}</td><td>function counter</td><td>{@code outcome}: {@code success},
 *       {@code failure}, {@code rejected}, {@code ignored}</td><td>calls by outcome, monotonic across
 *       {@link CircuitBreaker#reset()}</td></tr>
 *   <tr><td>{@code circuitbreaker.transitions}</td><td>counter</td><td>{@code from}, {@code to}: {@code CLOSED},
 *       {@code OPEN}, {@code HALF_OPEN}</td><td>transitions seen since binding; all six pairs are registered at 0</td>
 *       </tr>
 *   <tr><td>{@code circuitbreaker.failure.count}</td><td>gauge</td><td></td><td>consecutive failures</td></tr>
 *   <tr><td>{@code circuitbreaker.failure.threshold}</td><td>gauge</td><td></td><td>consecutive failures that open
 *       the breaker (only under {@link TripPolicy.ConsecutiveFailures})</td></tr>
 *   <tr><td>{@code circuitbreaker.failure.rate}</td><td>gauge</td><td></td><td>the failure rate over the window, in
 *       percent, NaN while it is empty or the breaker is not CLOSED (only under {@link TripPolicy.FailureRate})</td>
 *       </tr>
 *   <tr><td>{@code circuitbreaker.failure.rate.threshold}</td><td>gauge</td><td></td><td>the failure rate, in
 *       percent, that opens the breaker (only under {@link TripPolicy.FailureRate})</td></tr>
 * </table>
 * The gauges and call counters read the breaker when the registry publishes (a scrape). Reading never makes a
 * transition nor runs a listener: the state gauge reports the state as due ({@link CircuitBreaker#getState()}: HALF_OPEN
 * once the recovery timeout has elapsed), while the transition counters count the transitions made, and a breaker
 * makes OPEN -> HALF_OPEN when the first call after the timeout arrives. Until then a scrape can show
 * {@code half_open} = 1 with the OPEN -> HALF_OPEN counter not yet incremented.
 *
 * <h2>Call counters across resets</h2>
 * The call counters read {@link CircuitBreaker#callTotals()}, which counts since the breaker was created and, unlike
 * {@link CircuitBreaker#getStatus()}, is not zeroed by {@link CircuitBreaker#reset()}: the counters are exact and never
 * go down.
 *
 * <h2>Breakers of a registry</h2>
 * {@link #of(CircuitBreakerRegistry)} follows the registry: {@link #bindTo} creates the meters of every breaker
 * registered at that moment, and a breaker registered later gets its meters on its first transition at the latest,
 * or at the next {@link #refresh()}. {@code refresh()} also removes the meters of breakers no longer registered. A
 * breaker replaced under the same name keeps its meters, which read the new instance from then on; its call counters
 * carry on from the old instance's counts.
 *
 * <h2>Lifecycle and thread-safety</h2>
 * An instance binds to one {@link MeterRegistry} (use a {@code CompositeMeterRegistry} to publish to several).
 * {@link #close()} unsubscribes from the breakers: transitions are no longer counted and new breakers no longer bound;
 * the meters stay registered and keep reading the breakers. All methods are thread-safe. The transition listener runs
 * on the thread that made the transition, outside any lock of the breaker: it increments one counter and allocates
 * nothing, except on a breaker's first transition seen, when it creates that breaker's meters.
 */
public final class CircuitBreakerMetrics implements MeterBinder, AutoCloseable {

  private static final Set<String> RESERVED_TAGS = Set.of("name", "state", "outcome", "from", "to");

  /** The registry followed, or null for a fixed set of breakers. */
  private final CircuitBreakerRegistry registry;
  /** The fixed breakers by name, or empty when following a registry. */
  private final Map<String, CircuitBreaker> fixed;
  private final Tags tags;

  private final Object lock = new Object();
  /** Bound breakers by name; written under lock, read without. */
  private final Map<String, BreakerMeters> bound = new ConcurrentHashMap<>();
  /** Guarded by lock. */
  private final List<Subscription> subscriptions = new ArrayList<>();
  /** Set once by bindTo; guarded by lock, read without by the listener. */
  private volatile MeterRegistry meters;
  private volatile boolean closed;

  private CircuitBreakerMetrics(CircuitBreakerRegistry registry, Map<String, CircuitBreaker> fixed, Tags tags) {
    this.registry = registry;
    this.fixed = fixed;
    this.tags = tags;
  }

  /**
   * Publishes every breaker of {@code registry}, registered now or later.
   *
   * @param registry the breakers
   * @return an unbound instance
   * @throws IllegalArgumentException if {@code registry} is null
   */
  public static CircuitBreakerMetrics of(CircuitBreakerRegistry registry) {
    if (registry == null) {
      throw new IllegalArgumentException("registry must not be null, was null");
    }
    return new CircuitBreakerMetrics(registry, Map.of(), Tags.empty());
  }

  /**
   * Publishes the given breakers.
   *
   * @param breakers at least one, with distinct names
   * @return an unbound instance
   * @throws IllegalArgumentException if there is none, one is null, or two have the same name
   */
  public static CircuitBreakerMetrics of(CircuitBreaker... breakers) {
    if (breakers == null || breakers.length == 0) {
      throw new IllegalArgumentException("breakers must not be empty, was " + (breakers == null ? "null" : "empty"));
    }
    Map<String, CircuitBreaker> byName = new LinkedHashMap<>();
    for (int i = 0; i < breakers.length; i++) {
      CircuitBreaker b = breakers[i];
      if (b == null) {
        throw new IllegalArgumentException("breakers[" + i + "] must not be null, was null");
      }
      if (byName.putIfAbsent(b.getName(), b) != null) {
        throw new IllegalArgumentException("breakers must have distinct names, '" + b.getName() + "' is given twice");
      }
    }
    return new CircuitBreakerMetrics(null, Collections.unmodifiableMap(byName), Tags.empty());
  }

  /**
   * Returns an unbound copy of this instance that adds {@code extra} to every meter (e.g. {@code service}).
   *
   * @param extra tags added to the ones this instance has; none may be named {@code name}, {@code state},
   *     {@code outcome}, {@code from} or {@code to}
   * @return a new instance over the same breakers
   * @throws IllegalArgumentException if {@code extra} is null or uses a reserved key
   */
  public CircuitBreakerMetrics tags(Iterable<Tag> extra) {
    if (extra == null) {
      throw new IllegalArgumentException("extra must not be null, was null");
    }
    for (Tag t : extra) {
      if (RESERVED_TAGS.contains(t.getKey())) {
        throw new IllegalArgumentException("extra must not use the tag key '" + t.getKey() + "', which the meters "
            + "set themselves; reserved: " + RESERVED_TAGS);
      }
    }
    return new CircuitBreakerMetrics(registry, fixed, tags.and(extra));
  }

  /**
   * Creates the meters of the breakers in {@code meters} and subscribes to their transitions.
   *
   * @param meters where to register the meters
   * @throws IllegalStateException if this instance is already bound or closed
   */
  @Override
  public void bindTo(MeterRegistry meters) {
    if (meters == null) {
      throw new IllegalArgumentException("meters must not be null, was null");
    }
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("CircuitBreakerMetrics is closed");
      }
      if (this.meters != null) {
        throw new IllegalStateException("CircuitBreakerMetrics is already bound to " + this.meters
            + "; bind a CompositeMeterRegistry to publish to several registries");
      }
      this.meters = meters;
      // subscribe first: a transition between the two steps binds its breaker through the listener
      if (registry != null) {
        subscriptions.add(registry.onStateTransition(this::onTransition));
      } else {
        for (CircuitBreaker b : fixed.values()) {
          subscriptions.add(b.onStateTransition(this::onTransition));
        }
      }
      for (CircuitBreaker b : sources().values()) {
        bind(b);
      }
    }
  }

  /**
   * Prepares a scrape: when following a registry, binds breakers registered since and removes the meters of breakers
   * no longer registered. Cheap when nothing changed; a no-op before {@link #bindTo} or after {@link #close()}, and
   * for a fixed set of breakers. Call it before each scrape.
   */
  public void refresh() {
    if (meters == null || closed) {
      return;
    }
    if (registry == null) {
      return;
    }
    Map<String, CircuitBreaker> now = registry.getAll();
    if (now.size() == bound.size() && bound.keySet().containsAll(now.keySet())) {
      return;
    }
    synchronized (lock) {
      if (closed) {
        return;
      }
      for (CircuitBreaker b : now.values()) {
        bind(b);
      }
      for (BreakerMeters m : new ArrayList<>(bound.values())) {
        if (!now.containsKey(m.name())) {
          bound.remove(m.name());
          for (Meter meter : m.meters()) {
            meters.remove(meter);
          }
        }
      }
    }
  }

  /**
   * Unsubscribes from the breakers: transitions are no longer counted. The meters stay registered. Idempotent.
   */
  @Override
  public void close() {
    List<Subscription> toClose;
    synchronized (lock) {
      closed = true;
      toClose = new ArrayList<>(subscriptions);
      subscriptions.clear();
    }
    // outside the lock: a listener being delivered may be waiting for it
    for (Subscription s : toClose) {
      s.close();
    }
  }

  @Override
  public String toString() {
    return "CircuitBreakerMetrics" + (registry != null ? "[" + registry + "]" : fixed.keySet()) + tags;
  }

  /** Runs on the thread that made the transition, outside any lock of the breaker. */
  private void onTransition(StateTransition t) {
    if (closed) {
      return;
    }
    BreakerMeters m = bound.get(t.breakerName());
    if (m == null) {
      m = bindLate(t.breakerName());
      if (m == null) {
        return;
      }
    }
    m.onTransition(t);
  }

  /** Binds a breaker first seen through a transition. */
  private BreakerMeters bindLate(String name) {
    CircuitBreaker b = lookup(name);
    if (b == null) {
      return null;
    }
    synchronized (lock) {
      return closed ? null : bind(b);
    }
  }

  /** Guarded by lock. */
  private BreakerMeters bind(CircuitBreaker b) {
    BreakerMeters m = bound.get(b.getName());
    if (m == null) {
      m = new BreakerMeters(b, this::lookup, meters, tags);
      bound.put(b.getName(), m);
    }
    return m;
  }

  private Map<String, CircuitBreaker> sources() {
    return registry != null ? registry.getAll() : fixed;
  }

  private CircuitBreaker lookup(String name) {
    return sources().get(name);
  }
}
