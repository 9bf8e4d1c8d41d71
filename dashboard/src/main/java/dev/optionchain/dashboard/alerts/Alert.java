package dev.optionchain.dashboard.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.optionchain.breaker.CircuitBreakerState;
import dev.optionchain.breaker.CircuitBreakerStatus;
import dev.optionchain.breaker.StateTransition;
import java.time.Instant;
import java.util.Objects;

/**
 * The JSON body POSTed to each webhook when a breaker opens or recovers, for example:
 *
 * <pre>{@code
 * {"breaker":"quotes","from":"CLOSED","to":"OPEN","at":"2026-03-18T15:00:00.123Z",
 *  "reason":"5 consecutive failures","failureCount":5,"lastFailure":"2026-03-18T15:00:00.120Z",
 *  "service":"option-chain-dashboard"}
 * }</pre>
 *
 * <p>Instants are ISO-8601 UTC strings; states are {@link CircuitBreakerState} names.
 *
 * @param breaker the breaker's name
 * @param from the state before the transition
 * @param to the state after the transition
 * @param at when the transition happened
 * @param reason the breaker's short cause, e.g. {@code "5 consecutive failures"} or {@code "reset"}
 * @param failureCount the breaker's failure count right after the transition (the count that tripped it, when
 *     opening; 0 after a reset)
 * @param lastFailure when the breaker last recorded a failure, or {@code null} if none since its last reset
 * @param service the service that sends the alert, {@value #SERVICE}
 * @param origin in fleet mode, the instance that decided the transition (the only one that alerts it); absent from
 *     the JSON of a single instance
 */
@JsonPropertyOrder({"breaker", "from", "to", "at", "reason", "failureCount", "lastFailure", "service", "origin"})
public record Alert(String breaker, String from, String to, Instant at, String reason, int failureCount,
    Instant lastFailure, String service, @JsonInclude(JsonInclude.Include.NON_NULL) String origin) {

  /** The {@code service} of every alert this service sends. */
  public static final String SERVICE = "option-chain-dashboard";

  /**
   * An alert of a single instance (no origin).
   *
   * @param breaker the breaker's name
   * @param from the state before
   * @param to the state after
   * @param at when it happened
   * @param reason why
   * @param failureCount the failure count right after
   * @param lastFailure the last failure, or null
   * @param service the sending service
   */
  public Alert(String breaker, String from, String to, Instant at, String reason, int failureCount,
      Instant lastFailure, String service) {
    this(breaker, from, to, at, reason, failureCount, lastFailure, service, null);
  }

  /**
   * Returns this alert as sent by a fleet instance.
   *
   * @param instance the instance that decided the transition
   * @return a copy with {@code origin}
   */
  public Alert from(String instance) {
    return new Alert(breaker, from, to, at, reason, failureCount, lastFailure, service, instance);
  }

  /**
   * Checks that every component but {@code lastFailure} and {@code origin} is present and that the failure count is
   * not negative.
   */
  public Alert {
    Objects.requireNonNull(breaker, "breaker");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(service, "service");
    if (failureCount < 0) {
      throw new IllegalArgumentException("failureCount must be >= 0, was " + failureCount);
    }
  }

  /**
   * Builds the alert for a transition.
   *
   * @param t the transition
   * @param status the same breaker's status, read right after the transition (in the transition listener)
   * @return the alert, with {@code service} {@value #SERVICE}
   * @throws IllegalArgumentException if the status belongs to another breaker
   */
  public static Alert of(StateTransition t, CircuitBreakerStatus status) {
    if (!t.breakerName().equals(status.name())) {
      throw new IllegalArgumentException(
          "status is of breaker '" + status.name() + "', transition of '" + t.breakerName() + "'");
    }
    return new Alert(t.breakerName(), t.from().name(), t.to().name(), t.at(), t.reason(), status.failureCount(),
        status.lastFailureTime().orElse(null), SERVICE, t.origin().orElse(null));
  }

  /**
   * Tells whether a transition deserves an alert: every opening, and every recovery to CLOSED (including a reset of an
   * open or half-open breaker). OPEN to HALF_OPEN is routine and not alerted.
   *
   * @param t the transition
   * @return {@code true} when {@code to} is OPEN, or {@code to} is CLOSED and {@code from} is not
   */
  public static boolean worthAlerting(StateTransition t) {
    return t.to() == CircuitBreakerState.OPEN
        || (t.to() == CircuitBreakerState.CLOSED && t.from() != CircuitBreakerState.CLOSED);
  }
}
