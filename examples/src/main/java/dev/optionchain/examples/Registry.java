package dev.optionchain.examples;

import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerConfig;
import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.breaker.StateTransition;
import java.util.Queue;

/** The registry sample of {@code docs/circuit-breaker.md}. */
public final class Registry {

  private Registry() {}

  /**
   * Registers two breakers, reads the registry, subscribes to every breaker's transitions and resets them all.
   *
   * @param chainConfig the options chain breaker's configuration
   * @param alerts receives every transition
   * @return the registry
   */
  public static CircuitBreakerRegistry tour(CircuitBreakerConfig chainConfig, Queue<StateTransition> alerts) {
    // tag::registry[]
    CircuitBreakerRegistry registry = new CircuitBreakerRegistry();   // isolated; CircuitBreakerRegistry.global() is the process-wide one
    registry.register("current_price", CircuitBreaker.of("current_price"));
    CircuitBreaker chain = registry.getOrCreate("options_chain", chainConfig);   // atomic
    registry.getOpenBreakers();       // ["options_chain"], in registration order
    registry.getStatusAll();          // name -> CircuitBreakerStatus
    registry.onStateTransition(t -> alerts.offer(t));   // every breaker, registered now or later
    registry.resetAll();
    // end::registry[]
    chain.forceOpen();
    return registry;
  }
}
