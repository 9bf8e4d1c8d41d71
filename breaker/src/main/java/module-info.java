/**
 * A circuit breaker for calls to unreliable dependencies: a CLOSED / OPEN / HALF_OPEN state machine with
 * consecutive-failure or failure-rate tripping, a registry of named breakers, state-transition events and an
 * injectable clock.
 *
 * <p>The library depends on nothing but {@code java.base}. Only the API packages are exported; the implementation
 * classes are package-private.
 */
module dev.optionchain.breaker {
  exports dev.optionchain.breaker;
  exports dev.optionchain.breaker.testing;
}
