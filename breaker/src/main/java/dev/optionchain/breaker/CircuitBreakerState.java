package dev.optionchain.breaker;

/**
 * The three states of a {@link CircuitBreaker}.
 *
 * <pre>
 *   CLOSED --(failure threshold reached)--> OPEN --(recovery timeout elapsed)--> HALF_OPEN
 *     ^                                       ^                                      |
 *     |                                       +-----------(trial call failed)--------+
 *     +------------------------------(trial call succeeded)--------------------------+
 * </pre>
 */
public enum CircuitBreakerState {
  /** Normal operation: calls pass through and their outcomes are counted. */
  CLOSED,
  /** The protected dependency is considered down: calls are rejected without being invoked. */
  OPEN,
  /** Testing recovery: a limited number of trial calls are admitted, the rest rejected. */
  HALF_OPEN
}
