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
 * <p>Only the library creates statuses, so fields can be added without breaking anyone: read them through the
 * accessors or {@link #toMap()}. Call counts are since the breaker's creation or its last {@link CircuitBreaker#reset()}.
 * Instants come from the breaker's clock and keep its precision. Equal statuses have equal fields.
 */
public final class CircuitBreakerStatus {

  private final String name;
  private final CircuitBreakerState state;
  private final int failureCount;
  private final int failureThreshold;
  private final Duration recoveryTimeout;
  private final Optional<Instant> lastFailureTime;
  private final Instant stateSince;
  private final Optional<Instant> retryAt;
  private final long successfulCalls;
  private final long failedCalls;
  private final long rejectedCalls;
  private final long ignoredCalls;
  private final long slowCalls;
  private final boolean forcedOpen;
  private final Duration openDuration;
  private final OptionalDouble failureRate;
  private final OptionalDouble failureRateThreshold;
  private final OptionalDouble slowCallRate;
  private final double trafficShare;
  private final int trialCallsInFlight;
  private final Optional<String> origin;

  CircuitBreakerStatus(String name, CircuitBreakerState state, int failureCount, int failureThreshold,
      Duration recoveryTimeout, Optional<Instant> lastFailureTime, Instant stateSince, Optional<Instant> retryAt,
      long[] counts, boolean forcedOpen, Duration openDuration, OptionalDouble failureRate,
      OptionalDouble failureRateThreshold, OptionalDouble slowCallRate, double trafficShare, int trialCallsInFlight,
      Optional<String> origin) {
    this.name = Objects.requireNonNull(name, "name");
    this.state = Objects.requireNonNull(state, "state");
    this.failureCount = failureCount;
    this.failureThreshold = failureThreshold;
    this.recoveryTimeout = Objects.requireNonNull(recoveryTimeout, "recoveryTimeout");
    this.lastFailureTime = Objects.requireNonNull(lastFailureTime, "lastFailureTime");
    this.stateSince = Objects.requireNonNull(stateSince, "stateSince");
    this.retryAt = Objects.requireNonNull(retryAt, "retryAt");
    this.successfulCalls = counts[Outcomes.SUCCESS];
    this.failedCalls = counts[Outcomes.FAILURE];
    this.rejectedCalls = counts[Outcomes.REJECTED];
    this.ignoredCalls = counts[Outcomes.IGNORED];
    this.slowCalls = counts[Outcomes.SLOW];
    this.forcedOpen = forcedOpen;
    this.openDuration = Objects.requireNonNull(openDuration, "openDuration");
    this.failureRate = Objects.requireNonNull(failureRate, "failureRate");
    this.failureRateThreshold = Objects.requireNonNull(failureRateThreshold, "failureRateThreshold");
    this.slowCallRate = Objects.requireNonNull(slowCallRate, "slowCallRate");
    this.trafficShare = trafficShare;
    this.trialCallsInFlight = trialCallsInFlight;
    this.origin = Objects.requireNonNull(origin, "origin");
  }

  /** {@return the breaker's name} */
  public String name() {
    return name;
  }

  /** {@return the state: HALF_OPEN from the moment the recovery timeout has elapsed, without a trial gate} */
  public CircuitBreakerState state() {
    return state;
  }

  /**
   * {@return consecutive failures: counted while CLOSED, the count that tripped the breaker (plus failed trials) while
   *     OPEN or HALF_OPEN}
   */
  public int failureCount() {
    return failureCount;
  }

  /** {@return the consecutive-failure threshold, or 0 under a failure-rate policy} */
  public int failureThreshold() {
    return failureThreshold;
  }

  /** {@return the configured recovery timeout} */
  public Duration recoveryTimeout() {
    return recoveryTimeout;
  }

  /** {@return when the last failure was recorded, if any since reset} */
  public Optional<Instant> lastFailureTime() {
    return lastFailureTime;
  }

  /** {@return when the current state was entered} */
  public Instant stateSince() {
    return stateSince;
  }

  /** {@return when OPEN (and not forced): when a trial call will be allowed} */
  public Optional<Instant> retryAt() {
    return retryAt;
  }

  /** {@return calls that succeeded} */
  public long successfulCalls() {
    return successfulCalls;
  }

  /** {@return calls that failed (exceptions, failing results and, unless tracked on their own rate, slow calls)} */
  public long failedCalls() {
    return failedCalls;
  }

  /** {@return calls rejected without being invoked} */
  public long rejectedCalls() {
    return rejectedCalls;
  }

  /** {@return calls that counted neither way: ignored exceptions and, by default, cancelled calls} */
  public long ignoredCalls() {
    return ignoredCalls;
  }

  /** {@return calls at least as slow as the configured slow-call duration (also counted as successful or failed)} */
  public long slowCalls() {
    return slowCalls;
  }

  /** {@return whether the breaker was forced open and stays so until reset} */
  public boolean forcedOpen() {
    return forcedOpen;
  }

  /** {@return how long the current OPEN period lasts, or the next one would, after recovery backoff} */
  public Duration openDuration() {
    return openDuration;
  }

  /**
   * {@return under a failure-rate policy while CLOSED: the failure rate over the window, in percent, once it holds a
   *     call}
   */
  public OptionalDouble failureRate() {
    return failureRate;
  }

  /** {@return the configured failure-rate threshold, under a failure-rate policy} */
  public OptionalDouble failureRateThreshold() {
    return failureRateThreshold;
  }

  /** {@return with a slow-call rate threshold, while CLOSED: the slow-call rate in percent} */
  public OptionalDouble slowCallRate() {
    return slowCallRate;
  }

  /** {@return the share of calls admitted: 1.0, less while ramping up after recovery} */
  public double trafficShare() {
    return trafficShare;
  }

  /** {@return while HALF_OPEN: the trial calls running now} */
  public int trialCallsInFlight() {
    return trialCallsInFlight;
  }

  /** {@return the origin of the current state when it was adopted ({@link CircuitBreaker#adoptOpen})} */
  public Optional<String> origin() {
    return origin;
  }

  /**
   * Returns the status as a map of JSON types only (String, Number, Boolean, null), in a stable key order: {@code name,
   * state, failureCount, failureThreshold, recoveryTimeoutSeconds, lastFailureTime, stateSince, retryAt,
   * successfulCalls, failedCalls, rejectedCalls, ignoredCalls, slowCalls, forcedOpen, openDurationSeconds,
   * failureRate, failureRateThreshold, slowCallRate, trafficShare}, then keys added later ({@code trialCallsInFlight,
   * origin}). States are their names; instants are ISO-8601 UTC strings; durations are seconds (an integer when
   * whole); absent values are {@code null}.
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
    m.put("trialCallsInFlight", trialCallsInFlight);
    m.put("origin", origin.orElse(null));
    return Collections.unmodifiableMap(m);
  }

  /** Whole seconds as a Long, otherwise a Double with nanosecond precision. */
  static Number seconds(Duration d) {
    if (d.getNano() == 0) {
      return d.getSeconds();
    }
    return d.getSeconds() + d.getNano() / 1e9;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof CircuitBreakerStatus)) {
      return false;
    }
    CircuitBreakerStatus s = (CircuitBreakerStatus) o;
    return Objects.equals(fields(), s.fields());
  }

  @Override
  public int hashCode() {
    return fields().hashCode();
  }

  private java.util.List<Object> fields() {
    return java.util.Arrays.asList(name, state, failureCount, failureThreshold, recoveryTimeout, lastFailureTime,
        stateSince, retryAt, successfulCalls, failedCalls, rejectedCalls, ignoredCalls, slowCalls, forcedOpen,
        openDuration, failureRate, failureRateThreshold, slowCallRate, trafficShare, trialCallsInFlight, origin);
  }

  @Override
  public String toString() {
    return "CircuitBreakerStatus" + toMap();
  }
}
