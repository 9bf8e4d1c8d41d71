package dev.optionchain.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.optionchain.breaker.testing.ManualClock;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CircuitBreakerConfigTest {

  /** Longer than the 292 years a long of nanoseconds can hold. */
  private static final Duration TOO_LONG_FOR_NANOS = Duration.ofDays(365L * 300);

  // ------------------------------------------------------------------------------------------------ defaults

  @Test
  void defaultsAreFiveFailuresSixtySecondsAndTheSystemClock() {
    CircuitBreakerConfig config = CircuitBreakerConfig.defaults();

    assertThat(config.failureThreshold()).isEqualTo(5);
    assertThat(config.recoveryTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.clock()).isSameAs(BreakerClock.system());
  }

  @Test
  void everyOptionHasItsDocumentedDefault() {
    CircuitBreakerConfig config = CircuitBreakerConfig.builder().build();

    assertThat(config.tripPolicy()).isEqualTo(TripPolicy.consecutiveFailures(5));
    assertThat(config.slowCallDuration()).isEmpty();
    assertThat(config.halfOpenMaxDuration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.cancellationPolicy()).isEqualTo(CancellationPolicy.IGNORE);
    assertThat(config.trialGate()).isEmpty();
    assertThat(config.trialCalls()).isEqualTo(1);
    assertThat(config.successesToClose()).isEqualTo(1);
    assertThat(config.backoffMultiplier()).isEqualTo(1.0);
    assertThat(config.maxRecoveryTimeout()).isEqualTo(config.recoveryTimeout());
    assertThat(config.rampUp()).isEqualTo(Duration.ZERO);
    Predicate<? super Throwable> record = config.recordExceptions();
    Predicate<? super Throwable> ignore = config.ignoreExceptions();
    assertThat(record.test(new RuntimeException())).isTrue();
    assertThat(record.test(new Exception())).isTrue();
    assertThat(ignore.test(new RuntimeException())).isFalse();
    assertThat(config.recordResult().test(null)).isFalse();
    assertThat(config.recordResult().test("any value")).isFalse();
  }

  @Test
  void defaultsIsSharedAndHasTheValuesOfAFreshBuilder() {
    assertThat(CircuitBreakerConfig.defaults()).isSameAs(CircuitBreakerConfig.defaults());
    assertSameValues(CircuitBreakerConfig.defaults(), CircuitBreakerConfig.builder().build());
  }

  @Test
  void defaultMaxRecoveryTimeoutFollowsTheRecoveryTimeout() {
    CircuitBreakerConfig config = CircuitBreakerConfig.builder().recoveryTimeout(Duration.ofSeconds(90)).build();

    assertThat(config.maxRecoveryTimeout()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void breakerWithoutConfigUsesTheSharedDefaults() {
    assertThat(CircuitBreaker.of("defaults").getConfig()).isSameAs(CircuitBreakerConfig.defaults());
  }

  // ------------------------------------------------------------------------------------------------ valid values

  @Test
  void hundredMillisecondDurationsAreValid() {
    Duration d = Duration.ofMillis(100);

    CircuitBreakerConfig config = CircuitBreakerConfig.builder()
        .recoveryTimeout(d)
        .slowCallDuration(d)
        .rampUp(d)
        .recoveryBackoff(2.0, d)
        .build();

    assertThat(config.recoveryTimeout()).isEqualTo(d);
    assertThat(config.slowCallDuration()).contains(d);
    assertThat(config.rampUp()).isEqualTo(d);
    assertThat(config.maxRecoveryTimeout()).isEqualTo(d);
  }


  @Test
  void rampUpOfZeroTurnsItOff() {
    assertThat(CircuitBreakerConfig.builder().rampUp(Duration.ZERO).build().rampUp()).isZero();
  }

  // ------------------------------------------------------------------------------------------------ validation

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void failureThresholdBelowOneIsRejected(int threshold) {
    assertRejected(() -> CircuitBreakerConfig.builder().failureThreshold(threshold),
        "failureThreshold", "was " + threshold);
  }

  static Stream<Arguments> invalidDurations() {
    return Stream.of(
        Arguments.of(null, "was null"),
        Arguments.of(Duration.ZERO, "was PT0S"),
        Arguments.of(Duration.ofSeconds(-1), "was PT-1S"),
        Arguments.of(Duration.ofNanos(-1), "was PT-0.000000001S"),
        Arguments.of(TOO_LONG_FOR_NANOS, "was " + TOO_LONG_FOR_NANOS),
        Arguments.of(Duration.ofSeconds(Long.MAX_VALUE), "was " + Duration.ofSeconds(Long.MAX_VALUE)));
  }

  @ParameterizedTest
  @MethodSource("invalidDurations")
  void recoveryTimeoutMustBePositiveAndFitInNanos(Duration bad, String value) {
    assertRejected(() -> CircuitBreakerConfig.builder().recoveryTimeout(bad), "recoveryTimeout", value);
  }

  @ParameterizedTest
  @MethodSource("invalidDurations")
  void slowCallDurationMustBePositiveAndFitInNanos(Duration bad, String value) {
    assertRejected(() -> CircuitBreakerConfig.builder().slowCallDuration(bad), "slowCallDuration", value);
  }

  @ParameterizedTest
  @MethodSource("invalidDurations")
  void recoveryBackoffMaxMustBePositiveAndFitInNanos(Duration bad, String value) {
    assertRejected(() -> CircuitBreakerConfig.builder().recoveryBackoff(2.0, bad), "maxRecoveryTimeout", value);
  }





  @Test
  void halfOpenMaxDurationMustBePositive() {
    assertRejected(() -> CircuitBreakerConfig.builder().halfOpenMaxDuration(Duration.ZERO),
        "halfOpenMaxDuration", "was PT0S");
    assertRejected(() -> CircuitBreakerConfig.builder().halfOpenMaxDuration(null), "halfOpenMaxDuration", "was null");
  }

  @Test
  void trialCallsBelowOneIsRejected() {
    assertRejected(() -> CircuitBreakerConfig.builder().trialCalls(0), "trialCalls", "was 0");
  }

  @Test
  void successesToCloseBelowOneIsRejected() {
    assertRejected(() -> CircuitBreakerConfig.builder().successesToClose(0), "successesToClose", "was 0");
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.5, 0.0, -2.0, Double.NaN, Double.POSITIVE_INFINITY})
  void recoveryBackoffMultiplierMustBeFiniteAndAtLeastOne(double multiplier) {
    assertRejected(() -> CircuitBreakerConfig.builder().recoveryBackoff(multiplier, Duration.ofMinutes(10)),
        "recoveryBackoff multiplier", "was " + multiplier);
  }

  @Test
  void recoveryBackoffMaxBelowTheRecoveryTimeoutIsRejectedAtBuild() {
    CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.builder()
        .recoveryTimeout(Duration.ofSeconds(60))
        .recoveryBackoff(2.0, Duration.ofSeconds(30));

    assertRejected(builder::build, "maxRecoveryTimeout", "was PT30S");
  }

  @Test
  void recoveryBackoffMaxIsCheckedAgainstTheFinalRecoveryTimeout() {
    CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.builder()
        .recoveryBackoff(2.0, Duration.ofSeconds(90))
        .recoveryTimeout(Duration.ofSeconds(120));

    assertRejected(builder::build, "maxRecoveryTimeout", "was PT1M30S");
  }



  @Test
  void rampUpMustNotBeNegativeOrNull() {
    assertRejected(() -> CircuitBreakerConfig.builder().rampUp(Duration.ofMillis(-1)), "rampUp", "was PT-0.001S");
    assertRejected(() -> CircuitBreakerConfig.builder().rampUp(null), "rampUp", "was null");
  }

  /**
   * Main-code bug: {@code rampUp} does not check that the period fits in a long of nanoseconds (every other duration
   * setter does), so the builder accepts it and {@code CircuitBreaker.of} later fails with an ArithmeticException.
   */
  @Test
  void rampUpTooLongForNanosIsRejectedByTheBuilder() {
    assertRejected(() -> CircuitBreakerConfig.builder().rampUp(TOO_LONG_FOR_NANOS),
        "rampUp", "was " + TOO_LONG_FOR_NANOS);
  }

  @Test
  void nullClockPredicatesAndWindowAreRejected() {
    assertRejected(() -> CircuitBreakerConfig.builder().clock(null), "clock", "was null");
    assertRejected(() -> CircuitBreakerConfig.builder().recordExceptions(null), "recordExceptions", "was null");
    assertRejected(() -> CircuitBreakerConfig.builder().ignoreExceptions(null), "ignoreExceptions", "was null");
    assertRejected(() -> CircuitBreakerConfig.builder().recordResult(null, r -> true), "recordResult type",
        "was null");
    assertRejected(() -> CircuitBreakerConfig.builder().recordResult(String.class, null), "recordResult predicate",
        "was null");
    assertRejected(() -> CircuitBreakerConfig.builder().tripPolicy(null), "tripPolicy", "was null");
    assertRejected(() -> CircuitBreakerConfig.builder().cancellationPolicy(null), "cancellationPolicy", "was null");
    assertRejected(() -> CircuitBreakerConfig.builder().trialGate(null), "trialGate", "was null");
  }

  @Test
  void rejectedSetterLeavesTheBuilderUnchanged() {
    CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.builder().failureThreshold(3);

    assertThatThrownBy(() -> builder.failureThreshold(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.recoveryBackoff(2.0, null)).isInstanceOf(IllegalArgumentException.class);

    CircuitBreakerConfig config = builder.build();
    assertThat(config.failureThreshold()).isEqualTo(3);
    assertThat(config.backoffMultiplier()).isEqualTo(1.0);
  }

  // ------------------------------------------------------------------------------------------------ toBuilder

  @Test
  void toBuilderRoundTripKeepsEveryValue() {
    CircuitBreakerConfig original = everyOptionSet();

    CircuitBreakerConfig copy = original.toBuilder().build();

    assertThat(copy).isNotSameAs(original);
    assertSameValues(copy, original);
  }

  @Test
  void toBuilderRoundTripOfTheDefaultsKeepsEveryValue() {
    assertSameValues(CircuitBreakerConfig.defaults().toBuilder().build(), CircuitBreakerConfig.defaults());
  }

  @Test
  void derivingFromToBuilderLeavesTheOriginalUntouched() {
    CircuitBreakerConfig original = everyOptionSet();
    CircuitBreakerConfig pristine = original.toBuilder().build();

    CircuitBreakerConfig variant = original.toBuilder()
        .failureThreshold(9)
        .recoveryTimeout(Duration.ofSeconds(5))
        .recoveryBackoff(3.0, Duration.ofSeconds(50))
        .tripPolicy(TripPolicy.failureRate(10, SlidingWindow.ofCalls(7), 7))
        .trialCalls(1)
        .rampUp(Duration.ZERO)
        .build();

    assertThat(variant.failureThreshold()).as("the rate policy chosen after it replaced it").isZero();
    assertThat(variant.tripPolicy()).isEqualTo(TripPolicy.failureRate(10, SlidingWindow.ofCalls(7), 7));
    assertSameValues(original, pristine);
  }

  @Test
  void changingTheBuilderAfterBuildDoesNotChangeTheConfig() {
    CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.builder().failureThreshold(3);
    CircuitBreakerConfig config = builder.build();

    builder.failureThreshold(8).recoveryTimeout(Duration.ofSeconds(1));

    assertThat(config.failureThreshold()).isEqualTo(3);
    assertThat(config.recoveryTimeout()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void toBuilderWithoutBackoffLetsTheMaxFollowANewRecoveryTimeout() {
    CircuitBreakerConfig variant = CircuitBreakerConfig.defaults().toBuilder()
        .recoveryTimeout(Duration.ofSeconds(90))
        .build();

    assertThat(variant.maxRecoveryTimeout()).isEqualTo(Duration.ofSeconds(90));
  }

  /**
   * Main-code bug: with {@code recoveryBackoff(1.0, max)} the config reports {@code maxRecoveryTimeout() == max}, but
   * {@code toBuilder()} drops an explicit max whenever the multiplier is 1.0, so the round trip changes it back to the
   * recovery timeout.
   */
  @Test
  void toBuilderRoundTripKeepsAnExplicitMaxEvenWithoutGrowth() {
    CircuitBreakerConfig original = CircuitBreakerConfig.builder()
        .recoveryBackoff(1.0, Duration.ofSeconds(120))
        .build();

    CircuitBreakerConfig copy = original.toBuilder().build();

    assertThat(original.maxRecoveryTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertSameValues(copy, original);
  }

  // ------------------------------------------------------------------------------------------------ toString

  @Test
  void toStringOfConsecutiveModeShowsTheThreshold() {
    String text = CircuitBreakerConfig.defaults().toString();

    assertThat(text)
        .contains("failureThreshold=5")
        .contains("recoveryTimeout=PT1M")
        .contains("BreakerClock.system()")
        .doesNotContain("failureRateThreshold");
  }


  // ------------------------------------------------------------------------------------------------ factories

  @Test
  void breakerNameMustNotBeNullOrBlank() {
    assertRejected(() -> CircuitBreaker.of(null), "name", "was null");
    assertRejected(() -> CircuitBreaker.of(""), "name", "was ''");
    assertRejected(() -> CircuitBreaker.of("  "), "name", "was '  '");
    assertRejected(() -> CircuitBreaker.of(" ", CircuitBreakerConfig.defaults()), "name", "was ' '");
  }

  @Test
  void breakerConfigMustNotBeNull() {
    assertRejected(() -> CircuitBreaker.of("x", null), "config", "was null");
  }

  @Test
  void shortFactoryValidatesThresholdAndTimeout() {
    assertRejected(() -> CircuitBreaker.of("x", 0, Duration.ofSeconds(1)), "failureThreshold", "was 0");
    assertRejected(() -> CircuitBreaker.of("x", 3, Duration.ZERO), "recoveryTimeout", "was PT0S");
    assertRejected(() -> CircuitBreaker.of("x", 3, null), "recoveryTimeout", "was null");
  }

  @Test
  void shortFactorySetsThresholdAndTimeout() {
    CircuitBreaker breaker = CircuitBreaker.of("x", 3, Duration.ofSeconds(90));

    assertThat(breaker.getName()).isEqualTo("x");
    assertThat(breaker.getConfig().failureThreshold()).isEqualTo(3);
    assertThat(breaker.getConfig().recoveryTimeout()).isEqualTo(Duration.ofSeconds(90));
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static void assertRejected(ThrowingCallable call, String parameter, String value) {
    assertThatThrownBy(call)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(parameter)
        .hasMessageContaining(value);
  }

  /** A config whose every option differs from its default. */
  private static CircuitBreakerConfig everyOptionSet() {
    return CircuitBreakerConfig.builder()
        .failureThreshold(7)
        .recoveryTimeout(Duration.ofSeconds(30))
        .clock(new ManualClock())
        .tripPolicy(TripPolicy.failureRate(40, SlidingWindow.ofTime(Duration.ofSeconds(20), 4), 3)
            .withSlowCallRateThreshold(60))
        .slowCallDuration(Duration.ofMillis(250))
        .trialCalls(2)
        .successesToClose(2)
        .recoveryBackoff(2.0, Duration.ofMinutes(5))
        .recordExceptions(t -> t instanceof IllegalStateException)
        .ignoreExceptions(t -> t instanceof IllegalArgumentException)
        .recordResult(String.class, String::isEmpty)
        .rampUp(Duration.ofSeconds(10))
        .halfOpenMaxDuration(Duration.ofSeconds(5))
        .cancellationPolicy(CancellationPolicy.COUNT_AS_FAILURE)
        .trialGate(name -> true)
        .build();
  }

  /** The config has no equals(); compares every accessor, predicates and clock by identity. */
  private static void assertSameValues(CircuitBreakerConfig actual, CircuitBreakerConfig expected) {
    assertThat(actual.failureThreshold()).as("failureThreshold").isEqualTo(expected.failureThreshold());
    assertThat(actual.recoveryTimeout()).as("recoveryTimeout").isEqualTo(expected.recoveryTimeout());
    assertThat(actual.clock()).as("clock").isSameAs(expected.clock());
    assertThat(actual.tripPolicy()).as("tripPolicy").isEqualTo(expected.tripPolicy());
    assertThat(actual.slowCallDuration()).as("slowCallDuration").isEqualTo(expected.slowCallDuration());
    assertThat(actual.halfOpenMaxDuration()).as("halfOpenMaxDuration").isEqualTo(expected.halfOpenMaxDuration());
    assertThat(actual.cancellationPolicy()).as("cancellationPolicy").isEqualTo(expected.cancellationPolicy());
    assertThat(actual.trialGate()).as("trialGate").isEqualTo(expected.trialGate());
    assertThat(actual.trialCalls()).as("trialCalls").isEqualTo(expected.trialCalls());
    assertThat(actual.successesToClose()).as("successesToClose").isEqualTo(expected.successesToClose());
    assertThat(actual.backoffMultiplier()).as("backoffMultiplier").isEqualTo(expected.backoffMultiplier());
    assertThat(actual.maxRecoveryTimeout()).as("maxRecoveryTimeout").isEqualTo(expected.maxRecoveryTimeout());
    assertThat(actual.recordExceptions()).as("recordExceptions").isSameAs(expected.recordExceptions());
    assertThat(actual.ignoreExceptions()).as("ignoreExceptions").isSameAs(expected.ignoreExceptions());
    assertThat(actual.recordResult()).as("recordResult").isSameAs(expected.recordResult());
    assertThat(actual.rampUp()).as("rampUp").isEqualTo(expected.rampUp());
    assertThat(actual.toString()).as("toString").isEqualTo(expected.toString());
  }
}
