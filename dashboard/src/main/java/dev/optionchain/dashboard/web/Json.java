package dev.optionchain.dashboard.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.optionchain.dashboard.market.DashboardView;
import dev.optionchain.dashboard.market.Sourced;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The service's JSON conventions: ISO-8601 instants and dates, and how provenance and errors are written. */
public final class Json {

  private Json() {}

  /**
   * Returns the mapper used for every answer: records as objects, {@code java.time} values as ISO-8601 strings.
   *
   * @return a new, configured mapper
   */
  public static ObjectMapper mapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
  }

  /**
   * Writes a data answer: {@code source}, {@code asOf}, {@code stale}, and when served from the cache
   * {@code breaker}, {@code reason}, {@code detail} and {@code retryAfterSeconds}; then {@code data}.
   *
   * @param s the provenance
   * @param data what to write as {@code data}
   * @return the answer's fields, in order
   */
  public static Map<String, Object> sourced(Sourced<?> s, Object data) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", s.source().name().toLowerCase(Locale.ROOT));
    m.put("asOf", s.asOf().toString());
    m.put("stale", s.stale());
    s.fallback().ifPresent(f -> {
      m.put("breaker", f.breaker());
      m.put("reason", f.cause().name().toLowerCase(Locale.ROOT));
      m.put("detail", f.detail());
      f.retryAfter().ifPresent(r -> m.put("retryAfterSeconds", retryAfterSeconds(r)));
    });
    m.put("data", data);
    return m;
  }

  /**
   * Writes one part of a dashboard view: {@code status} and either the data answer or {@code error}.
   *
   * @param p the part
   * @param data what to write as {@code data} when present
   * @return the part's fields
   */
  public static Map<String, Object> part(DashboardView.Part<?> p, Object data) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", p.status().name().toLowerCase(Locale.ROOT));
    m.put("breaker", p.breaker());
    p.value().ifPresent(v -> m.putAll(sourced(v, data)));
    p.error().ifPresent(e -> m.put("error", e));
    p.retryAfter().ifPresent(r -> m.put("retryAfterSeconds", retryAfterSeconds(r)));
    return m;
  }

  /**
   * Rounds a wait up to whole seconds, at least 1, as {@code Retry-After} wants it.
   *
   * @param d the wait
   * @return seconds, at least 1
   */
  public static long retryAfterSeconds(Duration d) {
    long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    return Math.max(1L, s);
  }

  /**
   * Writes an error body.
   *
   * @param status the HTTP status
   * @param message what went wrong, for people
   * @return {@code {"status": .., "error": ..}}
   */
  public static Map<String, Object> error(int status, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", status);
    m.put("error", message);
    return m;
  }
}
