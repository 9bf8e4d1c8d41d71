package dev.optionchain.dashboard.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.breaker.CircuitBreakerState;
import dev.optionchain.breaker.StateTransition;
import dev.optionchain.dashboard.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** The fleet's messages: small versioned JSON; another version is ignored with one warning, not one per message. */
class MessageTest {

  @Test
  void aTransitionToOpenCarriesTheRemainingTimeAndReadsBack() {
    StateTransition t = new StateTransition("options_chain", CircuitBreakerState.CLOSED, CircuitBreakerState.OPEN,
        Instant.parse("2026-12-07T10:15:30.123456Z"), "3 consecutive failures");
    String json = Message.transition("host-a:8080", t, Duration.ofSeconds(90)).json();
    assertThat(json).isEqualTo("{\"v\":1,\"type\":\"transition\",\"instance\":\"host-a:8080\","
        + "\"breaker\":\"options_chain\",\"from\":\"CLOSED\",\"to\":\"OPEN\",\"at\":\"2026-12-07T10:15:30.123456Z\","
        + "\"reason\":\"3 consecutive failures\",\"remainingMs\":90000}");
    assertThat(json.length()).isLessThan(300);
    Message m = Message.parse(json, new LongAdder()).orElseThrow();
    assertThat(m.isTransition()).isTrue();
    assertThat(m.toState()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(m.remainingMs()).isEqualTo(90_000);
  }

  @Test
  void anAnswerNoticeReadsBackAndFieldsOfALaterMinorChangeAreIgnored() {
    String json = Message.answer("b", "current_price", "AAPL", Instant.parse("2026-12-07T10:15:31Z"), true).json();
    Message m = Message.parse(json.replace("}", ",\"newField\":[1,2]}"), new LongAdder()).orElseThrow();
    assertThat(m.isAnswer()).isTrue();
    assertThat(m.key()).isEqualTo("AAPL");
    assertThat(m.asOfInstant()).contains(Instant.parse("2026-12-07T10:15:31Z"));
  }

  @Test
  void messagesOfAnotherVersionAreIgnoredWithOneWarning() {
    LongAdder ignored = new LongAdder();
    Message.forgetWarnings();
    try (LogCapture log = LogCapture.start()) {
      for (int n = 0; n < 5; n++) {
        assertThat(Message.parse("{\"v\":2,\"type\":\"transition\",\"instance\":\"x\"}", ignored)).isEmpty();
      }
      assertThat(log.linesFrom(0).stream().filter(l -> l.contains("version 2")).count()).isEqualTo(1);
    }
    assertThat(ignored.sum()).isEqualTo(5);
    assertThat(Message.parse("not json", ignored)).isEmpty();
    assertThat(Message.parse("{\"v\":\"1\"}", ignored)).isEmpty();
    assertThat(ignored.sum()).isEqualTo(7);
  }

  @Test
  void anIncompleteTransitionIsNotActedOn() {
    LongAdder ignored = new LongAdder();
    Message noRemaining = Message.parse("{\"v\":1,\"type\":\"transition\",\"instance\":\"x\",\"breaker\":\"b\","
        + "\"to\":\"OPEN\",\"reason\":\"r\"}", ignored).orElseThrow();
    assertThat(noRemaining.isTransition()).isFalse();
    Message badState = Message.parse("{\"v\":1,\"type\":\"transition\",\"instance\":\"x\",\"breaker\":\"b\","
        + "\"to\":\"SIDEWAYS\",\"reason\":\"r\"}", ignored).orElseThrow();
    assertThat(badState.isTransition()).isFalse();
  }
}
