package dev.optionchain.breaker.micrometer;

import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerState;
import dev.optionchain.breaker.CallTotals;
import dev.optionchain.breaker.StateTransition;
import dev.optionchain.breaker.TripPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The meters of one breaker name.
 *
 * <p>Call counters read {@link CircuitBreaker#callTotals()}, which count since the breaker's creation and are never
 * reset, so they are monotonic as Prometheus counters must be. When the registry replaces the breaker under the name
 * by another instance, the old instance's final totals are carried over, so the counters keep growing. Reads and the
 * swap are serialized by {@code this}; the breaker's reads take no lock and run no listener, and the transition
 * listener only increments a counter.
 */
final class BreakerMeters {

  static final String STATE = "circuitbreaker.state";
  static final String CALLS = "circuitbreaker.calls";
  static final String TRANSITIONS = "circuitbreaker.transitions";
  static final String FAILURE_COUNT = "circuitbreaker.failure.count";
  static final String FAILURE_THRESHOLD = "circuitbreaker.failure.threshold";
  static final String FAILURE_RATE = "circuitbreaker.failure.rate";
  static final String FAILURE_RATE_THRESHOLD = "circuitbreaker.failure.rate.threshold";

  private static final int SUCCESS = 0;
  private static final int FAILURE = 1;
  private static final int REJECTED = 2;
  private static final int IGNORED = 3;
  private static final String[] OUTCOMES = {"success", "failure", "rejected", "ignored"};
  private static final CircuitBreakerState[] STATES = CircuitBreakerState.values();

  private final String name;
  /** Finds the breaker currently registered under the name; returns null when there is none. */
  private final Function<String, CircuitBreaker> lookup;
  private final List<Meter> meters;
  /** Indexed by {@code from.ordinal() * STATES.length + to.ordinal()}; null where {@code from == to}. */
  private final Counter[] transitions = new Counter[STATES.length * STATES.length];

  /** Guarded by this. */
  private CircuitBreaker breaker;
  /** Totals of the instances replaced under this name; guarded by this. */
  private final long[] carried = new long[OUTCOMES.length];

  /** Creates the meters of {@code breaker} in {@code registry}. */
  BreakerMeters(CircuitBreaker breaker, Function<String, CircuitBreaker> lookup, MeterRegistry registry, Tags common) {
    this.name = breaker.getName();
    this.breaker = breaker;
    this.lookup = lookup;
    Tags tags = common.and("name", name);
    List<Meter> created = new ArrayList<>();
    for (CircuitBreakerState s : STATES) {
      created.add(Gauge.builder(STATE, this, m -> m.breaker().getState() == s ? 1.0 : 0.0)
          .tags(tags).tag("state", s.name().toLowerCase(Locale.ROOT))
          .description("1 for the circuit breaker's current state, 0 for the others")
          .strongReference(true)
          .register(registry));
    }
    for (int i = 0; i < OUTCOMES.length; i++) {
      int outcome = i;
      created.add(FunctionCounter.builder(CALLS, this, m -> m.calls(outcome))
          .tags(tags).tag("outcome", OUTCOMES[i])
          .description("Calls through the circuit breaker by outcome, since it was created")
          .register(registry));
    }
    for (CircuitBreakerState from : STATES) {
      for (CircuitBreakerState to : STATES) {
        if (from != to) {
          Counter c = Counter.builder(TRANSITIONS)
              .tags(tags).tag("from", from.name()).tag("to", to.name())
              .description("Circuit breaker state transitions by source and target state")
              .register(registry);
          transitions[from.ordinal() * STATES.length + to.ordinal()] = c;
          created.add(c);
        }
      }
    }
    created.add(Gauge.builder(FAILURE_COUNT, this, m -> m.breaker().getStatus().failureCount())
        .tags(tags)
        .description("Consecutive failures counted by the circuit breaker")
        .strongReference(true)
        .register(registry));
    TripPolicy policy = breaker.getConfig().tripPolicy();
    if (policy instanceof TripPolicy.FailureRate) {
      created.add(Gauge.builder(FAILURE_RATE, this, m -> m.breaker().getStatus().failureRate().orElse(Double.NaN))
          .tags(tags)
          .description("Failure rate over the circuit breaker's window, in percent")
          .strongReference(true)
          .register(registry));
      created.add(Gauge.builder(FAILURE_RATE_THRESHOLD, this,
              m -> m.breaker().getStatus().failureRateThreshold().orElse(Double.NaN))
          .tags(tags)
          .description("Failure rate, in percent, that opens the circuit breaker")
          .strongReference(true)
          .register(registry));
    } else {
      created.add(Gauge.builder(FAILURE_THRESHOLD, this, m -> m.breaker().getConfig().failureThreshold())
          .tags(tags)
          .description("Consecutive failures that open the circuit breaker")
          .strongReference(true)
          .register(registry));
    }
    this.meters = Collections.unmodifiableList(created);
  }

  String name() {
    return name;
  }

  List<Meter> meters() {
    return meters;
  }

  /** Counts a transition. Runs on the thread that made it: increments a counter, nothing else. */
  void onTransition(StateTransition t) {
    Counter c = transitions[t.from().ordinal() * STATES.length + t.to().ordinal()];
    if (c != null) {
      c.increment();
    }
  }

  /** Returns the calls of an outcome since the first instance under this name was created. */
  synchronized double calls(int outcome) {
    return (double) (carried[outcome] + count(breaker().callTotals(), outcome));
  }

  /**
   * Returns the breaker registered under the name now; when another instance has replaced the one read before, the
   * old one's totals are carried over first. Falls back on the last instance seen when the name is no longer
   * registered.
   */
  synchronized CircuitBreaker breaker() {
    CircuitBreaker now = lookup.apply(name);
    if (now != null && now != breaker) {
      CallTotals old = breaker.callTotals();
      for (int i = 0; i < OUTCOMES.length; i++) {
        carried[i] += count(old, i);
      }
      breaker = now;
    }
    return breaker;
  }

  private static long count(CallTotals t, int outcome) {
    switch (outcome) {
      case SUCCESS:
        return t.successful();
      case FAILURE:
        return t.failed();
      case REJECTED:
        return t.rejected();
      case IGNORED:
        return t.ignored();
      default:
        throw new IllegalArgumentException("outcome must be 0 to 3, was " + outcome);
    }
  }
}
