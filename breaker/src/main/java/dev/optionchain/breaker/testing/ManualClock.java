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
   * @throws IllegalArgumentException if {@code amount} is negative (a monotonic clock does not go back), or if the
   *     clock would pass {@link Long#MAX_VALUE} nanoseconds (292 years) after its start or {@link Instant#MAX}: a
   *     clock that wrapped around would go back
   */
  public ManualClock advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    if (amount.isNegative()) {
      throw new IllegalArgumentException("amount must not be negative, was " + amount);
    }
    long nanos;
    try {
      nanos = amount.toNanos();
    } catch (ArithmeticException overflow) {
      throw new IllegalArgumentException("amount must fit in 292 years of nanoseconds, was " + amount);
    }
    for (;;) {
      long current = elapsed.get();
      long next = current + nanos;
      if (next < current) {
        throw new IllegalArgumentException("advancing by " + amount + " would move the clock more than "
            + "Long.MAX_VALUE ns past its start; it is already " + Duration.ofNanos(current) + " past it");
      }
      if (Duration.between(start, Instant.MAX).compareTo(Duration.ofNanos(next)) < 0) {
        throw new IllegalArgumentException("advancing by " + amount + " would move the clock past Instant.MAX");
      }
      if (elapsed.compareAndSet(current, next)) {
        return this;
      }
    }
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
