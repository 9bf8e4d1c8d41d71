package dev.optionchain.breaker;

/**
 * How a cancelled call counts: the future returned by {@link CircuitBreaker#callAsync} cancelled by the caller, a
 * stage that completes with a {@link java.util.concurrent.CancellationException}, or a function that throws one.
 *
 * <p>Either way a cancelled call gives its admission back at once: a HALF_OPEN trial permit is released, so another
 * trial can start.
 */
public enum CancellationPolicy {
  /** The default: a cancelled call counts neither as a success nor as a failure (like an ignored exception). */
  IGNORE,
  /** A cancelled call counts as a failure: for callers who cancel only what took too long. */
  COUNT_AS_FAILURE
}
