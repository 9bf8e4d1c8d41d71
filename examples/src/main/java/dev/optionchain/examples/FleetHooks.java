package dev.optionchain.examples;

import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.StateTransition;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The fleet-hooks sample of {@code docs/circuit-breaker.md}: share a breaker's decisions with other processes through
 * any messaging, adopting theirs without echoing them back.
 */
public final class FleetHooks {

  private FleetHooks() {}

  /** Another instance's decision, as a messaging layer would deliver it. */
  public record Message(boolean open, Duration remaining, String instanceId, String reason) {}

  /** The messaging between instances (Redis pub/sub in the dashboard). */
  public interface Fleet {
    /**
     * Tells the other instances of a local transition.
     *
     * @param transition the transition
     */
    void publish(StateTransition transition);

    /**
     * Subscribes to the other instances' decisions.
     *
     * @param handler receives each message
     */
    void onMessage(Consumer<Message> handler);
  }

  /**
   * Wires a breaker to the fleet.
   *
   * @param breaker the local breaker
   * @param fleet the messaging
   */
  public static void wire(CircuitBreaker breaker, Fleet fleet) {
    // tag::fleet-hooks[]
    breaker.onStateTransition(t -> { if (!t.adopted()) fleet.publish(t); });
    fleet.onMessage(m -> {
      if (m.open()) {
        breaker.adoptOpen(m.remaining(), m.instanceId(), m.reason());
      } else {
        breaker.adoptClosed(m.instanceId(), m.reason());
      }
    });
    // end::fleet-hooks[]
  }
}
