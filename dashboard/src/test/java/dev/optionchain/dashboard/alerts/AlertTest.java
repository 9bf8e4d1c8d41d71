package dev.optionchain.dashboard.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerConfig;
import dev.optionchain.breaker.CircuitBreakerState;
import dev.optionchain.breaker.StateTransition;
import dev.optionchain.breaker.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertTest {

  @Test
  void ofMapsATransitionAndTheStatusReadRightAfterIt() {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-18T15:00:00Z"));
    CircuitBreaker breaker = CircuitBreaker.of("quotes", CircuitBreakerConfig.builder()
        .failureThreshold(2).recoveryTimeout(Duration.ofSeconds(30)).clock(clock).build());
    List<Alert> alerts = new ArrayList<>();
    List<StateTransition> transitions = new ArrayList<>();
    breaker.onStateTransition(t -> {
      transitions.add(t);
      alerts.add(Alert.of(t, breaker.getStatus()));
    });

    fail(breaker);
    clock.advance(Duration.ofMillis(250));
    Instant lastFailure = clock.now();
    fail(breaker);
    clock.advance(Duration.ofSeconds(5));
    breaker.reset();

    assertThat(alerts).hasSize(2);
    Alert opened = alerts.get(0);
    assertThat(opened.breaker()).isEqualTo("quotes");
    assertThat(opened.from()).isEqualTo("CLOSED");
    assertThat(opened.to()).isEqualTo("OPEN");
    assertThat(opened.at()).isEqualTo(transitions.get(0).at()).isEqualTo(lastFailure);
    assertThat(opened.reason()).isEqualTo(transitions.get(0).reason()).isNotBlank();
    assertThat(opened.failureCount()).isEqualTo(2);
    assertThat(opened.lastFailure()).isEqualTo(lastFailure);
    assertThat(opened.service()).isEqualTo("option-chain-dashboard");

    Alert recovered = alerts.get(1);
    assertThat(recovered.from()).isEqualTo("OPEN");
    assertThat(recovered.to()).isEqualTo("CLOSED");
    assertThat(recovered.reason()).isEqualTo("reset");
    assertThat(recovered.at()).isEqualTo(lastFailure.plusSeconds(5));
    assertThat(recovered.failureCount()).isZero();
    assertThat(recovered.lastFailure()).as("none since the reset").isNull();
    assertThat(transitions).allMatch(Alert::worthAlerting);
  }

  @Test
  void ofRejectsTheStatusOfAnotherBreaker() {
    CircuitBreaker other = CircuitBreaker.of("chains");
    StateTransition t = new StateTransition("quotes", CircuitBreakerState.CLOSED, CircuitBreakerState.OPEN,
        Instant.EPOCH, "test");

    assertThatThrownBy(() -> Alert.of(t, other.getStatus()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chains").hasMessageContaining("quotes");
  }

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @CsvSource({
      "CLOSED,    OPEN,      true",
      "HALF_OPEN, OPEN,      true",
      "OPEN,      OPEN,      true",
      "OPEN,      CLOSED,    true",
      "HALF_OPEN, CLOSED,    true",
      "CLOSED,    CLOSED,    false",
      "OPEN,      HALF_OPEN, false",
      "CLOSED,    HALF_OPEN, false",
      "HALF_OPEN, HALF_OPEN, false",
  })
  void worthAlertingOnOpeningAndRecovery(CircuitBreakerState from, CircuitBreakerState to, boolean expected) {
    StateTransition t = new StateTransition("quotes", from, to, Instant.EPOCH, "test");

    assertThat(Alert.worthAlerting(t)).isEqualTo(expected);
  }

  @Test
  void requiresEveryComponentButLastFailure() {
    Instant at = Instant.EPOCH;
    assertThat(new Alert("b", "CLOSED", "OPEN", at, "r", 0, null, Alert.SERVICE).lastFailure()).isNull();
    assertThatThrownBy(() -> new Alert(null, "CLOSED", "OPEN", at, "r", 0, null, Alert.SERVICE))
        .isInstanceOf(NullPointerException.class).hasMessage("breaker");
    assertThatThrownBy(() -> new Alert("b", "CLOSED", "OPEN", null, "r", 0, null, Alert.SERVICE))
        .isInstanceOf(NullPointerException.class).hasMessage("at");
    assertThatThrownBy(() -> new Alert("b", "CLOSED", "OPEN", at, "r", -1, null, Alert.SERVICE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
  }

  private static void fail(CircuitBreaker breaker) {
    try {
      breaker.run(() -> {
        throw new IllegalStateException("upstream down");
      });
    } catch (IllegalStateException expected) {
      // counted by the breaker
    }
  }
}
