package dev.optionchain.breaker;

import static dev.optionchain.breaker.BreakerTestSupport.consecutive;
import static dev.optionchain.breaker.BreakerTestSupport.failOnce;
import static dev.optionchain.breaker.BreakerTestSupport.succeedOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.optionchain.breaker.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class CircuitBreakerStatusTest {

  private static final Instant START = Instant.parse("2026-01-26T11:05:56Z");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final ManualClock clock = new ManualClock(START);
  private final CircuitBreaker breaker = CircuitBreaker.of("quotes", consecutive(clock, 3, 60));

  /** Three failures one second apart; returns the instant of the tripping one. */
  private Instant tripAfterThreeFailures() {
    failOnce(breaker);
    clock.advance(Duration.ofSeconds(1));
    failOnce(breaker);
    clock.advance(Duration.ofSeconds(1));
    failOnce(breaker);
    return clock.now();
  }

  private void reject() {
    assertThatThrownBy(() -> breaker.call(() -> "not called")).isInstanceOf(CircuitBreakerOpenException.class);
  }

  // ------------------------------------------------------------------------------------------------ per state

  @Test
  void freshBreakerIsClosedWithNothingCounted() {
    CircuitBreakerStatus status = breaker.getStatus();

    assertThat(status.name()).isEqualTo("quotes");
    assertThat(status.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(status.failureCount()).isZero();
    assertThat(status.failureThreshold()).isEqualTo(3);
    assertThat(status.recoveryTimeout()).isEqualTo(TIMEOUT);
    assertThat(status.lastFailureTime()).isEmpty();
    assertThat(status.stateSince()).isEqualTo(START);
    assertThat(status.retryAt()).isEmpty();
    assertThat(List.of(status.successfulCalls(), status.failedCalls(), status.rejectedCalls(), status.ignoredCalls(),
        status.slowCalls())).containsOnly(0L);
    assertThat(status.forcedOpen()).isFalse();
    assertThat(status.openDuration()).isEqualTo(TIMEOUT);
    assertThat(status.failureRate()).isEqualTo(OptionalDouble.empty());
    assertThat(status.failureRateThreshold()).isEqualTo(OptionalDouble.empty());
    assertThat(status.slowCallRate()).isEqualTo(OptionalDouble.empty());
    assertThat(status.trafficShare()).isEqualTo(1.0);
    assertThat(status.trialCallsInFlight()).isZero();
    assertThat(status.origin()).isEqualTo(Optional.empty());
    assertThat(status).isEqualTo(breaker.getStatus()).hasSameHashCodeAs(breaker.getStatus());
  }

  @Test
  void closedBreakerCountsConsecutiveFailuresAndTheLastFailureTime() {
    failOnce(breaker);
    clock.advance(Duration.ofMillis(1500));
    failOnce(breaker);
    Instant second = clock.now();
    clock.advance(Duration.ofSeconds(7));

    CircuitBreakerStatus status = breaker.getStatus();

    assertThat(status.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(status.failureCount()).isEqualTo(2);
    assertThat(status.failedCalls()).isEqualTo(2);
    assertThat(status.lastFailureTime()).contains(second);
    assertThat(status.stateSince()).isEqualTo(START);
    assertThat(status.retryAt()).isEmpty();
  }

  @Test
  void successClearsTheFailureCountButNotTheLastFailureTime() {
    failOnce(breaker);
    failOnce(breaker);
    clock.advance(Duration.ofSeconds(1));
    succeedOnce(breaker);

    CircuitBreakerStatus status = breaker.getStatus();

    assertThat(status.failureCount()).isZero();
    assertThat(status.lastFailureTime()).contains(START);
    assertThat(status.successfulCalls()).isEqualTo(1);
    assertThat(status.failedCalls()).isEqualTo(2);
  }

  @Test
  void openBreakerKeepsTheTrippingCountAndReportsExactInstants() {
    Instant trip = tripAfterThreeFailures();
    clock.advance(Duration.ofSeconds(20));

    CircuitBreakerStatus status = breaker.getStatus();

    assertThat(status.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(status.failureCount()).isEqualTo(3);
    assertThat(status.stateSince()).isEqualTo(trip);
    assertThat(status.lastFailureTime()).contains(trip);
    assertThat(status.retryAt()).contains(trip.plus(TIMEOUT));
    assertThat(status.forcedOpen()).isFalse();
    assertThat(status.openDuration()).isEqualTo(TIMEOUT);
  }

  @Test
  void openBreakerOneNanosecondBeforeTheTimeoutIsStillOpen() {
    Instant trip = tripAfterThreeFailures();
    clock.advance(TIMEOUT.minusNanos(1));

    CircuitBreakerStatus status = breaker.getStatus();

    assertThat(status.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(status.retryAt()).contains(trip.plus(TIMEOUT));
  }

  @Test
  void breakerIsHalfOpenFromTheExactMomentTheTimeoutElapses() {
    Instant trip = tripAfterThreeFailures();
    clock.advance(TIMEOUT);

    CircuitBreakerStatus status = breaker.getStatus();

    assertThat(status.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    assertThat(status.retryAt()).isEmpty();
    assertThat(status.stateSince()).isEqualTo(trip.plus(TIMEOUT));
    assertThat(status.failureCount()).isEqualTo(3);
    assertThat(status.lastFailureTime()).contains(trip);
  }

  /**
   * Main-code bug: the breaker is documented as HALF_OPEN "from the moment the recovery timeout has elapsed", but
   * {@code stateSince} is the moment the change was first observed (a query or a call), not trip + timeout.
   */
  @Test
  void halfOpenStateSinceIsWhenTheTimeoutElapsedEvenIfObservedLater() {
    Instant trip = tripAfterThreeFailures();
    clock.advance(TIMEOUT.plusSeconds(30));

    CircuitBreakerStatus status = breaker.getStatus();

    assertThat(status.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    assertThat(status.stateSince()).isEqualTo(trip.plus(TIMEOUT));
  }

  @Test
  void closedAgainAfterTrialSucceeds() {
    tripAfterThreeFailures();
    clock.advance(TIMEOUT);
    clock.advance(Duration.ofSeconds(2));
    succeedOnce(breaker);

    CircuitBreakerStatus status = breaker.getStatus();

    assertThat(status.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(status.failureCount()).isZero();
    assertThat(status.stateSince()).isEqualTo(clock.now());
    assertThat(status.retryAt()).isEmpty();
  }

  // ------------------------------------------------------------------------------------------------ counts

  @Test
  void callCountsSurviveTransitionsAndAreZeroedByReset() {
    succeedOnce(breaker);
    succeedOnce(breaker);
    tripAfterThreeFailures();
    reject();
    reject();
    clock.advance(TIMEOUT);
    succeedOnce(breaker);

    CircuitBreakerStatus closed = breaker.getStatus();
    assertThat(closed.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(closed.successfulCalls()).isEqualTo(3);
    assertThat(closed.failedCalls()).isEqualTo(3);
    assertThat(closed.rejectedCalls()).isEqualTo(2);
    assertThat(closed.ignoredCalls()).isZero();
    assertThat(closed.slowCalls()).isZero();

    breaker.reset();

    CircuitBreakerStatus reset = breaker.getStatus();
    assertThat(reset.successfulCalls()).isZero();
    assertThat(reset.failedCalls()).isZero();
    assertThat(reset.rejectedCalls()).isZero();
    assertThat(reset.lastFailureTime()).isEmpty();
    assertThat(reset.failureCount()).isZero();
  }

  @Test
  void callsAfterResetAreCountedFromZero() {
    failOnce(breaker);
    succeedOnce(breaker);
    breaker.reset();

    failOnce(breaker);
    succeedOnce(breaker);
    succeedOnce(breaker);

    CircuitBreakerStatus status = breaker.getStatus();
    assertThat(status.failedCalls()).isEqualTo(1);
    assertThat(status.successfulCalls()).isEqualTo(2);
  }

  @Test
  void resetOfAnOpenBreakerClosesItAndZeroesEverything() {
    tripAfterThreeFailures();
    reject();
    clock.advance(Duration.ofSeconds(5));

    breaker.reset();

    CircuitBreakerStatus status = breaker.getStatus();
    assertThat(status.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(status.stateSince()).isEqualTo(clock.now());
    assertThat(status.failureCount()).isZero();
    assertThat(status.failedCalls()).isZero();
    assertThat(status.rejectedCalls()).isZero();
    assertThat(status.retryAt()).isEmpty();
  }

  // ------------------------------------------------------------------------------------------------ toMap

  @Test
  void toMapHasTheDocumentedKeysInOrder() {
    assertThat(breaker.getStatus().toMap().keySet()).containsExactly(
        "name", "state", "failureCount", "failureThreshold", "recoveryTimeoutSeconds", "lastFailureTime",
        "stateSince", "retryAt", "successfulCalls", "failedCalls", "rejectedCalls", "ignoredCalls", "slowCalls",
        "forcedOpen", "openDurationSeconds", "failureRate", "failureRateThreshold", "slowCallRate", "trafficShare",
        "trialCallsInFlight", "origin");
  }

  @Test
  void toMapHoldsOnlyJsonTypesInEveryState() {
    assertJsonTypes(breaker.getStatus().toMap(), "closed");
    tripAfterThreeFailures();
    assertJsonTypes(breaker.getStatus().toMap(), "open");
    clock.advance(TIMEOUT);
    assertJsonTypes(breaker.getStatus().toMap(), "halfOpen");

    CircuitBreaker rate = CircuitBreaker.of("rate", CircuitBreakerConfig.builder()
        .tripPolicy(TripPolicy.failureRate(50, SlidingWindow.ofCalls(100), 100).withSlowCallRateThreshold(80))
        .slowCallDuration(Duration.ofSeconds(1))
        .rampUp(Duration.ofSeconds(10))
        .clock(clock)
        .build());
    failOnce(rate);
    succeedOnce(rate);
    Map<String, Object> rateMap = rate.getStatus().toMap();
    assertJsonTypes(rateMap, "rate");
    assertThat(rateMap.get("failureRate")).isEqualTo(50.0);
    assertThat(rateMap.get("failureRateThreshold")).isEqualTo(50.0);
    assertThat(rateMap.get("slowCallRate")).isEqualTo(0.0);
  }

  @Test
  void toMapOfAFreshBreakerHasNullsForAbsentValues() {
    Map<String, Object> map = breaker.getStatus().toMap();

    assertThat(map)
        .containsEntry("name", "quotes")
        .containsEntry("state", "CLOSED")
        .containsEntry("failureCount", 0)
        .containsEntry("failureThreshold", 3)
        .containsEntry("lastFailureTime", null)
        .containsEntry("retryAt", null)
        .containsEntry("successfulCalls", 0L)
        .containsEntry("forcedOpen", false)
        .containsEntry("failureRate", null)
        .containsEntry("failureRateThreshold", null)
        .containsEntry("slowCallRate", null)
        .containsEntry("trafficShare", 1.0);
  }

  @Test
  void toMapShowsStatesByName() {
    assertThat(breaker.getStatus().toMap()).containsEntry("state", "CLOSED");
    tripAfterThreeFailures();
    assertThat(breaker.getStatus().toMap()).containsEntry("state", "OPEN");
    clock.advance(TIMEOUT);
    assertThat(breaker.getStatus().toMap()).containsEntry("state", "HALF_OPEN");
  }

  @Test
  void toMapInstantsAreIsoStringsOfWholeSeconds() {
    tripAfterThreeFailures();

    Map<String, Object> map = breaker.getStatus().toMap();

    assertThat(map)
        .containsEntry("stateSince", "2026-01-26T11:05:58Z")
        .containsEntry("lastFailureTime", "2026-01-26T11:05:58Z")
        .containsEntry("retryAt", "2026-01-26T11:06:58Z");
  }

  @Test
  void toMapInstantsKeepTheClocksSubSecondPrecision() {
    ManualClock precise = new ManualClock(Instant.parse("2026-01-26T11:05:56.637293Z"));
    CircuitBreaker b = CircuitBreaker.of("precise", consecutive(precise, 1, 60));
    assertThat(b.getStatus().toMap()).containsEntry("stateSince", "2026-01-26T11:05:56.637293Z");

    failOnce(b);

    assertThat(b.getStatus().toMap())
        .containsEntry("stateSince", "2026-01-26T11:05:56.637293Z")
        .containsEntry("lastFailureTime", "2026-01-26T11:05:56.637293Z")
        .containsEntry("retryAt", "2026-01-26T11:06:56.637293Z");
  }

  @Test
  void toMapGivesWholeSecondsAsLongs() {
    Map<String, Object> map = breaker.getStatus().toMap();

    assertThat(map.get("recoveryTimeoutSeconds")).isInstanceOf(Long.class).isEqualTo(60L);
    assertThat(map.get("openDurationSeconds")).isInstanceOf(Long.class).isEqualTo(60L);
  }

  @Test
  void toMapGivesFractionalSecondsAsDoubles() {
    CircuitBreaker b = CircuitBreaker.of("fast", CircuitBreakerConfig.builder()
        .recoveryTimeout(Duration.ofMillis(100))
        .clock(clock)
        .build());

    Map<String, Object> map = b.getStatus().toMap();

    assertThat(map.get("recoveryTimeoutSeconds")).isInstanceOf(Double.class).isEqualTo(0.1);
    assertThat(map.get("openDurationSeconds")).isInstanceOf(Double.class).isEqualTo(0.1);
  }

  @Test
  void toMapIsUnmodifiable() {
    Map<String, Object> map = breaker.getStatus().toMap();

    assertThatThrownBy(() -> map.put("extra", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.remove("name")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.replace("name", "other")).isInstanceOf(UnsupportedOperationException.class);
  }

  // ------------------------------------------------------------------------------------------------ helpers

  /** Fails unless {@code value} is made of JSON types only: String, finite Number, Boolean, null, maps, lists. */
  private static void assertJsonTypes(Object value, String path) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return;
    }
    if (value instanceof Number) {
      assertThat(value).as(path).isInstanceOfAny(Integer.class, Long.class, Double.class);
      if (value instanceof Double) {
        assertThat((Double) value).as(path).isFinite();
      }
      return;
    }
    if (value instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        assertThat(e.getKey()).as(path + " key").isInstanceOf(String.class);
        assertJsonTypes(e.getValue(), path + "." + e.getKey());
      }
      return;
    }
    if (value instanceof List) {
      int i = 0;
      for (Object element : (List<?>) value) {
        assertJsonTypes(element, path + "[" + i++ + "]");
      }
      return;
    }
    fail(path + " is a " + value.getClass().getName() + ", not a JSON type: " + value);
  }

  @Test
  void callTotalsCountSinceCreationAndSurviveReset() {
    ManualClock clock = new ManualClock();
    CircuitBreaker b = CircuitBreaker.of("totals", CircuitBreakerConfig.builder().failureThreshold(2).clock(clock)
        .build());
    BreakerTestSupport.succeedOnce(b);
    BreakerTestSupport.tripOpen(b, 2);
    assertThatThrownBy(() -> BreakerTestSupport.succeedOnce(b)).isInstanceOf(CircuitBreakerOpenException.class);
    b.reset();
    BreakerTestSupport.succeedOnce(b);
    assertThat(b.getStatus().successfulCalls()).isEqualTo(1);
    assertThat(b.callTotals()).isEqualTo(new CallTotals(2, 2, 1, 0, 0));
  }
}
