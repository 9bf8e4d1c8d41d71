package dev.optionchain.dashboard.upstream;

/**
 * Base of what the market-data client throws. Subclasses say whose fault it is: {@link UpstreamFailureException}
 * (the provider's: counts against its circuit breaker) or {@link UnknownSymbolException} and
 * {@link UpstreamBadRequestException} (the caller's: the provider answered correctly, the breaker counts a success).
 */
public abstract class UpstreamException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  UpstreamException(String message, Throwable cause) {
    super(message, cause);
  }
}
