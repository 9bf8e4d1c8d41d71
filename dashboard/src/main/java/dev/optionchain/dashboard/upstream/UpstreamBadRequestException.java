package dev.optionchain.dashboard.upstream;

/**
 * The provider rejected the request as invalid (HTTP 400): the caller's parameters were wrong, the provider is
 * healthy. Not a provider failure.
 */
public final class UpstreamBadRequestException extends UpstreamException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the provider's explanation
   */
  public UpstreamBadRequestException(String message) {
    super(message, null);
  }
}
