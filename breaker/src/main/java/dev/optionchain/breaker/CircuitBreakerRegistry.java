package dev.optionchain.breaker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Named breakers, kept in registration order.
 *
 * <p>{@link #global()} is the one process-wide registry; {@code new CircuitBreakerRegistry()} makes an isolated one,
 * for tests and dependency injection. Both start empty.
 *
 * <p>Thread-safe. Lookups read an immutable snapshot without locking; registrations copy it under a lock.
 */
public final class CircuitBreakerRegistry {

  private static final CircuitBreakerRegistry GLOBAL = new CircuitBreakerRegistry();

  private final Object lock = new Object();
  /** Unmodifiable, in registration order; replaced on every change. */
  private volatile Map<String, CircuitBreaker> breakers = Collections.emptyMap();
  /** Registry-wide listeners and their subscription on each breaker; guarded by lock. */
  private final List<RegistryListener> listeners = new ArrayList<>();

  /** Creates an empty registry. */
  public CircuitBreakerRegistry() {}

  /**
   * Returns the process-wide registry. It starts empty.
   *
   * @return always the same instance
   */
  public static CircuitBreakerRegistry global() {
    return GLOBAL;
  }

  /**
   * Adds a breaker under its name. A breaker already registered under that name is replaced in place (the order is
   * kept).
   *
   * @param name the breaker's name; must equal {@code breaker.getName()}
   * @param breaker the breaker
   * @return {@code breaker}
   * @throws IllegalArgumentException if {@code name} differs from the breaker's name, or an argument is null
   */
  public CircuitBreaker register(String name, CircuitBreaker breaker) {
    if (breaker == null) {
      throw new IllegalArgumentException("breaker must not be null, was null");
    }
    if (!breaker.getName().equals(name)) {
      throw new IllegalArgumentException(
          "name must equal the breaker's name '" + breaker.getName() + "', was " + quote(name));
    }
    List<Subscription> stale = new ArrayList<>();
    synchronized (lock) {
      put(breaker, stale);
    }
    closeAll(stale);
    return breaker;
  }

  /**
   * Returns the breaker registered under {@code name}.
   *
   * @param name the name
   * @return the breaker, or empty
   */
  public Optional<CircuitBreaker> get(String name) {
    return Optional.ofNullable(breakers.get(name));
  }

  /**
   * Returns the breaker registered under {@code name}, creating and registering it with {@code config} if there is
   * none. Atomic: concurrent callers get the same breaker.
   *
   * @param name the name, not blank
   * @param config the configuration used if the breaker is created
   * @return the registered breaker
   */
  public CircuitBreaker getOrCreate(String name, CircuitBreakerConfig config) {
    CircuitBreaker existing = breakers.get(name);
    if (existing != null) {
      return existing;
    }
    synchronized (lock) {
      existing = breakers.get(name);
      if (existing != null) {
        return existing;
      }
      CircuitBreaker created = CircuitBreaker.of(name, config);
      put(created, new ArrayList<>());
      return created;
    }
  }

  /**
   * Removes the breaker registered under {@code name}; registry-wide listeners stop receiving its transitions.
   *
   * @param name the name
   * @return the removed breaker, or empty
   */
  public Optional<CircuitBreaker> remove(String name) {
    List<Subscription> stale = new ArrayList<>();
    CircuitBreaker removed;
    synchronized (lock) {
      removed = breakers.get(name);
      if (removed == null) {
        return Optional.empty();
      }
      Map<String, CircuitBreaker> next = new LinkedHashMap<>(breakers);
      next.remove(name);
      breakers = Collections.unmodifiableMap(next);
      for (RegistryListener l : listeners) {
        l.unsubscribe(name, stale);
      }
    }
    closeAll(stale);
    return Optional.of(removed);
  }

  /**
   * Returns all breakers by name.
   *
   * @return an unmodifiable snapshot in registration order
   */
  public Map<String, CircuitBreaker> getAll() {
    return breakers;
  }

  /** Resets every breaker to CLOSED. */
  public void resetAll() {
    for (CircuitBreaker b : breakers.values()) {
      b.reset();
    }
  }

  /**
   * Returns the status of every breaker.
   *
   * @return an unmodifiable map in registration order
   */
  public Map<String, CircuitBreakerStatus> getStatusAll() {
    Map<String, CircuitBreakerStatus> out = new LinkedHashMap<>();
    for (CircuitBreaker b : breakers.values()) {
      out.put(b.getName(), b.getStatus());
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Returns the names of the OPEN breakers.
   *
   * @return an unmodifiable list in registration order
   */
  public List<String> getOpenBreakers() {
    return namesIn(CircuitBreakerState.OPEN);
  }

  /**
   * Returns the names of the HALF_OPEN breakers.
   *
   * @return an unmodifiable list in registration order
   */
  public List<String> getHalfOpenBreakers() {
    return namesIn(CircuitBreakerState.HALF_OPEN);
  }

  /**
   * Returns the names of the CLOSED breakers.
   *
   * @return an unmodifiable list in registration order
   */
  public List<String> getClosedBreakers() {
    return namesIn(CircuitBreakerState.CLOSED);
  }

  /**
   * Subscribes to the transitions of every breaker registered now or later, until the subscription is closed. The
   * delivery guarantees are those of {@link CircuitBreaker#onStateTransition}, per breaker.
   *
   * @param listener receives every transition
   * @return a subscription whose {@link Subscription#close()} stops delivery from all breakers
   */
  public Subscription onStateTransition(Consumer<StateTransition> listener) {
    Objects.requireNonNull(listener, "listener");
    RegistryListener l = new RegistryListener(listener);
    synchronized (lock) {
      listeners.add(l);
      for (CircuitBreaker b : breakers.values()) {
        l.subscribe(b);
      }
    }
    return () -> {
      List<Subscription> stale = new ArrayList<>();
      synchronized (lock) {
        if (listeners.remove(l)) {
          stale.addAll(l.subscriptions.values());
          l.subscriptions.clear();
        }
      }
      closeAll(stale);
    };
  }

  /**
   * Puts a breaker in the map and subscribes the registry-wide listeners; the subscriptions to a replaced breaker are
   * added to {@code stale}, to be closed once the lock is released (a subscription runs no user code while closing,
   * but the lock is kept to the map; a breaker's listener may call into this registry).
   */
  private void put(CircuitBreaker breaker, List<Subscription> stale) {
    Map<String, CircuitBreaker> next = new LinkedHashMap<>(breakers);
    CircuitBreaker previous = next.put(breaker.getName(), breaker);
    if (previous == breaker) {
      return;
    }
    breakers = Collections.unmodifiableMap(next);
    for (RegistryListener l : listeners) {
      l.unsubscribe(breaker.getName(), stale);
      l.subscribe(breaker);
    }
  }

  private static void closeAll(List<Subscription> subscriptions) {
    for (Subscription s : subscriptions) {
      s.close();
    }
  }

  private List<String> namesIn(CircuitBreakerState state) {
    List<String> names = new ArrayList<>();
    for (CircuitBreaker b : breakers.values()) {
      if (b.getState() == state) {
        names.add(b.getName());
      }
    }
    return Collections.unmodifiableList(names);
  }

  private static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }

  @Override
  public String toString() {
    return "CircuitBreakerRegistry" + breakers.keySet();
  }

  /** One registry-wide listener and its subscriptions; guarded by the registry's lock. */
  private static final class RegistryListener {
    private final Consumer<StateTransition> delegate;
    private final Map<String, Subscription> subscriptions = new HashMap<>();

    RegistryListener(Consumer<StateTransition> delegate) {
      this.delegate = delegate;
    }

    void subscribe(CircuitBreaker b) {
      subscriptions.put(b.getName(), b.onStateTransition(delegate));
    }

    void unsubscribe(String name, List<Subscription> stale) {
      Subscription s = subscriptions.remove(name);
      if (s != null) {
        stale.add(s);
      }
    }
  }
}
