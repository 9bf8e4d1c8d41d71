package dev.optionchain.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlidingWindowTest {

  @Test
  void ofCallsAcceptsOneToMaxCalls() {
    assertThat(SlidingWindow.ofCalls(1)).isEqualTo(new SlidingWindow.Calls(1));
    assertThat(((SlidingWindow.Calls) SlidingWindow.ofCalls(SlidingWindow.MAX_CALLS)).size())
        .isEqualTo(100_000);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, SlidingWindow.MAX_CALLS + 1, Integer.MAX_VALUE})
  void ofCallsRejectsSizesOutOfRange(int size) {
    assertRejected(() -> SlidingWindow.ofCalls(size), "slidingWindow size", "was " + size);
  }

  @Test
  void ofTimeDefaultsToTenBuckets() {
    SlidingWindow window = SlidingWindow.ofTime(Duration.ofSeconds(30));

    assertThat(window).isEqualTo(new SlidingWindow.Time(Duration.ofSeconds(30), 10));
  }

  @Test
  void ofTimeAcceptsTheLimits() {
    assertThat(SlidingWindow.ofTime(SlidingWindow.MAX_LENGTH)).isInstanceOf(SlidingWindow.Time.class);
    assertThat(SlidingWindow.ofTime(Duration.ofMillis(10))).isInstanceOf(SlidingWindow.Time.class);
    assertThat(SlidingWindow.ofTime(Duration.ofSeconds(1), SlidingWindow.MAX_BUCKETS))
        .isEqualTo(new SlidingWindow.Time(Duration.ofSeconds(1), 1_000));
    assertThat(SlidingWindow.ofTime(Duration.ofMillis(1), 1)).isInstanceOf(SlidingWindow.Time.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, SlidingWindow.MAX_BUCKETS + 1})
  void ofTimeRejectsBucketCountsOutOfRange(int buckets) {
    assertRejected(() -> SlidingWindow.ofTime(Duration.ofMinutes(1), buckets),
        "slidingWindow buckets", "was " + buckets);
  }

  @Test
  void ofTimeRejectsBucketsShorterThanOneMillisecond() {
    assertRejected(() -> SlidingWindow.ofTime(Duration.ofMillis(9)),
        "slidingWindow length", "was PT0.009S in 10 buckets");
    assertRejected(() -> SlidingWindow.ofTime(Duration.ofMillis(999), 1_000),
        "slidingWindow length", "was PT0.999S in 1000 buckets");
  }

  @Test
  void ofTimeRejectsLengthsOverOneDay() {
    Duration tooLong = SlidingWindow.MAX_LENGTH.plusNanos(1);

    assertRejected(() -> SlidingWindow.ofTime(tooLong), "slidingWindow length", "was " + tooLong);
    assertRejected(() -> SlidingWindow.ofTime(Duration.ofDays(2), 10), "slidingWindow length", "was PT48H");
  }

  @Test
  void ofTimeRejectsZeroAndNegativeLengths() {
    assertRejected(() -> SlidingWindow.ofTime(Duration.ZERO), "slidingWindow length", "was PT0S");
    assertRejected(() -> SlidingWindow.ofTime(Duration.ofSeconds(-10)), "slidingWindow length", "was PT-10S");
  }

  /**
   * Main-code bug: {@code ofTime}'s javadoc promises IllegalArgumentException for a null length (as every other
   * null in the API), but {@code SlidingWindow.Time} throws NullPointerException.
   */
  @Test
  void ofTimeRejectsNullLengthWithIllegalArgumentException() {
    assertRejected(() -> SlidingWindow.ofTime(null), "length", "null");
    assertRejected(() -> SlidingWindow.ofTime(null, 10), "length", "null");
  }

  @Test
  void windowsAreValueRecords() {
    assertThat(SlidingWindow.ofCalls(50))
        .isEqualTo(SlidingWindow.ofCalls(50))
        .hasSameHashCodeAs(SlidingWindow.ofCalls(50))
        .isNotEqualTo(SlidingWindow.ofCalls(51));
    assertThat(SlidingWindow.ofTime(Duration.ofSeconds(10), 5))
        .isEqualTo(SlidingWindow.ofTime(Duration.ofMillis(10_000), 5))
        .hasSameHashCodeAs(SlidingWindow.ofTime(Duration.ofMillis(10_000), 5))
        .isNotEqualTo(SlidingWindow.ofTime(Duration.ofSeconds(10), 10))
        .isNotEqualTo(SlidingWindow.ofTime(Duration.ofSeconds(11), 5));
    assertThat(SlidingWindow.ofCalls(10)).isNotEqualTo(SlidingWindow.ofTime(Duration.ofSeconds(10), 10));
  }

  @Test
  void recordComponentsAreExposed() {
    SlidingWindow.Time time = (SlidingWindow.Time) SlidingWindow.ofTime(Duration.ofSeconds(20), 4);

    assertThat(time.length()).isEqualTo(Duration.ofSeconds(20));
    assertThat(time.buckets()).isEqualTo(4);
    assertThat(((SlidingWindow.Calls) SlidingWindow.ofCalls(30)).size()).isEqualTo(30);
  }

  @Test
  void toStringDescribesTheWindow() {
    assertThat(SlidingWindow.ofCalls(100)).hasToString("last 100 calls");
    assertThat(SlidingWindow.ofTime(Duration.ofSeconds(30))).hasToString("last PT30S in 10 buckets");
    assertThat(SlidingWindow.ofTime(Duration.ofMinutes(2), 4)).hasToString("last PT2M in 4 buckets");
  }

  private static void assertRejected(ThrowingCallable call, String parameter, String value) {
    assertThatThrownBy(call)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(parameter)
        .hasMessageContaining(value);
  }
}
