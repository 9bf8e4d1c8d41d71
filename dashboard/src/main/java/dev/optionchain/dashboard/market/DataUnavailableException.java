package dev.optionchain.dashboard.market;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Neither the upstream nor the cache could provide the data. The web layer answers 503 with {@code Retry-After} when
 * the upstream was not called ({@link Sourced.Cause#BREAKER_OPEN}, {@link Sourced.Cause#RATE_LIMITED},
 * {@link Sourced.Cause#BULKHEAD_FULL}) and 502 when it was called and failed.
 */
public final class DataUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Sourced.Fallback why;

  DataUnavailableException(Sourced.Fallback why) {
    super(why.detail());
    this.why = Objects.requireNonNull(why, "why");
  }

  /**
   * Returns the breaker of the upstream call.
   *
   * @return the breaker's name
   */
  public String breaker() {
    return why.breaker();
  }

  /**
   * Returns what happened.
   *
   * @return the cause
   */
  public Sourced.Cause cause() {
    return why.cause();
  }

  /**
   * Returns when the upstream may be tried again, if known.
   *
   * @return the wait
   */
  public Optional<Duration> retryAfter() {
    return why.retryAfter();
  }
}
