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
    long seconds = digits(retryAfter);
    if (seconds >= 0) {
      return Duration.ofSeconds(seconds);
    }
    if (!retryAfter.isEmpty()) {
      try {
        Instant at = ZonedDateTime.parse(retryAfter, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return nonNegative(Duration.between(now, at));
      } catch (DateTimeParseException e) {
        // neither form: fall back to the rate-limit headers
      }
    }
    long expiry = number(headers, "X-Ratelimit-Expiry");
    if (expiry >= 0) {
      return nonNegative(Duration.ofMillis(expiry - now.toEpochMilli()));
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
    return digits(headers.firstValue(name).map(String::trim).orElse(""));
  }

  /** The value of 1 to 18 ASCII digits (no sign, so never above {@code Long.MAX_VALUE}), or -1 for anything else. */
  private static long digits(String v) {
    if (v.isEmpty() || v.length() > 18) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

}
