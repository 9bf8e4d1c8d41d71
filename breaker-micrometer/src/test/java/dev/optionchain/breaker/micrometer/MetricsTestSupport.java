package dev.optionchain.breaker.micrometer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerConfig;
import dev.optionchain.breaker.CircuitBreakerOpenException;
import dev.optionchain.breaker.testing.ManualClock;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Breakers on a manual clock, calls with a chosen outcome, and meter reads. */
final class MetricsTestSupport {

  /** Recovery timeout of {@link #breaker}. */
  static final Duration RECOVERY = Duration.ofSeconds(30);

  /**
   * The breakers log every transition (INFO, ERROR when opening) through {@code System.Logger}, i.e. to
   * java.util.logging's console here; thousands of lines from the concurrency tests only slow them down. Held in a
   * field: java.util.logging keeps loggers weakly, and a collected logger forgets its level.
   */
  private static final Logger BREAKER_LOG = Logger.getLogger("dev.optionchain.breaker.CircuitBreaker");

  static {
    BREAKER_LOG.setLevel(Level.OFF);
  }

  private MetricsTestSupport() {}

  /** The exception failing calls throw. */
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Boom() {
      super("boom");
    }
  }

  /** The exception ignored calls throw: counted as neither success nor failure. */
  static final class Ignored extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Ignored() {
      super("ignored");
    }
  }

  /** A breaker that opens after 2 consecutive failures, recovers after {@link #RECOVERY} and ignores {@link Ignored}. */
  static CircuitBreaker breaker(String name, ManualClock clock) {
    return CircuitBreaker.of(name, CircuitBreakerConfig.builder()
        .failureThreshold(2)
        .recoveryTimeout(RECOVERY)
        .ignoreExceptions(t -> t instanceof Ignored)
        .clock(clock)
        .build());
  }

  static void succeed(CircuitBreaker b) {
    b.call(() -> "ok");
  }

  static void fail(CircuitBreaker b) {
    assertThatThrownBy(() -> b.call(() -> {
      throw new Boom();
    })).isInstanceOf(Boom.class);
  }

  static void ignore(CircuitBreaker b) {
    assertThatThrownBy(() -> b.call(() -> {
      throw new Ignored();
    })).isInstanceOf(Ignored.class);
  }

  static void reject(CircuitBreaker b) {
    assertThatThrownBy(() -> succeed(b)).isInstanceOf(CircuitBreakerOpenException.class);
  }

  /**
   * Makes one call that succeeds (kind 0), fails (1) or throws an ignored exception (2), and returns the outcome the
   * breaker should count: success, failure, ignored, or rejected when it did not admit the call.
   */
  static String callWithOutcome(CircuitBreaker b, int kind) {
    try {
      b.call(() -> {
        if (kind == 1) {
          throw new Boom();
        }
        if (kind == 2) {
          throw new Ignored();
        }
        return "ok";
      });
      return "success";
    } catch (CircuitBreakerOpenException e) {
      return "rejected";
    } catch (Boom e) {
      return "failure";
    } catch (Ignored e) {
      return "ignored";
    }
  }

  static double state(MeterRegistry meters, String breaker, String state) {
    return meters.get(BreakerMeters.STATE).tags("name", breaker, "state", state).gauge().value();
  }

  static double calls(MeterRegistry meters, String breaker, String outcome) {
    return meters.get(BreakerMeters.CALLS).tags("name", breaker, "outcome", outcome).functionCounter().count();
  }

  static double transitions(MeterRegistry meters, String breaker, String from, String to) {
    return meters.get(BreakerMeters.TRANSITIONS).tags("name", breaker, "from", from, "to", to).counter().count();
  }
}
