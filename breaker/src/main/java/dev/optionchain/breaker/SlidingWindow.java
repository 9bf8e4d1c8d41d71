package dev.optionchain.breaker;

import java.time.Duration;

/**
 * The window over which a rate-based breaker measures its failure rate: the last N calls, or the calls of the last
 * T seconds. Immutable.
 *
 * <p>Create one with {@link #ofCalls(int)}, {@link #ofTime(Duration)} or {@link #ofTime(Duration, int)} and pass it to
 * {@link TripPolicy#failureRate(double, SlidingWindow, int)}.
 */
public sealed interface SlidingWindow permits SlidingWindow.Calls, SlidingWindow.Time {

  /** The largest count-based window: {@value}. */
  int MAX_CALLS = 100_000;

  /** The longest time-based window: one day. */
  Duration MAX_LENGTH = Duration.ofDays(1);

  /** The most buckets a time-based window may have: {@value}. */
  int MAX_BUCKETS = 1_000;

  /**
   * A window of the last {@code size} calls.
   *
   * @param size the number of calls, 1 to {@value #MAX_CALLS}
   * @return the window
   * @throws IllegalArgumentException if {@code size} is out of range
   */
  static SlidingWindow ofCalls(int size) {
    return new Calls(size);
  }

  /**
   * A window of the calls of the last {@code length}, in 10 buckets.
   *
   * @param length the window's length, at least 10 ms
   * @return the window
   * @throws IllegalArgumentException if {@code length} is null or too short
   */
  static SlidingWindow ofTime(Duration length) {
    return new Time(length, 10);
  }

  /**
   * A window of the calls of the last {@code length}, measured in {@code buckets} equal buckets. The window slides
   * one bucket at a time, so it covers between {@code length - length/buckets} and {@code length} of history.
   *
   * @param length the window's length, at most a day; each bucket must be at least 1 ms long
   * @param buckets the number of buckets, 1 to {@value #MAX_BUCKETS}
   * @return the window
   * @throws IllegalArgumentException if an argument is out of range
   */
  static SlidingWindow ofTime(Duration length, int buckets) {
    return new Time(length, buckets);
  }

  /**
   * A count-based window: the last {@code size} calls.
   *
   * @param size the number of calls
   */
  record Calls(int size) implements SlidingWindow {
    /**
     * Validates the size.
     *
     * @param size the number of calls, 1 to {@value #MAX_CALLS}
     * @throws IllegalArgumentException if out of range
     */
    public Calls {
      if (size < 1 || size > MAX_CALLS) {
        throw new IllegalArgumentException("slidingWindow size must be in [1, " + MAX_CALLS + "], was " + size);
      }
    }

    @Override
    public String toString() {
      return "last " + size + " calls";
    }
  }

  /**
   * A time-based window: the calls of the last {@code length}, in {@code buckets} buckets.
   *
   * @param length the window's length
   * @param buckets the number of buckets
   */
  record Time(Duration length, int buckets) implements SlidingWindow {
    /**
     * Validates the length and buckets.
     *
     * @param length the window's length, at most a day; each bucket at least 1 ms long
     * @param buckets the number of buckets, 1 to {@value #MAX_BUCKETS}
     * @throws IllegalArgumentException if out of range
     */
    public Time {
      if (length == null) {
        throw new IllegalArgumentException("slidingWindow length must not be null, was null");
      }
      if (buckets < 1 || buckets > MAX_BUCKETS) {
        throw new IllegalArgumentException(
            "slidingWindow buckets must be in [1, " + MAX_BUCKETS + "], was " + buckets);
      }
      if (length.isNegative() || length.isZero() || length.compareTo(MAX_LENGTH) > 0
          || length.dividedBy(buckets).toMillis() < 1) {
        throw new IllegalArgumentException(
            "slidingWindow length must be in (0, 1 day] with buckets of at least 1 ms, was " + length
                + " in " + buckets + " buckets");
      }
    }

    /** Returns the length of one bucket in nanoseconds. */
    long bucketNanos() {
      return length.toNanos() / buckets;
    }

    @Override
    public String toString() {
      return "last " + length + " in " + buckets + " buckets";
    }
  }
}
