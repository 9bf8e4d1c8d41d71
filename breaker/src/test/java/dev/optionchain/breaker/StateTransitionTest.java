package dev.optionchain.breaker;

import static dev.optionchain.breaker.CircuitBreakerState.CLOSED;
import static dev.optionchain.breaker.CircuitBreakerState.OPEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@link StateTransition} record (moved out of {@code StateTransitionListenerTest}, unchanged, plus origins). */
class StateTransitionTest {

  private static final Instant START = Instant.parse("2026-01-26T11:05:56Z");

  @Test
  void stateTransitionRejectsNullComponents() {
    assertThatThrownBy(() -> new StateTransition(null, CLOSED, OPEN, START, "r"))
        .isInstanceOf(NullPointerException.class).hasMessage("breakerName");
    assertThatThrownBy(() -> new StateTransition("b", null, OPEN, START, "r"))
        .isInstanceOf(NullPointerException.class).hasMessage("from");
    assertThatThrownBy(() -> new StateTransition("b", CLOSED, null, START, "r"))
        .isInstanceOf(NullPointerException.class).hasMessage("to");
    assertThatThrownBy(() -> new StateTransition("b", CLOSED, OPEN, null, "r"))
        .isInstanceOf(NullPointerException.class).hasMessage("at");
    assertThatThrownBy(() -> new StateTransition("b", CLOSED, OPEN, START, null))
        .isInstanceOf(NullPointerException.class).hasMessage("reason");
  }

  @Test
  void stateTransitionToStringReadsLikeTheLogLine() {
    StateTransition t = new StateTransition("quotes", CLOSED, OPEN, START, "3 consecutive failures");

    assertThat(t).hasToString("2026-01-26T11:05:56Z CircuitBreaker 'quotes' CLOSED -> OPEN (3 consecutive failures)");
  }

  @Test
  void anAdoptedTransitionCarriesItsOriginAndSaysSo() {
    StateTransition t = new StateTransition("quotes", CLOSED, OPEN, START, "3 consecutive failures",
        Optional.of("instance-2"));

    assertThat(t.adopted()).isTrue();
    assertThat(t).hasToString(
        "2026-01-26T11:05:56Z CircuitBreaker 'quotes' CLOSED -> OPEN (3 consecutive failures) adopted from instance-2");
    assertThatThrownBy(() -> new StateTransition("b", CLOSED, OPEN, START, "r", null))
        .isInstanceOf(NullPointerException.class).hasMessage("origin");
  }
}
