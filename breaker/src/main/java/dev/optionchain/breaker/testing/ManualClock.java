package dev.optionchain.breaker.testing;

import dev.optionchain.breaker.BreakerClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link BreakerClock} that moves only when told to, so tests can walk a breaker through its states without
 * sleeping.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * CircuitBreaker breaker = CircuitBreaker.of("test", CircuitBreakerConfig.builder()
 *     .failureThreshold(2).recoveryTimeout(Duration.ofSeconds(30)).clock(clock).build());
 * // ... two failures: OPEN
 * clock.advance(Duration.ofSeconds(30));
 * assert breaker.isHalfOpen();
 * }</pre>
 *
 * <p>{@link #now()} and {@link #nanoTime()} advance together. {@link #nanoTime()} starts at the origin given to the
 * constructor (default 0), so overflow handling can be tested by starting near {@link Long#MAX_VALUE}. Thread-safe.
 */
public final class ManualClock implements BreakerClock {

  /** The default start: 2026-01-01T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final Instant start;
  private final long nanoOrigin;
  private final AtomicLong elapsed = new AtomicLong();

  /** Creates a clock at {@link #DEFAULT_START}. */
  public ManualClock() {
    this(DEFAULT_START);
  }

  /**
   * Creates a clock at {@code start}.
   *
   * @param start the initial wall-clock instant
   */
  public ManualClock(Instant start) {
    this(start, 0L);
  }

  /**
   * Creates a clock at {@code start} whose {@link #nanoTime()} starts at {@code nanoOrigin}.
   *
   * @param start the initial wall-clock instant
   * @param nanoOrigin the initial monotonic reading, any value
   */
  public ManualClock(Instant start, long nanoOrigin) {
    this.start = Objects.requireNonNull(start, "start");
    this.nanoOrigin = nanoOrigin;
  }

  /**
   * Moves the clock forward.
   *
   * @param amount zero or positive
   * @return this clock
   * @throws IllegalArgumentException if {@code amount} is negative: a monotonic clock does not go back
   */
  public ManualClock advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    if (amount.isNegative()) {
      throw new IllegalArgumentException("amount must not be negative, was " + amount);
    }
    elapsed.addAndGet(amount.toNanos());
    return this;
  }

  /**
   * Moves the clock forward by milliseconds.
   *
   * @param millis zero or positive
   * @return this clock
   */
  public ManualClock advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  @Override
  public long nanoTime() {
    return nanoOrigin + elapsed.get();
  }

  @Override
  public Instant now() {
    return start.plusNanos(elapsed.get());
  }

  @Override
  public String toString() {
    return "ManualClock[" + now() + "]";
  }
}
