package dev.optionchain.breaker;

/**
 * A registration that can be cancelled, returned by {@link CircuitBreaker#onStateTransition}.
 *
 * <p>{@link #close()} is idempotent and thread-safe; after it returns, the listener receives no further events.
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

  /** Cancels the registration. Calling it again has no effect. */
  @Override
  void close();
}
