package dev.optionchain.dashboard.upstream;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads Tradier's rate-limit headers: {@code Retry-After} and {@code X-Ratelimit-*}. Stateless. */
final class RateLimitHeaders {

  private RateLimitHeaders() {}

  /**
   * How long a 429 asks us to wait: {@code Retry-After} as delay-seconds or an HTTP-date, else
   * {@code X-Ratelimit-Expiry} (Tradier: epoch milliseconds when the window resets) minus {@code now}, else null.
   * A moment already past gives zero.
   */
  static Duration retryAfter(HttpHeaders headers, Instant now) {
    String retryAfter = headers.firstValue("Retry-After").map(String::trim).orElse("");
    if (retryAfter.matches("\\d{1,18}")) {
      return Duration.ofSeconds(Long.parseLong(retryAfter));
    }
    if (!retryAfter.isEmpty()) {
      try {
        Instant at = ZonedDateTime.parse(retryAfter, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return nonNegative(Duration.between(now, at));
      } catch (DateTimeParseException e) {
        // neither form: fall back to the rate-limit headers
      }
    }
    String expiry = headers.firstValue("X-Ratelimit-Expiry").map(String::trim).orElse("");
    if (expiry.matches("\\d{1,18}")) {
      return nonNegative(Duration.ofMillis(Long.parseLong(expiry) - now.toEpochMilli()));
    }
    return null;
  }

  /** The {@code X-Ratelimit-*} headers, or null when any of the four is missing or not a number. */
  static RateLimit rateLimit(HttpHeaders headers) {
    long allowed = number(headers, "X-Ratelimit-Allowed");
    long used = number(headers, "X-Ratelimit-Used");
    long available = number(headers, "X-Ratelimit-Available");
    long expiry = number(headers, "X-Ratelimit-Expiry");
    if (allowed < 0 || used < 0 || available < 0 || expiry < 0) {
      return null;
    }
    return new RateLimit(allowed, used, available, Instant.ofEpochMilli(expiry));
  }

  private static long number(HttpHeaders headers, String name) {
    String v = headers.firstValue(name).map(String::trim).orElse("");
    return v.matches("\\d{1,18}") ? Long.parseLong(v) : -1;
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

}
