package dev.optionchain.dashboard.market;

/** A request the caller can fix: a malformed symbol or date, an unknown expiration. Answered with 400. */
public final class InvalidRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong and what is expected
   */
  public InvalidRequestException(String message) {
    super(message);
  }
}
