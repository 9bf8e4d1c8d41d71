package dev.optionchain.breaker;

/**
 * Base class of the exceptions the library itself throws. Exceptions thrown by protected functions are never wrapped
 * in it: they reach the caller unchanged.
 */
public class CircuitBreakerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message and a stack trace.
   *
   * @param message the detail message
   */
  public CircuitBreakerException(String message) {
    super(message);
  }

  /**
   * Creates an exception with full control over the stack trace, for cheap exceptions on hot paths.
   *
   * @param message the detail message, or {@code null} when {@link #getMessage()} is overridden
   * @param cause the cause, or {@code null}
   * @param enableSuppression whether suppressed exceptions are kept
   * @param writableStackTrace whether the stack trace is filled in
   */
  protected CircuitBreakerException(
      String message, Throwable cause, boolean enableSuppression, boolean writableStackTrace) {
    super(message, cause, enableSuppression, writableStackTrace);
  }
}
