package dev.optionchain.dashboard.upstream;

import java.time.Instant;
import java.util.Objects;

/**
 * The upstream's rate-limit headers on one answer, as Tradier sends them: {@code X-Ratelimit-Allowed},
 * {@code X-Ratelimit-Used}, {@code X-Ratelimit-Available} and {@code X-Ratelimit-Expiry} (epoch milliseconds when the
 * window resets).
 *
 * @param allowed requests allowed in the window
 * @param used requests used in the window, this one included
 * @param available requests left in the window
 * @param expiry when the window resets
 */
public record RateLimit(long allowed, long used, long available, Instant expiry) {

  /** Requires an expiry. */
  public RateLimit {
    Objects.requireNonNull(expiry, "expiry");
  }
}
