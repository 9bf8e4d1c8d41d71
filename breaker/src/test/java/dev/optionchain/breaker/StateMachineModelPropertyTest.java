package dev.optionchain.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.breaker.BreakerTestSupport.Boom;
import dev.optionchain.breaker.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of successes, failures, time steps and resets, run against the breaker and against a small
 * reference model of the state machine written from the specification; after every step the state, counts, retry
 * time and whether the function was invoked must agree. Failing sequences are shrunk by {@link PropertyCheck}.
 */
class StateMachineModelPropertyTest {

  private static final long TIMEOUT_MS = 60_000;

  enum Kind { SUCCESS, FAILURE, ADVANCE, RESET }

  record Op(Kind kind, long millis) {
    @Override
    public String toString() {
      return kind == Kind.ADVANCE ? "+" + millis + "ms" : kind.name();
    }
  }

  private static final long[] EXACT_STEPS = {TIMEOUT_MS, TIMEOUT_MS - 1, 2 * TIMEOUT_MS};

  /**
   * Up to 150 operations: successes and failures (about 6:7), time steps (random, or exactly at and around the
   * recovery timeout) and the odd reset.
   */
  static List<Op> operations(SplittableRandom random) {
    int n = random.nextInt(151);
    List<Op> ops = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int pick = random.nextInt(18);
      if (pick < 6) {
        ops.add(new Op(Kind.SUCCESS, 0));
      } else if (pick < 13) {
        ops.add(new Op(Kind.FAILURE, 0));
      } else if (pick < 15) {
        ops.add(new Op(Kind.ADVANCE, random.nextLong(1, 2 * TIMEOUT_MS + 1)));
      } else if (pick < 17) {
        ops.add(new Op(Kind.ADVANCE, EXACT_STEPS[random.nextInt(EXACT_STEPS.length)]));
      } else {
        ops.add(new Op(Kind.RESET, 0));
      }
    }
    return ops;
  }

  /** The specification, written as plainly as possible. */
  static final class ConsecutiveModel {
    final int threshold;
    final int successesToClose;
    final double multiplier;
    final long maxOpenMs;
    long now;
    CircuitBreakerState state = CircuitBreakerState.CLOSED;
    int count;
    long openedAt;
    long openMs = TIMEOUT_MS;
    int failedRecoveries;
    int trialSuccesses;
    long successes;
    long failures;
    long rejections;

    ConsecutiveModel(int threshold, int successesToClose, double multiplier) {
      this.threshold = threshold;
      this.successesToClose = successesToClose;
      this.multiplier = multiplier;
      this.maxOpenMs = 4 * TIMEOUT_MS;
    }

    CircuitBreakerState state() {
      if (state == CircuitBreakerState.OPEN && now - openedAt >= openMs) {
        state = CircuitBreakerState.HALF_OPEN;
        trialSuccesses = 0;
      }
      return state;
    }

    /** Returns whether the function is invoked. */
    boolean call(boolean succeeds) {
      switch (state()) {
        case OPEN:
          rejections++;
          return false;
        case HALF_OPEN:
          if (succeeds) {
            successes++;
            if (++trialSuccesses >= successesToClose) {
              state = CircuitBreakerState.CLOSED;
              count = 0;
              failedRecoveries = 0;
            }
          } else {
            failures++;
            count++;
            failedRecoveries++;
            open();
          }
          return true;
        default:
          if (succeeds) {
            successes++;
            count = 0;
          } else {
            failures++;
            if (++count >= threshold) {
              failedRecoveries = 0;
              open();
            }
          }
          return true;
      }
    }

    private void open() {
      state = CircuitBreakerState.OPEN;
      openedAt = now;
      openMs = (long) Math.min(maxOpenMs, TIMEOUT_MS * Math.pow(multiplier, failedRecoveries));
    }

    void reset() {
      state = CircuitBreakerState.CLOSED;
      count = 0;
      failedRecoveries = 0;
      successes = 0;
      failures = 0;
      rejections = 0;
    }
  }

  record ConsecutiveParams(int threshold, int successesToClose, double multiplier) {}

  @Test
  void consecutiveModeAgreesWithTheModel() {
    double[] multipliers = {1.0, 1.5, 2.0};
    PropertyCheck.forAll(500,
        r -> new ConsecutiveParams(r.nextInt(1, 6), r.nextInt(1, 4), multipliers[r.nextInt(multipliers.length)]),
        StateMachineModelPropertyTest::operations,
        (p, ops) -> consecutiveModeAgreesWithTheModel(p.threshold(), p.successesToClose(), p.multiplier(), ops));
  }

  private static void consecutiveModeAgreesWithTheModel(
      int threshold, int successesToClose, double multiplier, List<Op> ops) {
    ManualClock clock = new ManualClock(ManualClock.DEFAULT_START, Long.MAX_VALUE - 5 * TIMEOUT_MS * 1_000_000);
    CircuitBreakerConfig.Builder config = CircuitBreakerConfig.builder()
        .failureThreshold(threshold)
        .recoveryTimeout(Duration.ofMillis(TIMEOUT_MS))
        .successesToClose(successesToClose)
        .clock(clock);
    if (multiplier > 1) {
      config.recoveryBackoff(multiplier, Duration.ofMillis(4 * TIMEOUT_MS));
    }
    CircuitBreaker breaker = CircuitBreaker.of("model", config.build());
    ConsecutiveModel model = new ConsecutiveModel(threshold, successesToClose, multiplier);

    for (Op op : ops) {
      switch (op.kind()) {
        case ADVANCE:
          clock.advance(Duration.ofMillis(op.millis()));
          model.now += op.millis();
          break;
        case RESET:
          breaker.reset();
          model.reset();
          break;
        default:
          boolean succeeds = op.kind() == Kind.SUCCESS;
          assertThat(invoke(breaker, succeeds)).as("invoked on %s", op).isEqualTo(model.call(succeeds));
      }
      CircuitBreakerStatus status = breaker.getStatus();
      assertThat(status.state()).as("state after %s in %s", op, ops).isEqualTo(model.state());
      assertThat(status.failureCount()).as("failure count after %s in %s", op, ops).isEqualTo(model.count);
      assertThat(status.successfulCalls()).isEqualTo(model.successes);
      assertThat(status.failedCalls()).isEqualTo(model.failures);
      assertThat(status.rejectedCalls()).isEqualTo(model.rejections);
      if (model.state() == CircuitBreakerState.OPEN) {
        assertThat(status.retryAt()).contains(
            ManualClock.DEFAULT_START.plusMillis(model.openedAt + model.openMs));
      } else {
        assertThat(status.retryAt()).isEmpty();
      }
    }
  }

  record WindowParams(int size, int minimumCalls, double percent) {}

  /** The count-window rate mode: the last N outcomes of the current CLOSED period. */
  @Test
  void countWindowAgreesWithTheModel() {
    double[] percents = {10.0, 25.0, 50.0, 66.7, 100.0};
    PropertyCheck.forAll(500,
        r -> {
          int size = r.nextInt(1, 13);
          return new WindowParams(size, r.nextInt(1, size + 1), percents[r.nextInt(percents.length)]);
        },
        StateMachineModelPropertyTest::operations,
        (p, ops) -> countWindowAgreesWithTheModel(p.size(), p.minimumCalls(), p.percent(), ops));
  }

  private static void countWindowAgreesWithTheModel(int size, int minimumCalls, double percent, List<Op> ops) {
    ManualClock clock = new ManualClock();
    CircuitBreaker breaker = CircuitBreaker.of("window", CircuitBreakerConfig.builder()
        .tripPolicy(TripPolicy.failureRate(percent, SlidingWindow.ofCalls(size), minimumCalls))
        .recoveryTimeout(Duration.ofMillis(TIMEOUT_MS))
        .clock(clock)
        .build());
    Deque<Boolean> window = new ArrayDeque<>();
    CircuitBreakerState state = CircuitBreakerState.CLOSED;
    long now = 0;
    long openedAt = 0;

    for (Op op : ops) {
      if (state == CircuitBreakerState.OPEN && now - openedAt >= TIMEOUT_MS) {
        state = CircuitBreakerState.HALF_OPEN;
      }
      switch (op.kind()) {
        case ADVANCE:
          clock.advance(Duration.ofMillis(op.millis()));
          now += op.millis();
          if (state == CircuitBreakerState.OPEN && now - openedAt >= TIMEOUT_MS) {
            state = CircuitBreakerState.HALF_OPEN;
          }
          break;
        case RESET:
          breaker.reset();
          state = CircuitBreakerState.CLOSED;
          window.clear();
          break;
        default:
          boolean succeeds = op.kind() == Kind.SUCCESS;
          boolean invoked = invoke(breaker, succeeds);
          assertThat(invoked).as("invoked on %s in %s", op, ops).isEqualTo(state != CircuitBreakerState.OPEN);
          if (state == CircuitBreakerState.HALF_OPEN) {
            state = succeeds ? CircuitBreakerState.CLOSED : CircuitBreakerState.OPEN;
            openedAt = now;
            window.clear();
          } else if (state == CircuitBreakerState.CLOSED) {
            window.addLast(succeeds);
            if (window.size() > size) {
              window.removeFirst();
            }
            long failed = window.stream().filter(ok -> !ok).count();
            // any outcome may trip: a success can be the call that brings the window to its minimum
            if (window.size() >= minimumCalls
                && failed * 100.0 / window.size() >= percent) {
              state = CircuitBreakerState.OPEN;
              openedAt = now;
              window.clear();
            }
          }
      }
      assertThat(breaker.getState()).as("state after %s in %s", op, ops).isEqualTo(state);
    }
  }

  private static boolean invoke(CircuitBreaker breaker, boolean succeeds) {
    AtomicBoolean invoked = new AtomicBoolean();
    try {
      breaker.call(() -> {
        invoked.set(true);
        if (!succeeds) {
          throw new Boom();
        }
        return "ok";
      });
    } catch (Boom | CircuitBreakerOpenException expected) {
      // outcome observed through invoked and the status
    }
    return invoked.get();
  }
}
