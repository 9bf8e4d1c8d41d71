package dev.optionchain.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.optionchain.breaker.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A predicate that throws on every call must not write a stack trace per call: the first failure is reported, then
 * at most one report a minute per callback, counting what was left out.
 */
class CallbackFailuresTest {

  /** Kept in a field: java.util.logging holds loggers weakly. */
  private final Logger julLogger = Logger.getLogger("dev.optionchain.breaker.CircuitBreaker");
  private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        warnings.add(record);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void captureLogs() {
    capture.setLevel(Level.ALL);
    julLogger.addHandler(capture);
  }

  @AfterEach
  void releaseLogs() {
    julLogger.removeHandler(capture);
  }

  @Test
  void aPredicateThatAlwaysThrowsIsReportedOnceAMinuteWithTheCountOfTheRest() {
    ManualClock clock = new ManualClock();
    CircuitBreaker breaker = CircuitBreaker.of("quotes", CircuitBreakerConfig.builder()
        .failureThreshold(1_000_000)
        .recordExceptions(e -> {
          throw new IllegalStateException("predicate bug");
        })
        .clock(clock)
        .build());

    for (int i = 0; i < 100; i++) {
      assertThatThrownBy(() -> breaker.run(() -> {
        throw new IllegalArgumentException("failing");
      })).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(warnings).singleElement().satisfies(r -> {
      assertThat(r.getMessage()).contains("'quotes'", "recordExceptions predicate threw").doesNotContain("more");
      assertThat(r.getThrown()).hasMessage("predicate bug");
    });

    clock.advance(Duration.ofSeconds(59));
    assertThatThrownBy(() -> breaker.run(() -> {
      throw new IllegalArgumentException("still within the minute");
    })).isInstanceOf(IllegalArgumentException.class);
    assertThat(warnings).hasSize(1);

    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> breaker.run(() -> {
      throw new IllegalArgumentException("a minute on");
    })).isInstanceOf(IllegalArgumentException.class);
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(1).getMessage()).contains("(100 more failures since the last report)");
    assertThat(breaker.getStatus().failedCalls()).as("every call was still recorded as a failure").isEqualTo(102);
  }

  @Test
  void eachCallbackHasItsOwnAllowance() {
    ManualClock clock = new ManualClock();
    CircuitBreaker breaker = CircuitBreaker.of("quotes", CircuitBreakerConfig.builder()
        .failureThreshold(1_000_000)
        .recordExceptions(e -> {
          throw new IllegalStateException("record bug");
        })
        .ignoreExceptions(e -> {
          throw new IllegalStateException("ignore bug");
        })
        .clock(clock)
        .build());
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> breaker.run(() -> {
        throw new IllegalArgumentException("failing");
      })).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(warnings).extracting(r -> r.getThrown().getMessage())
        .containsExactlyInAnyOrder("record bug", "ignore bug");
  }
}
