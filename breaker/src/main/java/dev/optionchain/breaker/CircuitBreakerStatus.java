package dev.optionchain.breaker;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * An immutable view of a breaker at one moment, from {@link CircuitBreaker#getStatus()}.
 *
 * <p>Call counts are since the breaker's creation or its last {@link CircuitBreaker#reset()}. Instants come from the
 * breaker's clock and keep its precision.
 *
 * @param name the breaker's name
 * @param state the state, HALF_OPEN from the moment the recovery timeout has elapsed
 * @param failureCount consecutive failures: counted while CLOSED, the count that tripped the breaker (plus failed
 *     trials) while OPEN or HALF_OPEN
 * @param failureThreshold the configured consecutive-failure threshold
 * @param recoveryTimeout the configured recovery timeout
 * @param lastFailureTime when the last failure was recorded, if any since reset
 * @param stateSince when the current state was entered
 * @param retryAt when OPEN (and not forced): when a trial call will be allowed
 * @param successfulCalls calls that succeeded
 * @param failedCalls calls that failed (exceptions, failing results and, unless tracked separately, slow calls)
 * @param rejectedCalls calls rejected without being invoked
 * @param ignoredCalls calls whose exception was ignored by the configuration
 * @param slowCalls calls at least as slow as the configured slow-call duration
 * @param forcedOpen whether the breaker was forced open and stays so until reset
 * @param openDuration how long the current OPEN period lasts, or the next one would, after recovery backoff
 * @param failureRate in rate mode while CLOSED: the failure rate over the window, in percent, once it holds a call
 * @param failureRateThreshold the configured failure-rate threshold, in rate mode
 * @param slowCallRate in rate mode with a slow-call threshold, while CLOSED: the slow-call rate in percent
 * @param trafficShare the share of calls admitted: 1.0, less while ramping up after recovery
 */
public record CircuitBreakerStatus(
    String name,
    CircuitBreakerState state,
    int failureCount,
    int failureThreshold,
    Duration recoveryTimeout,
    Optional<Instant> lastFailureTime,
    Instant stateSince,
    Optional<Instant> retryAt,
    long successfulCalls,
    long failedCalls,
    long rejectedCalls,
    long ignoredCalls,
    long slowCalls,
    boolean forcedOpen,
    Duration openDuration,
    OptionalDouble failureRate,
    OptionalDouble failureRateThreshold,
    OptionalDouble slowCallRate,
    double trafficShare) {

  /** Checks that no reference component is {@code null}. */
  public CircuitBreakerStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(recoveryTimeout, "recoveryTimeout");
    Objects.requireNonNull(lastFailureTime, "lastFailureTime");
    Objects.requireNonNull(stateSince, "stateSince");
    Objects.requireNonNull(retryAt, "retryAt");
    Objects.requireNonNull(openDuration, "openDuration");
    Objects.requireNonNull(failureRate, "failureRate");
    Objects.requireNonNull(failureRateThreshold, "failureRateThreshold");
    Objects.requireNonNull(slowCallRate, "slowCallRate");
  }

  /**
   * Returns the status as a map of JSON types only (String, Number, Boolean, null), in a stable key order: {@code name,
   * state, failureCount, failureThreshold, recoveryTimeoutSeconds, lastFailureTime, stateSince, retryAt,
   * successfulCalls, failedCalls, rejectedCalls, ignoredCalls, slowCalls, forcedOpen, openDurationSeconds,
   * failureRate, failureRateThreshold, slowCallRate, trafficShare}. States are their names; instants are ISO-8601 UTC
   * strings; durations are seconds (an integer when whole); absent values are {@code null}.
   *
   * @return an unmodifiable map
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("state", state.name());
    m.put("failureCount", failureCount);
    m.put("failureThreshold", failureThreshold);
    m.put("recoveryTimeoutSeconds", seconds(recoveryTimeout));
    m.put("lastFailureTime", lastFailureTime.map(Instant::toString).orElse(null));
    m.put("stateSince", stateSince.toString());
    m.put("retryAt", retryAt.map(Instant::toString).orElse(null));
    m.put("successfulCalls", successfulCalls);
    m.put("failedCalls", failedCalls);
    m.put("rejectedCalls", rejectedCalls);
    m.put("ignoredCalls", ignoredCalls);
    m.put("slowCalls", slowCalls);
    m.put("forcedOpen", forcedOpen);
    m.put("openDurationSeconds", seconds(openDuration));
    m.put("failureRate", failureRate.isPresent() ? failureRate.getAsDouble() : null);
    m.put("failureRateThreshold", failureRateThreshold.isPresent() ? failureRateThreshold.getAsDouble() : null);
    m.put("slowCallRate", slowCallRate.isPresent() ? slowCallRate.getAsDouble() : null);
    m.put("trafficShare", trafficShare);
    return Collections.unmodifiableMap(m);
  }

  /** Whole seconds as a Long, otherwise a Double with nanosecond precision. */
  static Number seconds(Duration d) {
    if (d.getNano() == 0) {
      return d.getSeconds();
    }
    return d.getSeconds() + d.getNano() / 1e9;
  }
}
