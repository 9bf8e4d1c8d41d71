package dev.optionchain.breaker.micrometer;

import static dev.optionchain.breaker.micrometer.MetricsTestSupport.RECOVERY;
import static dev.optionchain.breaker.micrometer.MetricsTestSupport.breaker;
import static dev.optionchain.breaker.micrometer.MetricsTestSupport.callWithOutcome;
import static dev.optionchain.breaker.micrometer.MetricsTestSupport.calls;
import static dev.optionchain.breaker.micrometer.MetricsTestSupport.fail;
import static dev.optionchain.breaker.micrometer.MetricsTestSupport.ignore;
import static dev.optionchain.breaker.micrometer.MetricsTestSupport.reject;
import static dev.optionchain.breaker.micrometer.MetricsTestSupport.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The call counters are exact and monotonic although the breaker's status counts restart at 0 on {@code reset()}:
 * they read the breaker's since-creation totals.
 */
class MonotonicCallCountTest {

  private static final List<String> OUTCOMES = List.of("success", "failure", "rejected", "ignored");

  private final ManualClock clock = new ManualClock();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final CircuitBreaker b = breaker("quotes", clock);
  private final CircuitBreakerMetrics metrics = CircuitBreakerMetrics.of(b);

  {
    metrics.bindTo(meters);
  }

  @AfterEach
  void close() {
    metrics.close();
  }

  private double read(String outcome) {
    return calls(meters, "quotes", outcome);
  }

  @Test
  void countsGoOnAcrossTheResetOfAnOpenBreaker() {
    succeed(b);
    succeed(b);
    succeed(b);
    fail(b);
    fail(b);
    reject(b);
    assertThat(read("success")).isEqualTo(3.0);

    b.reset();                                        // OPEN -> CLOSED, reason "reset": counts restart at 0
    assertThat(b.getStatus().successfulCalls()).isZero();
    for (int i = 0; i < 5; i++) {
      succeed(b);                                     // more than before: the count does not go down
    }
    assertThat(read("success")).isEqualTo(8.0);
    assertThat(read("failure")).isEqualTo(2.0);
    assertThat(read("rejected")).isEqualTo(1.0);
    assertThat(read("ignored")).isZero();
  }

  @Test
  void countsGoOnAcrossTheResetOfAClosedBreaker() {
    for (int i = 0; i < 4; i++) {
      succeed(b);
    }
    ignore(b);
    assertThat(read("success")).isEqualTo(4.0);

    b.reset();                                        // already CLOSED: no transition is delivered
    succeed(b);
    assertThat(read("success")).isEqualTo(5.0);
    assertThat(read("ignored")).isEqualTo(1.0);
  }

  @Test
  void readingOneOutcomeRecordsTheOthers() {
    fail(b);
    ignore(b);
    assertThat(read("success")).isZero();            // a scrape reads every outcome; one is enough here
    b.reset();
    assertThat(read("failure")).isEqualTo(1.0);
    assertThat(read("ignored")).isEqualTo(1.0);
  }

  @Test
  void countsAccumulateOverManyResets() {
    long successes = 0;
    for (int round = 1; round <= 10; round++) {
      for (int i = 0; i < round; i++) {
        succeed(b);
      }
      successes += round;
      fail(b);
      fail(b);
      assertThat(read("success")).as("a scrape between the trip and the reset").isEqualTo((double) successes);
      b.reset();
    }
    assertThat(read("success")).isEqualTo((double) successes);
    assertThat(read("failure")).isEqualTo(20.0);
  }

  @Test
  void callsMadeBetweenTheLastReadAndAResetAreCounted() {
    succeed(b);
    assertThat(read("success")).isEqualTo(1.0);
    succeed(b);
    succeed(b);                                       // not read before the reset
    fail(b);
    fail(b);
    b.reset();
    succeed(b);
    assertThat(read("success")).isEqualTo(4.0);
    assertThat(read("failure")).isEqualTo(2.0);
  }

  @Test
  void aResetOfAClosedBreakerFollowedByMoreCallsLosesNothing() {
    succeed(b);
    assertThat(read("success")).isEqualTo(1.0);
    b.reset();                                        // CLOSED: no transition
    succeed(b);
    succeed(b);
    assertThat(read("success")).isEqualTo(3.0);
  }

  /** Random operation sequences against a model, read now and then: the counters are exact and never go down. */
  @Test
  void theCountersMatchAModelOfRandomSequences() {
    for (long seed = 0; seed < 20; seed++) {
      Random random = new Random(seed);
      ManualClock c = new ManualClock();
      CircuitBreaker breaker = breaker("model", c);
      SimpleMeterRegistry m = new SimpleMeterRegistry();
      CircuitBreakerMetrics bound = CircuitBreakerMetrics.of(breaker);
      bound.bindTo(m);
      Map<String, Long> model = new LinkedHashMap<>();
      OUTCOMES.forEach(o -> model.put(o, 0L));
      Map<String, Double> previous = new LinkedHashMap<>();
      OUTCOMES.forEach(o -> previous.put(o, 0.0));
      for (int step = 0; step < 200; step++) {
        int op = random.nextInt(10);
        String outcome = null;
        if (op < 7) {
          outcome = callWithOutcome(breaker, op % 3);
        } else if (op == 7) {
          breaker.reset();
        } else if (op == 8) {
          c.advance(RECOVERY);
        } else {
          breaker.forceOpen();
        }
        if (outcome != null) {
          model.merge(outcome, 1L, Long::sum);
        }
        if (random.nextInt(4) != 0) {
          continue;
        }
        for (String o : OUTCOMES) {
          double now = calls(m, "model", o);
          assertThat(now).as("seed %d step %d %s", seed, step, o).isGreaterThanOrEqualTo(previous.get(o))
              .isEqualTo((double) model.get(o));
          previous.put(o, now);
        }
      }
      bound.close();
    }
  }
}
