package dev.optionchain.breaker;

import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The immutable settings of a {@link CircuitBreaker}, built once and shared by any number of breakers.
 *
 * <p>The defaults reproduce the classic breaker: trip after 5 consecutive failures, stay open 60 seconds, then admit
 * one trial call whose success closes the breaker. Everything else is opt-in:
 *
 * <pre>{@code
 * CircuitBreakerConfig cfg = CircuitBreakerConfig.builder()
 *     .failureThreshold(3)                        // consecutive failures that trip (default 5)
 *     .recoveryTimeout(Duration.ofSeconds(90))    // time spent OPEN before a trial call (default 60 s)
 *     .build();
 * }</pre>
 *
 * <p>Options: the {@link TripPolicy} (consecutive failures, or a failure rate over a count or time window),
 * {@code recoveryTimeout}, {@code clock}, slow calls, trials and their maximum duration, recovery backoff, the
 * exception, result and cancellation rules, ramp-up and a trial gate. Each accessor states its default; the table is in
 * {@code docs/circuit-breaker.md}.
 *
 * <p>Instances are immutable and thread-safe. Invalid values are rejected by the builder with an
 * {@link IllegalArgumentException} naming the parameter and the value.
 */
public final class CircuitBreakerConfig {

  private static final CircuitBreakerConfig DEFAULTS = builder().build();

  /** A frozen copy of the builder's settings; never written after construction. */
  private final Settings s;

  private CircuitBreakerConfig(Settings s) {
    this.s = s;
  }

  /**
   * Returns the default configuration: 5 consecutive failures, 60 s recovery timeout, system clock.
   *
   * @return the shared default configuration
   */
  public static CircuitBreakerConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a builder holding the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder(new Settings());
  }

  /**
   * Returns a builder holding this configuration's values, to derive a variant.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder(s.copy());
  }

  /** {@return when a CLOSED breaker trips; default {@code TripPolicy.consecutiveFailures(5)}} */
  public TripPolicy tripPolicy() {
    return s.tripPolicy;
  }

  /** {@return the consecutive failures that trip a CLOSED breaker; 0 when the trip policy is a failure rate} */
  public int failureThreshold() {
    return s.tripPolicy instanceof TripPolicy.ConsecutiveFailures
        ? ((TripPolicy.ConsecutiveFailures) s.tripPolicy).threshold() : 0;
  }

  /** {@return how long a breaker stays OPEN before admitting a trial call; default 60 s} */
  public Duration recoveryTimeout() {
    return s.recoveryTimeout;
  }

  /** {@return the time source; default {@link BreakerClock#system()}} */
  public BreakerClock clock() {
    return s.clock;
  }

  /** {@return the duration at or above which a call is slow, if slow-call detection is on; default empty} */
  public Optional<Duration> slowCallDuration() {
    return Optional.ofNullable(s.slowCallDuration);
  }

  /** {@return how many trial calls HALF_OPEN admits at once; default 1} */
  public int trialCalls() {
    return s.trialCalls;
  }

  /** {@return how many successful trial calls close a HALF_OPEN breaker; default 1 (any failed trial re-opens it)} */
  public int successesToClose() {
    return s.successesToClose;
  }

  /**
   * {@return how long trials may run without a pause before the running ones count as failed and the breaker re-opens;
   *     default 60 s}
   */
  public Duration halfOpenMaxDuration() {
    return s.halfOpenMaxDuration;
  }

  /** {@return the factor by which the open time grows after each failed recovery; default 1.0 (no growth)} */
  public double backoffMultiplier() {
    return s.backoffMultiplier;
  }

  /**
   * {@return the cap of the open time under the backoff, at least the recovery timeout; default the recovery
   *     timeout}
   */
  public Duration maxRecoveryTimeout() {
    return s.maxRecoveryTimeout == null ? s.recoveryTimeout : s.maxRecoveryTimeout;
  }

  /** {@return the predicate selecting exceptions that count as failures (others as successes); default all} */
  public Predicate<? super Throwable> recordExceptions() {
    return s.recordExceptions;
  }

  /** {@return the predicate selecting exceptions that count neither way, consulted first; default none} */
  public Predicate<? super Throwable> ignoreExceptions() {
    return s.ignoreExceptions;
  }

  /**
   * {@return the predicate selecting returned values that count as failures: true for a value of the type given to
   *     {@link Builder#recordResult} that its predicate selects, false for any other value ({@code null} included);
   *     default false for every value}
   */
  public Predicate<Object> recordResult() {
    return s.recordResult;
  }

  /** {@return how a cancelled call counts; default {@link CancellationPolicy#IGNORE}} */
  public CancellationPolicy cancellationPolicy() {
    return s.cancellationPolicy;
  }

  /** {@return the ramp-up period after closing; default {@link Duration#ZERO}: full traffic at once} */
  public Duration rampUp() {
    return s.rampUp;
  }

  /** {@return the gate consulted before a trial starts; default empty} */
  public Optional<TrialGate> trialGate() {
    return Optional.ofNullable(s.trialGate);
  }

  boolean hasResultPredicate() {
    return s.recordResult != Settings.NONE;
  }

  boolean hasExceptionPredicates() {
    return s.recordExceptions != Settings.ALL || s.ignoreExceptions != Settings.NONE;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("CircuitBreakerConfig{").append(s.tripPolicy)
        .append(", recoveryTimeout=").append(s.recoveryTimeout);
    if (s.slowCallDuration != null) {
      sb.append(", slowCallDuration=").append(s.slowCallDuration);
    }
    if (s.trialCalls != 1 || s.successesToClose != 1) {
      sb.append(", trialCalls=").append(s.trialCalls).append(", successesToClose=").append(s.successesToClose);
    }
    sb.append(", halfOpenMaxDuration=").append(s.halfOpenMaxDuration);
    if (s.backoffMultiplier != 1.0 || s.maxRecoveryTimeout != null) {
      sb.append(", recoveryBackoff=x").append(s.backoffMultiplier).append(" up to ").append(maxRecoveryTimeout());
    }
    if (!s.rampUp.isZero()) {
      sb.append(", rampUp=").append(s.rampUp);
    }
    if (s.cancellationPolicy != CancellationPolicy.IGNORE) {
      sb.append(", cancellationPolicy=").append(s.cancellationPolicy);
    }
    if (s.trialGate != null) {
      sb.append(", trialGate=").append(s.trialGate);
    }
    return sb.append(", clock=").append(s.clock).append('}').toString();
  }

  /**
   * Builds a {@link CircuitBreakerConfig}. Each setter validates its argument at once; {@link #build()} checks the
   * combinations. Not thread-safe; build once, share the result.
   */
  public static final class Builder {
    private final Settings s;

    private Builder(Settings s) {
      this.s = s;
    }

    /**
     * Trips a CLOSED breaker after {@code failureThreshold} consecutive failures: a shorthand for
     * {@code tripPolicy(TripPolicy.consecutiveFailures(failureThreshold))}. Default 5.
     *
     * @param failureThreshold at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code failureThreshold < 1}
     */
    public Builder failureThreshold(int failureThreshold) {
      return tripPolicy(TripPolicy.consecutiveFailures(failureThreshold));
    }

    /**
     * Sets when a CLOSED breaker trips, replacing any earlier choice (including {@link #failureThreshold}).
     *
     * @param policy not null
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public Builder tripPolicy(TripPolicy policy) {
      s.tripPolicy = Settings.nonNull("tripPolicy", policy);
      return this;
    }

    /**
     * Sets how long the breaker stays OPEN before admitting a trial call. Default 60 s.
     *
     * @param recoveryTimeout positive
     * @return this builder
     * @throws IllegalArgumentException if null, zero or negative
     */
    public Builder recoveryTimeout(Duration recoveryTimeout) {
      s.recoveryTimeout = Settings.positive("recoveryTimeout", recoveryTimeout);
      return this;
    }

    /**
     * Sets the time source. Default {@link BreakerClock#system()}.
     *
     * @param clock not null
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public Builder clock(BreakerClock clock) {
      s.clock = Settings.nonNull("clock", clock);
      return this;
    }

    /**
     * Turns on slow-call detection: a call taking at least {@code duration} is slow. Slow calls count as failures
     * unless the failure-rate policy has a slow-call threshold. Measuring a call costs two reads of the precise clock.
     * Ignored calls are never slow.
     *
     * @param duration positive
     * @return this builder
     * @throws IllegalArgumentException if null, zero or negative
     */
    public Builder slowCallDuration(Duration duration) {
      s.slowCallDuration = Settings.positive("slowCallDuration", duration);
      return this;
    }

    /**
     * Sets how many trial calls HALF_OPEN admits at once. Default 1.
     *
     * @param trialCalls at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code trialCalls < 1}
     */
    public Builder trialCalls(int trialCalls) {
      s.trialCalls = Settings.atLeastOne("trialCalls", trialCalls);
      return this;
    }

    /**
     * Sets how many successful trial calls close a HALF_OPEN breaker. Default 1.
     *
     * @param successesToClose at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code successesToClose < 1}
     */
    public Builder successesToClose(int successesToClose) {
      s.successesToClose = Settings.atLeastOne("successesToClose", successesToClose);
      return this;
    }

    /**
     * Sets how long HALF_OPEN may last with a trial still running; then the trial counts as failed. Default 60 s.
     * Evaluated without a thread: by the next call, outcome or status read after that time.
     *
     * @param max positive
     * @return this builder
     * @throws IllegalArgumentException if null, zero or negative
     */
    public Builder halfOpenMaxDuration(Duration max) {
      s.halfOpenMaxDuration = Settings.positive("halfOpenMaxDuration", max);
      return this;
    }

    /**
     * Makes the open time grow after each failed recovery: the n-th consecutive re-opening stays open
     * {@code recoveryTimeout * multiplier^n}, at most {@code max}. A successful recovery resets the growth.
     *
     * @param multiplier at least 1.0, finite
     * @param max the cap, positive; {@link #build()} checks it is at least the recovery timeout
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder recoveryBackoff(double multiplier, Duration max) {
      if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException("recoveryBackoff multiplier must be finite and >= 1.0, was " + multiplier);
      }
      s.maxRecoveryTimeout = Settings.positive("maxRecoveryTimeout", max);
      s.backoffMultiplier = multiplier;
      return this;
    }

    /**
     * Selects the exceptions that count as failures; other exceptions count as successes. Default: all.
     *
     * @param predicate not null; a predicate that throws is logged and taken as true (a failure)
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public Builder recordExceptions(Predicate<? super Throwable> predicate) {
      s.recordExceptions = Settings.nonNull("recordExceptions", predicate);
      return this;
    }

    /**
     * Selects exceptions that count neither as success nor as failure (e.g. a caller's own validation errors).
     * Default: none.
     *
     * @param predicate not null; a predicate that throws is logged and taken as false (not ignored)
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public Builder ignoreExceptions(Predicate<? super Throwable> predicate) {
      s.ignoreExceptions = Settings.nonNull("ignoreExceptions", predicate);
      return this;
    }

    /**
     * Selects returned values that count as failures, e.g. {@code recordResult(HttpResponse.class, r ->
     * r.statusCode() >= 500)}. Only values of {@code type} are tested; others (and {@code null}) are successes. The
     * value is still returned to the caller. Replaces an earlier result predicate. Default: none.
     *
     * @param type the type of the values to test; a primitive type stands for its wrapper ({@code int.class} tests
     *     {@code Integer} values)
     * @param predicate not null; a predicate that throws is logged and taken as true
     * @param <T> the type
     * @return this builder
     * @throws IllegalArgumentException if an argument is null, or {@code type} is {@code void.class}
     */
    public <T> Builder recordResult(Class<T> type, Predicate<? super T> predicate) {
      Settings.nonNull("recordResult type", type);
      Settings.nonNull("recordResult predicate", predicate);
      if (type == void.class) {
        throw new IllegalArgumentException("recordResult type must be the type of a value, was void");
      }
      // int.class compiles as a Class<Integer>, but no value is an instance of it: test the boxed values
      @SuppressWarnings("unchecked")
      Class<T> boxed = (Class<T>) MethodType.methodType(type).wrap().returnType();
      s.recordResult = value -> boxed.isInstance(value) && predicate.test(boxed.cast(value));
      return this;
    }

    /**
     * Sets how a cancelled call counts. Default {@link CancellationPolicy#IGNORE}.
     *
     * @param policy not null
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public Builder cancellationPolicy(CancellationPolicy policy) {
      s.cancellationPolicy = Settings.nonNull("cancellationPolicy", policy);
      return this;
    }

    /**
     * Turns on gradual recovery: after a HALF_OPEN breaker closes, it admits a share of calls growing linearly from
     * 10% to 100% over {@code period} and rejects the rest; failures during the ramp count as usual and re-open the
     * breaker (with {@link #recoveryBackoff} growth). {@link Duration#ZERO} turns it off (the default).
     *
     * @param period zero or positive
     * @return this builder
     * @throws IllegalArgumentException if null or negative
     */
    public Builder rampUp(Duration period) {
      s.rampUp = period != null && period.isZero() ? period : Settings.positive("rampUp", period);
      return this;
    }

    /**
     * Sets a gate consulted before a trial starts (see {@link TrialGate}). Default: none.
     *
     * @param gate not null
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public Builder trialGate(TrialGate gate) {
      s.trialGate = Settings.nonNull("trialGate", gate);
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return an immutable configuration
     * @throws IllegalArgumentException if options contradict each other
     */
    public CircuitBreakerConfig build() {
      if (s.maxRecoveryTimeout != null && s.maxRecoveryTimeout.compareTo(s.recoveryTimeout) < 0) {
        throw new IllegalArgumentException("maxRecoveryTimeout must be >= recoveryTimeout (" + s.recoveryTimeout
            + "), was " + s.maxRecoveryTimeout);
      }
      if (s.tripPolicy instanceof TripPolicy.FailureRate && s.slowCallDuration == null) {
        TripPolicy.FailureRate rate = (TripPolicy.FailureRate) s.tripPolicy;
        if (rate.slowCallRateThreshold().isPresent()) {
          throw new IllegalArgumentException("slowCallRateThreshold (" + rate.slowCallRateThreshold().getAsDouble()
              + ") requires slowCallDuration, which is unset");
        }
      }
      return new CircuitBreakerConfig(s.copy());
    }
  }
}
