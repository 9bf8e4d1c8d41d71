package dev.optionchain.dashboard.market;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A piece of market data and where it came from.
 *
 * @param data the data
 * @param source {@link Source#LIVE} (fetched from the upstream for this request) or {@link Source#CACHE}
 * @param asOf when the data was fetched from the upstream
 * @param fallback why the cache was used, when it was
 * @param <T> the data's type
 */
public record Sourced<T>(T data, Source source, Instant asOf, Optional<Fallback> fallback) {

  /** Where data came from. */
  public enum Source {
    /** Fetched from the upstream for this request. */
    LIVE,
    /** Read from the local cache because the upstream could not be used. */
    CACHE
  }

  /**
   * Why data was served from the cache.
   *
   * @param breaker the breaker of the upstream call
   * @param cause what happened
   * @param retryAfter when the upstream may be tried again, if known
   * @param detail a human-readable explanation
   */
  public record Fallback(String breaker, Cause cause, Optional<Duration> retryAfter, String detail) {}

  /** What made the service fall back. */
  public enum Cause {
    /** The circuit breaker is open (or its trial call is in flight): the upstream was not called. */
    BREAKER_OPEN,
    /** The upstream is rate-limiting us: it answered 429, or the wait it asked for has not passed. */
    RATE_LIMITED,
    /** The upstream was called and failed. */
    UPSTREAM_FAILED,
    /**
     * The upstream was not called: as many requests as the kind's bulkhead allows were already waiting for it, or as
     * many of its calls were in flight ({@code breaker.<name>.max-waiting-requests}, {@code max-concurrent-calls}).
     */
    BULKHEAD_FULL
  }

  /** Checks the components. */
  public Sourced {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(fallback, "fallback");
  }

  static <T> Sourced<T> live(T data, Instant asOf) {
    return new Sourced<>(data, Source.LIVE, asOf, Optional.empty());
  }

  static <T> Sourced<T> cached(T data, Instant asOf, Fallback why) {
    return new Sourced<>(data, Source.CACHE, asOf, Optional.of(why));
  }

  /**
   * Returns whether the data is stale: served from the cache because the upstream could not give a fresh answer.
   *
   * @return true when from the cache
   */
  public boolean stale() {
    return source == Source.CACHE;
  }

  /**
   * Returns the same provenance with other data.
   *
   * @param other the new data
   * @param <U> its type
   * @return a copy with {@code other} as data
   */
  public <U> Sourced<U> withData(U other) {
    return new Sourced<>(other, source, asOf, fallback);
  }
}
