package dev.optionchain.dashboard.upstream;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The provider failed to answer usefully: the failures a circuit breaker counts.
 *
 * <table>
 *   <caption>Kinds</caption>
 *   <tr><th>kind</th><th>when</th></tr>
 *   <tr><td>SERVER_ERROR</td><td>HTTP 5xx</td></tr>
 *   <tr><td>RATE_LIMITED</td><td>HTTP 429; {@link #retryAfter()} from {@code Retry-After} or
 *       {@code X-Ratelimit-Expiry}</td></tr>
 *   <tr><td>UNAUTHORIZED</td><td>HTTP 401/403 (a bad or expired token is the provider relationship failing)</td></tr>
 *   <tr><td>TIMEOUT</td><td>no complete answer within the request timeout</td></tr>
 *   <tr><td>CONNECTION</td><td>connection refused, reset, DNS, TLS</td></tr>
 *   <tr><td>MALFORMED</td><td>a body that is not the expected JSON: an HTML error page, truncated JSON, a wrong
 *       shape, an unexpected status</td></tr>
 *   <tr><td>EMPTY</td><td>a {@code null} payload where data is known to exist</td></tr>
 * </table>
 */
public final class UpstreamFailureException extends UpstreamException {

  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind { SERVER_ERROR, RATE_LIMITED, UNAUTHORIZED, TIMEOUT, CONNECTION, MALFORMED, EMPTY }

  private final Kind kind;
  private final int status;
  private final Duration retryAfter;

  /**
   * Creates a failure.
   *
   * @param kind what went wrong
   * @param status the HTTP status, or 0 when there was no response
   * @param retryAfter when the provider said to retry, or null
   * @param message a description for logs and error bodies
   * @param cause the underlying exception, or null
   */
  public UpstreamFailureException(Kind kind, int status, Duration retryAfter, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.status = status;
    this.retryAfter = retryAfter;
  }

  /**
   * Returns what went wrong.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns the HTTP status, or 0 when there was no response (timeout, connection error).
   *
   * @return the status
   */
  public int status() {
    return status;
  }

  /**
   * Returns how long the provider asked us to wait (rate limiting), if it said.
   *
   * @return the wait
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
