package dev.optionchain.breaker;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
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
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code failureThreshold}</td><td>5</td><td>consecutive failures that trip CLOSED to OPEN</td></tr>
 *   <tr><td>{@code recoveryTimeout}</td><td>60 s</td><td>time OPEN before HALF_OPEN</td></tr>
 *   <tr><td>{@code clock}</td><td>{@link BreakerClock#system()}</td><td>time source</td></tr>
 *   <tr><td>{@code failureRateThreshold}</td><td>none</td><td>percent; when set, the breaker trips on the failure
 *       rate over {@code slidingWindow} instead of on consecutive failures</td></tr>
 *   <tr><td>{@code slidingWindow}</td><td>last 100 calls</td><td>window of the rate modes</td></tr>
 *   <tr><td>{@code minimumCalls}</td><td>10</td><td>calls the window must hold before a rate is acted on</td></tr>
 *   <tr><td>{@code slowCallDuration}</td><td>none</td><td>calls taking at least this long are slow</td></tr>
 *   <tr><td>{@code slowCallRateThreshold}</td><td>none</td><td>percent of slow calls that trips (rate mode); when
 *       unset, a slow call counts as a failure</td></tr>
 *   <tr><td>{@code trialCalls}</td><td>1</td><td>trial calls admitted at once in HALF_OPEN</td></tr>
 *   <tr><td>{@code successesToClose}</td><td>1</td><td>successful trials needed to close</td></tr>
 *   <tr><td>{@code recoveryBackoff}</td><td>1.0, none</td><td>growth of the open time after each failed recovery,
 *       and its cap</td></tr>
 *   <tr><td>{@code recordExceptions}</td><td>all</td><td>exceptions that count as failures (others as
 *       successes)</td></tr>
 *   <tr><td>{@code ignoreExceptions}</td><td>none</td><td>exceptions that count as neither</td></tr>
 *   <tr><td>{@code recordResults}</td><td>none</td><td>returned values that count as failures</td></tr>
 *   <tr><td>{@code rampUp}</td><td>off</td><td>after closing, admit a share of traffic growing from 10% to 100% over
 *       this period</td></tr>
 * </table>
 *
 * <p>Instances are immutable and thread-safe. Invalid values are rejected by the builder with an
 * {@link IllegalArgumentException} naming the parameter and the value.
 */
public final class CircuitBreakerConfig {

  private static final CircuitBreakerConfig DEFAULTS = builder().build();

  private final int failureThreshold;
  private final Duration recoveryTimeout;
  private final BreakerClock clock;
  private final double failureRateThreshold;
  private final SlidingWindow slidingWindow;
  private final int minimumCalls;
  private final Duration slowCallDuration;
  private final double slowCallRateThreshold;
  private final int trialCalls;
  private final int successesToClose;
  private final double backoffMultiplier;
  /** The explicit backoff cap, or null for "the recovery timeout". */
  private final Duration maxRecoveryTimeout;
  private final Predicate<? super Throwable> recordExceptions;
  private final Predicate<? super Throwable> ignoreExceptions;
  private final Predicate<Object> recordResults;
  private final Duration rampUp;

  private CircuitBreakerConfig(Builder b) {
    this.failureThreshold = b.failureThreshold;
    this.recoveryTimeout = b.recoveryTimeout;
    this.clock = b.clock;
    this.failureRateThreshold = b.failureRateThreshold;
    this.slidingWindow = b.slidingWindow;
    this.minimumCalls = b.minimumCalls;
    this.slowCallDuration = b.slowCallDuration;
    this.slowCallRateThreshold = b.slowCallRateThreshold;
    this.trialCalls = b.trialCalls;
    this.successesToClose = b.successesToClose;
    this.backoffMultiplier = b.backoffMultiplier;
    this.maxRecoveryTimeout = b.maxRecoveryTimeout;
    this.recordExceptions = b.recordExceptions;
    this.ignoreExceptions = b.ignoreExceptions;
    this.recordResults = b.recordResults;
    this.rampUp = b.rampUp;
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
    return new Builder();
  }

  /**
   * Returns a builder holding this configuration's values, to derive a variant.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Returns the number of consecutive failures that trips a CLOSED breaker (consecutive mode). Default 5.
   *
   * @return the threshold, at least 1
   */
  public int failureThreshold() {
    return failureThreshold;
  }

  /**
   * Returns how long a breaker stays OPEN before admitting a trial call. Default 60 s.
   *
   * @return a positive duration
   */
  public Duration recoveryTimeout() {
    return recoveryTimeout;
  }

  /**
   * Returns the time source. Default {@link BreakerClock#system()}.
   *
   * @return the clock
   */
  public BreakerClock clock() {
    return clock;
  }

  /**
   * Returns the failure rate, in percent, at or above which the breaker trips, if rate mode is on.
   *
   * @return the threshold in (0, 100], or empty in consecutive mode (the default)
   */
  public OptionalDouble failureRateThreshold() {
    return failureRateThreshold > 0 ? OptionalDouble.of(failureRateThreshold) : OptionalDouble.empty();
  }

  /**
   * Returns whether the breaker trips on a failure rate rather than on consecutive failures.
   *
   * @return {@code true} in rate mode
   */
  public boolean isRateBased() {
    return failureRateThreshold > 0;
  }

  /**
   * Returns the window of the rate modes. Default: the last 100 calls.
   *
   * @return the window
   */
  public SlidingWindow slidingWindow() {
    return slidingWindow;
  }

  /**
   * Returns how many calls the window must hold before its rates are acted on. Default 10. For a count window larger
   * than its size, the window's size is used.
   *
   * @return at least 1
   */
  public int minimumCalls() {
    return minimumCalls;
  }

  /**
   * Returns the duration at or above which a call is slow, if slow-call detection is on.
   *
   * @return the duration, or empty (the default)
   */
  public Optional<Duration> slowCallDuration() {
    return Optional.ofNullable(slowCallDuration);
  }

  /**
   * Returns the slow-call rate, in percent, at or above which a rate-mode breaker trips. When empty (the default) and
   * slow-call detection is on, a slow call counts as a failure.
   *
   * @return the threshold in (0, 100], or empty
   */
  public OptionalDouble slowCallRateThreshold() {
    return slowCallRateThreshold > 0 ? OptionalDouble.of(slowCallRateThreshold) : OptionalDouble.empty();
  }

  /**
   * Returns how many trial calls HALF_OPEN admits at once. Default 1.
   *
   * @return at least 1
   */
  public int trialCalls() {
    return trialCalls;
  }

  /**
   * Returns how many successful trial calls close a HALF_OPEN breaker. Default 1. Any failed trial re-opens it.
   *
   * @return at least 1
   */
  public int successesToClose() {
    return successesToClose;
  }

  /**
   * Returns the factor by which the open time grows after each failed recovery. Default 1.0 (no growth).
   *
   * @return at least 1.0
   */
  public double backoffMultiplier() {
    return backoffMultiplier;
  }

  /**
   * Returns the cap of the open time under {@link #backoffMultiplier()}. Default: the recovery timeout.
   *
   * @return a duration at least the recovery timeout
   */
  public Duration maxRecoveryTimeout() {
    return maxRecoveryTimeout == null ? recoveryTimeout : maxRecoveryTimeout;
  }

  /**
   * Returns the predicate selecting exceptions that count as failures; others count as successes. Default: all.
   *
   * @return the predicate
   */
  public Predicate<? super Throwable> recordExceptions() {
    return recordExceptions;
  }

  /**
   * Returns the predicate selecting exceptions that count neither as success nor failure. Default: none. It is
   * consulted before {@link #recordExceptions()}.
   *
   * @return the predicate
   */
  public Predicate<? super Throwable> ignoreExceptions() {
    return ignoreExceptions;
  }

  /**
   * Returns the predicate selecting returned values that count as failures (the value is still returned to the
   * caller). Default: none.
   *
   * @return the predicate
   */
  public Predicate<Object> recordResults() {
    return recordResults;
  }

  /**
   * Returns the ramp-up period after closing, or {@link Duration#ZERO} when traffic is admitted in full at once (the
   * default).
   *
   * @return a non-negative duration
   */
  public Duration rampUp() {
    return rampUp;
  }

  boolean hasResultPredicate() {
    return recordResults != Builder.NONE;
  }

  boolean hasExceptionPredicates() {
    return recordExceptions != Builder.ALL || ignoreExceptions != Builder.NONE;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("CircuitBreakerConfig{");
    if (isRateBased()) {
      sb.append("failureRateThreshold=").append(failureRateThreshold).append("%, slidingWindow=")
          .append(slidingWindow).append(", minimumCalls=").append(minimumCalls);
    } else {
      sb.append("failureThreshold=").append(failureThreshold);
    }
    sb.append(", recoveryTimeout=").append(recoveryTimeout);
    if (slowCallDuration != null) {
      sb.append(", slowCallDuration=").append(slowCallDuration);
      if (slowCallRateThreshold > 0) {
        sb.append(", slowCallRateThreshold=").append(slowCallRateThreshold).append('%');
      }
    }
    if (trialCalls != 1 || successesToClose != 1) {
      sb.append(", trialCalls=").append(trialCalls).append(", successesToClose=").append(successesToClose);
    }
    if (backoffMultiplier != 1.0) {
      sb.append(", recoveryBackoff=x").append(backoffMultiplier).append(" up to ").append(maxRecoveryTimeout());
    }
    if (!rampUp.isZero()) {
      sb.append(", rampUp=").append(rampUp);
    }
    return sb.append(", clock=").append(clock).append('}').toString();
  }

  /**
   * Builds a {@link CircuitBreakerConfig}. Each setter validates its argument at once; {@link #build()} checks the
   * combinations. Not thread-safe; build once, share the result.
   */
  public static final class Builder {
    static final Predicate<Object> ALL = t -> true;
    static final Predicate<Object> NONE = t -> false;

    private int failureThreshold = 5;
    private Duration recoveryTimeout = Duration.ofSeconds(60);
    private BreakerClock clock = BreakerClock.system();
    private double failureRateThreshold;
    private SlidingWindow slidingWindow = SlidingWindow.ofCalls(100);
    private int minimumCalls = 10;
    private Duration slowCallDuration;
    private double slowCallRateThreshold;
    private int trialCalls = 1;
    private int successesToClose = 1;
    private double backoffMultiplier = 1.0;
    private Duration maxRecoveryTimeout;
    private Predicate<? super Throwable> recordExceptions = ALL;
    private Predicate<? super Throwable> ignoreExceptions = NONE;
    private Predicate<Object> recordResults = NONE;
    private Duration rampUp = Duration.ZERO;

    private Builder() {}

    private Builder(CircuitBreakerConfig c) {
      failureThreshold = c.failureThreshold;
      recoveryTimeout = c.recoveryTimeout;
      clock = c.clock;
      failureRateThreshold = c.failureRateThreshold;
      slidingWindow = c.slidingWindow;
      minimumCalls = c.minimumCalls;
      slowCallDuration = c.slowCallDuration;
      slowCallRateThreshold = c.slowCallRateThreshold;
      trialCalls = c.trialCalls;
      successesToClose = c.successesToClose;
      backoffMultiplier = c.backoffMultiplier;
      maxRecoveryTimeout = c.maxRecoveryTimeout;
      recordExceptions = c.recordExceptions;
      ignoreExceptions = c.ignoreExceptions;
      recordResults = c.recordResults;
      rampUp = c.rampUp;
    }

    /**
     * Sets the consecutive failures that trip a CLOSED breaker. Default 5.
     *
     * @param failureThreshold at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code failureThreshold < 1}
     */
    public Builder failureThreshold(int failureThreshold) {
      if (failureThreshold < 1) {
        throw new IllegalArgumentException("failureThreshold must be >= 1, was " + failureThreshold);
      }
      this.failureThreshold = failureThreshold;
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
      this.recoveryTimeout = positive("recoveryTimeout", recoveryTimeout);
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
      if (clock == null) {
        throw new IllegalArgumentException("clock must not be null, was null");
      }
      this.clock = clock;
      return this;
    }

    /**
     * Switches to rate mode: the breaker trips when the failure rate over {@link #slidingWindow} is at or above
     * {@code percent}, once the window holds {@link #minimumCalls} calls.
     *
     * @param percent in (0, 100]
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder failureRateThreshold(double percent) {
      this.failureRateThreshold = percent("failureRateThreshold", percent);
      return this;
    }

    /**
     * Sets the window of the rate modes. Default {@code SlidingWindow.ofCalls(100)}.
     *
     * @param window not null
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public Builder slidingWindow(SlidingWindow window) {
      if (window == null) {
        throw new IllegalArgumentException("slidingWindow must not be null, was null");
      }
      this.slidingWindow = window;
      return this;
    }

    /**
     * Sets how many calls the window must hold before its rates are acted on. Default 10.
     *
     * @param minimumCalls at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code minimumCalls < 1}
     */
    public Builder minimumCalls(int minimumCalls) {
      if (minimumCalls < 1) {
        throw new IllegalArgumentException("minimumCalls must be >= 1, was " + minimumCalls);
      }
      this.minimumCalls = minimumCalls;
      return this;
    }

    /**
     * Turns on slow-call detection: a call taking at least {@code duration} is slow. Slow calls count as failures
     * unless {@link #slowCallRateThreshold} is set. Measuring a call costs two reads of the precise clock.
     *
     * @param duration positive
     * @return this builder
     * @throws IllegalArgumentException if null, zero or negative
     */
    public Builder slowCallDuration(Duration duration) {
      this.slowCallDuration = positive("slowCallDuration", duration);
      return this;
    }

    /**
     * In rate mode, trips the breaker when the share of slow calls in the window is at or above {@code percent};
     * slow calls then no longer count as failures. Requires {@link #slowCallDuration} and
     * {@link #failureRateThreshold}.
     *
     * @param percent in (0, 100]
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder slowCallRateThreshold(double percent) {
      this.slowCallRateThreshold = percent("slowCallRateThreshold", percent);
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
      if (trialCalls < 1) {
        throw new IllegalArgumentException("trialCalls must be >= 1, was " + trialCalls);
      }
      this.trialCalls = trialCalls;
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
      if (successesToClose < 1) {
        throw new IllegalArgumentException("successesToClose must be >= 1, was " + successesToClose);
      }
      this.successesToClose = successesToClose;
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
      this.maxRecoveryTimeout = positive("maxRecoveryTimeout", max);
      this.backoffMultiplier = multiplier;
      return this;
    }

    /**
     * Selects the exceptions that count as failures; other exceptions count as successes. Default: all.
     *
     * @param predicate not null
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public Builder recordExceptions(Predicate<? super Throwable> predicate) {
      this.recordExceptions = nonNull("recordExceptions", predicate);
      return this;
    }

    /**
     * Selects exceptions that count neither as success nor as failure (e.g. a caller's own validation errors).
     * Default: none.
     *
     * @param predicate not null
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public Builder ignoreExceptions(Predicate<? super Throwable> predicate) {
      this.ignoreExceptions = nonNull("ignoreExceptions", predicate);
      return this;
    }

    /**
     * Selects returned values that count as failures, e.g. an HTTP response with status 503. The value is still
     * returned to the caller. Default: none.
     *
     * @param predicate not null; receives the value, possibly {@code null}
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public Builder recordResults(Predicate<Object> predicate) {
      this.recordResults = nonNull("recordResults", predicate);
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
      this.rampUp = period != null && period.isZero() ? period : positive("rampUp", period);
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return an immutable configuration
     * @throws IllegalArgumentException if options contradict each other
     */
    public CircuitBreakerConfig build() {
      if (maxRecoveryTimeout != null && maxRecoveryTimeout.compareTo(recoveryTimeout) < 0) {
        throw new IllegalArgumentException("maxRecoveryTimeout must be >= recoveryTimeout (" + recoveryTimeout
            + "), was " + maxRecoveryTimeout);
      }
      if (slowCallRateThreshold > 0 && slowCallDuration == null) {
        throw new IllegalArgumentException(
            "slowCallRateThreshold (" + slowCallRateThreshold + ") requires slowCallDuration, which is unset");
      }
      if (slowCallRateThreshold > 0 && failureRateThreshold == 0) {
        throw new IllegalArgumentException("slowCallRateThreshold (" + slowCallRateThreshold
            + ") requires rate mode: set failureRateThreshold");
      }
      return new CircuitBreakerConfig(this);
    }

    private static Duration positive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      try {
        d.toNanos();
      } catch (ArithmeticException tooLong) {
        throw new IllegalArgumentException(name + " must fit in 292 years of nanoseconds, was " + d);
      }
      return d;
    }

    private static double percent(String name, double percent) {
      if (!(percent > 0.0 && percent <= 100.0)) {
        throw new IllegalArgumentException(name + " must be in (0, 100], was " + percent);
      }
      return percent;
    }

    private static <T> T nonNull(String name, T value) {
      if (value == null) {
        throw new IllegalArgumentException(name + " must not be null, was null");
      }
      return value;
    }
  }
}
