package dev.optionchain.dashboard.cache;

/**
 * The cache could not do what was asked: the database file could not be opened, is closed, or a statement failed. The
 * message says which file, table or operation; the cause, when there is one, is the driver's {@link
 * java.sql.SQLException}.
 *
 * <p>A failed write leaves the previously cached rows intact (every write is one transaction). Callers of the read
 * methods are expected to catch this, log it, and treat it as a cache miss: a cache that cannot be read must never take
 * the service down.
 */
public final class CacheException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception without a cause.
   *
   * @param message what failed, naming the file, table or operation
   */
  public CacheException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a cause.
   *
   * @param message what failed, naming the file, table or operation
   * @param cause the underlying failure, usually a {@link java.sql.SQLException}
   */
  public CacheException(String message, Throwable cause) {
    super(message, cause);
  }
}
