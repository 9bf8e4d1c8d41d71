package dev.optionchain.dashboard.cache;

import java.time.Instant;
import java.util.Objects;

/**
 * What a cache lookup returns: the value and when it was fetched from the upstream.
 *
 * @param value the cached value
 * @param fetchedAt when the value was fetched (microsecond precision, as stored); for a value assembled from rows
 *     written at different times, the oldest of them, so that it never overstates freshness
 * @param <T> the value's type
 */
public record Cached<T>(T value, Instant fetchedAt) {

  /**
   * Requires both components.
   *
   * @param value the cached value
   * @param fetchedAt when it was fetched
   */
  public Cached {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(fetchedAt, "fetchedAt");
  }
}
