package dev.optionchain.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The explicit trip policy: its validation, and that choosing one replaces any earlier choice. */
class TripPolicyTest {

  @Test
  void hundredPercentIsAValidRate() {
    CircuitBreakerConfig config = CircuitBreakerConfig.builder()
        .tripPolicy(TripPolicy.failureRate(100, SlidingWindow.ofCalls(100), 10).withSlowCallRateThreshold(100))
        .slowCallDuration(Duration.ofSeconds(1))
        .build();

    TripPolicy.FailureRate rate = (TripPolicy.FailureRate) config.tripPolicy();
    assertThat(rate.failureRateThreshold()).isEqualTo(100.0);
    assertThat(rate.slowCallRateThreshold()).hasValue(100.0);
    assertThat(config.failureThreshold()).as("no consecutive threshold under a rate policy").isZero();
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -1.0, 100.0001, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void failureRateThresholdOutsideZeroToHundredIsRejected(double rate) {
    assertRejected(() -> TripPolicy.failureRate(rate, SlidingWindow.ofCalls(10), 10),
        "failureRateThreshold", "was " + rate);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -1.0, 100.0001, Double.NaN, Double.POSITIVE_INFINITY})
  void slowCallRateThresholdOutsideZeroToHundredIsRejected(double rate) {
    assertRejected(() -> TripPolicy.failureRate(50, SlidingWindow.ofCalls(10), 10).withSlowCallRateThreshold(rate),
        "slowCallRateThreshold", "was " + rate);
  }

  @Test
  void minimumCallsBelowOneIsRejected() {
    assertRejected(() -> TripPolicy.failureRate(50, SlidingWindow.ofCalls(10), 0), "minimumCalls", "was 0");
  }

  @Test
  void aRatePolicyWithoutAWindowIsRejected() {
    assertRejected(() -> TripPolicy.failureRate(50, null, 10), "slidingWindow", "was null");
  }

  @Test
  void slowCallRateThresholdWithoutSlowCallDurationIsRejectedAtBuild() {
    CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.builder()
        .tripPolicy(TripPolicy.failureRate(50, SlidingWindow.ofCalls(100), 10).withSlowCallRateThreshold(40));

    assertRejected(builder::build, "slowCallRateThreshold", "40.0");
    assertThatThrownBy(builder::build).hasMessageContaining("slowCallDuration");
  }

  /**
   * The policy is explicit: a rate setting cannot be made on a consecutive-failure breaker at all (there is no setter
   * for it outside {@link TripPolicy.FailureRate}), and choosing a policy replaces the earlier choice as a whole.
   */
  @Test
  void theLastTripPolicyChosenIsTheOnlyOne() {
    CircuitBreakerConfig rate = CircuitBreakerConfig.builder()
        .failureThreshold(3)
        .tripPolicy(TripPolicy.failureRate(50, SlidingWindow.ofCalls(20), 10))
        .build();
    CircuitBreakerConfig consecutive = rate.toBuilder().failureThreshold(4).build();

    assertThat(rate.tripPolicy()).isInstanceOf(TripPolicy.FailureRate.class);
    assertThat(rate.failureThreshold()).isZero();
    assertThat(rate.toString()).doesNotContain("failureThreshold=3");
    assertThat(consecutive.tripPolicy()).isEqualTo(TripPolicy.consecutiveFailures(4));
    assertThat(consecutive.toString()).doesNotContain("failureRateThreshold");
  }

  @Test
  void toStringOfRateModeShowsTheRateAndWindow() {
    String text = CircuitBreakerConfig.builder()
        .tripPolicy(TripPolicy.failureRate(50, SlidingWindow.ofTime(Duration.ofSeconds(30)), 20))
        .build()
        .toString();

    assertThat(text)
        .contains("failureRateThreshold=50.0%")
        .contains("slidingWindow=last PT30S in 10 buckets")
        .contains("minimumCalls=20")
        .doesNotContain("failureThreshold=5");
  }

  @Test
  void aMinimumACountWindowCanNeverHoldIsAnError() {
    assertRejected(() -> TripPolicy.failureRate(50, SlidingWindow.ofCalls(4), 10), "minimumCalls", "10");
    assertThat(TripPolicy.failureRate(50, SlidingWindow.ofCalls(4), 4).minimumCalls()).isEqualTo(4);
    assertThat(TripPolicy.failureRate(50, SlidingWindow.ofTime(Duration.ofSeconds(1)), 10).minimumCalls())
        .isEqualTo(10);
  }

  private static void assertRejected(ThrowingCallable call, String parameter, String value) {
    assertThatThrownBy(call)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(parameter)
        .hasMessageContaining(value);
  }
}
