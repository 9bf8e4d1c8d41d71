package dev.optionchain.dashboard.market;

/** The symbol is unknown, or has no data of the kind asked for. Answered with 404. */
public final class NotFoundException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was not found
   */
  public NotFoundException(String message) {
    super(message);
  }
}
