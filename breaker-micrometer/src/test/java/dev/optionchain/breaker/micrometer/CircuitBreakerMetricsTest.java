package dev.optionchain.breaker.micrometer;

import static dev.optionchain.breaker.micrometer.MetricsTestSupport.RECOVERY;
import static dev.optionchain.breaker.micrometer.MetricsTestSupport.breaker;
import static dev.optionchain.breaker.micrometer.MetricsTestSupport.calls;
import static dev.optionchain.breaker.micrometer.MetricsTestSupport.fail;
import static dev.optionchain.breaker.micrometer.MetricsTestSupport.ignore;
import static dev.optionchain.breaker.micrometer.MetricsTestSupport.reject;
import static dev.optionchain.breaker.micrometer.MetricsTestSupport.state;
import static dev.optionchain.breaker.micrometer.MetricsTestSupport.succeed;
import static dev.optionchain.breaker.micrometer.MetricsTestSupport.transitions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerConfig;
import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.breaker.SlidingWindow;
import dev.optionchain.breaker.TripPolicy;
import dev.optionchain.breaker.testing.ManualClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.search.MeterNotFoundException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CircuitBreakerMetricsTest {

  private final ManualClock clock = new ManualClock();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private CircuitBreakerMetrics metrics;

  @AfterEach
  void close() {
    if (metrics != null) {
      metrics.close();
    }
    meters.close();
  }

  private CircuitBreakerMetrics bind(CircuitBreakerMetrics m) {
    metrics = m;
    m.bindTo(meters);
    return m;
  }

  private Map<String, Double> states(String breaker) {
    return Map.of("closed", state(meters, breaker, "closed"), "open", state(meters, breaker, "open"),
        "half_open", state(meters, breaker, "half_open"));
  }

  @Test
  void stateGaugesFollowAFullWalkThroughTheStates() {
    CircuitBreaker b = breaker("quotes", clock);
    bind(CircuitBreakerMetrics.of(b));
    assertThat(states("quotes")).containsExactlyInAnyOrderEntriesOf(Map.of("closed", 1.0, "open", 0.0,
        "half_open", 0.0));

    fail(b);
    fail(b);
    assertThat(states("quotes")).containsExactlyInAnyOrderEntriesOf(Map.of("closed", 0.0, "open", 1.0,
        "half_open", 0.0));

    clock.advance(RECOVERY);
    assertThat(states("quotes")).as("HALF_OPEN as soon as the timeout elapsed, nobody called")
        .containsExactlyInAnyOrderEntriesOf(Map.of("closed", 0.0, "open", 0.0, "half_open", 1.0));

    succeed(b);
    assertThat(states("quotes")).containsExactlyInAnyOrderEntriesOf(Map.of("closed", 1.0, "open", 0.0,
        "half_open", 0.0));
  }

  @Test
  void callsAreCountedByOutcome() {
    CircuitBreaker b = breaker("quotes", clock);
    bind(CircuitBreakerMetrics.of(b));
    succeed(b);
    succeed(b);
    succeed(b);
    ignore(b);
    fail(b);
    fail(b);
    reject(b);
    reject(b);
    reject(b);
    reject(b);

    assertThat(calls(meters, "quotes", "success")).isEqualTo(3.0);
    assertThat(calls(meters, "quotes", "failure")).isEqualTo(2.0);
    assertThat(calls(meters, "quotes", "rejected")).isEqualTo(4.0);
    assertThat(calls(meters, "quotes", "ignored")).isEqualTo(1.0);
  }

  @Test
  void callsMadeBeforeBindingAreIncluded() {
    CircuitBreaker b = breaker("quotes", clock);
    succeed(b);
    bind(CircuitBreakerMetrics.of(b));
    succeed(b);
    assertThat(calls(meters, "quotes", "success")).isEqualTo(2.0);
  }

  @Test
  void transitionsAreCountedBySourceAndTarget() {
    CircuitBreaker b = breaker("quotes", clock);
    bind(CircuitBreakerMetrics.of(b));
    assertThat(transitions(meters, "quotes", "CLOSED", "OPEN")).as("registered at 0").isZero();

    fail(b);
    fail(b);                                 // CLOSED -> OPEN
    clock.advance(RECOVERY);
    fail(b);                                 // OPEN -> HALF_OPEN, HALF_OPEN -> OPEN
    clock.advance(RECOVERY);
    succeed(b);                              // OPEN -> HALF_OPEN, HALF_OPEN -> CLOSED
    b.forceOpen();                           // CLOSED -> OPEN
    b.reset();                               // OPEN -> CLOSED

    assertThat(transitions(meters, "quotes", "CLOSED", "OPEN")).isEqualTo(2.0);
    assertThat(transitions(meters, "quotes", "OPEN", "HALF_OPEN")).isEqualTo(2.0);
    assertThat(transitions(meters, "quotes", "HALF_OPEN", "OPEN")).isEqualTo(1.0);
    assertThat(transitions(meters, "quotes", "HALF_OPEN", "CLOSED")).isEqualTo(1.0);
    assertThat(transitions(meters, "quotes", "OPEN", "CLOSED")).isEqualTo(1.0);
    assertThat(transitions(meters, "quotes", "CLOSED", "HALF_OPEN")).isZero();
    assertThat(meters.find(BreakerMeters.TRANSITIONS).counters()).as("six pairs, no self-transitions").hasSize(6);
  }

  @Test
  void failureCountAndThresholdAreGauges() {
    CircuitBreaker b = breaker("quotes", clock);
    bind(CircuitBreakerMetrics.of(b));
    fail(b);
    assertThat(meters.get(BreakerMeters.FAILURE_COUNT).tag("name", "quotes").gauge().value()).isEqualTo(1.0);
    assertThat(meters.get(BreakerMeters.FAILURE_THRESHOLD).tag("name", "quotes").gauge().value()).isEqualTo(2.0);
    succeed(b);
    assertThat(meters.get(BreakerMeters.FAILURE_COUNT).tag("name", "quotes").gauge().value()).isZero();
  }

  @Test
  void aFailureRateBreakerPublishesItsRateAndRateThresholdInsteadOfAConsecutiveThreshold() {
    CircuitBreaker b = CircuitBreaker.of("rates", CircuitBreakerConfig.builder()
        .tripPolicy(TripPolicy.failureRate(75, SlidingWindow.ofCalls(10), 4))
        .recoveryTimeout(RECOVERY)
        .clock(clock)
        .build());
    bind(CircuitBreakerMetrics.of(b));
    assertThat(meters.get(BreakerMeters.FAILURE_RATE).tag("name", "rates").gauge().value()).isNaN();
    succeed(b);
    fail(b);
    assertThat(meters.get(BreakerMeters.FAILURE_RATE).tag("name", "rates").gauge().value()).isEqualTo(50.0);
    assertThat(meters.get(BreakerMeters.FAILURE_RATE_THRESHOLD).tag("name", "rates").gauge().value())
        .isEqualTo(75.0);
    assertThat(meters.find(BreakerMeters.FAILURE_THRESHOLD).gauges()).isEmpty();
  }

  @Test
  void aScrapeRunsNoListenerAndCountsOnlyTheTransitionsMade() {
    CircuitBreaker b = breaker("quotes", clock);
    CircuitBreakerMetrics metrics = CircuitBreakerMetrics.of(b);
    bind(metrics);
    AtomicInteger listenerRuns = new AtomicInteger();
    b.onStateTransition(t -> listenerRuns.incrementAndGet());
    fail(b);
    fail(b);
    clock.advance(RECOVERY);

    metrics.refresh();
    assertThat(state(meters, "quotes", "half_open")).as("the state as due").isEqualTo(1.0);
    assertThat(transitions(meters, "quotes", "OPEN", "HALF_OPEN")).as("not made yet").isZero();
    assertThat(listenerRuns).hasValue(1);

    succeed(b);
    assertThat(transitions(meters, "quotes", "OPEN", "HALF_OPEN")).isEqualTo(1.0);
    assertThat(transitions(meters, "quotes", "HALF_OPEN", "CLOSED")).isEqualTo(1.0);
    assertThat(state(meters, "quotes", "closed")).isEqualTo(1.0);
  }

  @Test
  void everyBreakerGetsFifteenMetersTaggedWithItsName() {
    bind(CircuitBreakerMetrics.of(breaker("a", clock), breaker("b", clock)));
    Map<String, Long> byName = meters.getMeters().stream()
        .collect(Collectors.groupingBy(m -> m.getId().getTag("name"), Collectors.counting()));
    assertThat(byName).containsExactlyInAnyOrderEntriesOf(Map.of("a", 15L, "b", 15L));
  }

  @Test
  void commonTagsAreAddedToEveryMeterAndLeaveTheOriginalUnchanged() {
    CircuitBreaker b = breaker("quotes", clock);
    CircuitBreakerMetrics plain = CircuitBreakerMetrics.of(b);
    CircuitBreakerMetrics tagged = plain.tags(Tags.of("service", "dashboard")).tags(List.of(Tag.of("zone", "z1")));
    bind(tagged);
    for (Meter m : meters.getMeters()) {
      assertThat(m.getId().getTag("service")).as("%s", m.getId()).isEqualTo("dashboard");
      assertThat(m.getId().getTag("zone")).as("%s", m.getId()).isEqualTo("z1");
    }
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    plain.bindTo(other);
    assertThat(other.getMeters()).allSatisfy(m -> assertThat(m.getId().getTag("service")).isNull());
    plain.close();
  }

  @Test
  void reservedTagKeysAreRefused() {
    CircuitBreakerMetrics m = CircuitBreakerMetrics.of(breaker("quotes", clock));
    assertThatThrownBy(() -> m.tags(Tags.of("name", "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'name'");
    assertThatThrownBy(() -> m.tags(Tags.of("outcome", "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'outcome'");
    assertThatThrownBy(() -> m.tags(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("extra");
  }

  @Test
  void invalidArgumentsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> CircuitBreakerMetrics.of((CircuitBreakerRegistry) null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("registry must not be null, was null");
    assertThatThrownBy(() -> CircuitBreakerMetrics.of())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("breakers must not be empty, was empty");
    assertThatThrownBy(() -> CircuitBreakerMetrics.of(breaker("a", clock), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("breakers[1] must not be null, was null");
    assertThatThrownBy(() -> CircuitBreakerMetrics.of(breaker("a", clock), breaker("a", clock)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a' is given twice");
    assertThatThrownBy(() -> CircuitBreakerMetrics.of(breaker("a", clock)).bindTo(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("meters must not be null, was null");
  }

  @Test
  void anInstanceBindsOnceAndNotAfterClose() {
    CircuitBreakerMetrics m = bind(CircuitBreakerMetrics.of(breaker("a", clock)));
    assertThatThrownBy(() -> m.bindTo(new SimpleMeterRegistry()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already bound");
    CircuitBreakerMetrics closed = CircuitBreakerMetrics.of(breaker("b", clock));
    closed.close();
    assertThatThrownBy(() -> closed.bindTo(meters))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void closeStopsCountingTransitionsButKeepsTheMetersReading() {
    CircuitBreaker b = breaker("quotes", clock);
    CircuitBreakerMetrics m = bind(CircuitBreakerMetrics.of(b));
    fail(b);
    fail(b);
    assertThat(transitions(meters, "quotes", "CLOSED", "OPEN")).isEqualTo(1.0);

    m.close();
    m.close();
    b.reset();
    fail(b);
    fail(b);
    assertThat(transitions(meters, "quotes", "OPEN", "CLOSED")).isZero();
    assertThat(transitions(meters, "quotes", "CLOSED", "OPEN")).isEqualTo(1.0);
    assertThat(state(meters, "quotes", "open")).as("gauges still read the breaker").isEqualTo(1.0);
  }

  @Test
  void closeOfARegistryBinderStopsCountingAndBindingNewBreakers() {
    CircuitBreakerRegistry registry = new CircuitBreakerRegistry();
    CircuitBreaker a = registry.register("a", breaker("a", clock));
    CircuitBreakerMetrics m = bind(CircuitBreakerMetrics.of(registry));
    m.close();
    fail(a);
    fail(a);
    CircuitBreaker late = registry.register("late", breaker("late", clock));
    fail(late);
    fail(late);
    m.refresh();
    assertThat(transitions(meters, "a", "CLOSED", "OPEN")).isZero();
    assertThat(meters.find(BreakerMeters.STATE).tag("name", "late").gauges()).isEmpty();
  }

  @Test
  void aRegistryBinderBindsEveryBreakerRegisteredBeforeBinding() {
    CircuitBreakerRegistry registry = new CircuitBreakerRegistry();
    registry.register("a", breaker("a", clock));
    registry.register("b", breaker("b", clock));
    bind(CircuitBreakerMetrics.of(registry));
    assertThat(state(meters, "a", "closed")).isEqualTo(1.0);
    assertThat(state(meters, "b", "closed")).isEqualTo(1.0);
  }

  @Test
  void aBreakerRegisteredAfterBindingGetsItsMetersOnItsFirstTransitionWhichIsCounted() {
    CircuitBreakerRegistry registry = new CircuitBreakerRegistry();
    bind(CircuitBreakerMetrics.of(registry));
    CircuitBreaker late = registry.register("late", breaker("late", clock));
    succeed(late);
    assertThat(meters.find(BreakerMeters.STATE).tag("name", "late").gauges()).as("no transition yet").isEmpty();

    fail(late);
    fail(late);
    assertThat(state(meters, "late", "open")).isEqualTo(1.0);
    assertThat(transitions(meters, "late", "CLOSED", "OPEN")).isEqualTo(1.0);
    assertThat(calls(meters, "late", "success")).isEqualTo(1.0);
    assertThat(calls(meters, "late", "failure")).isEqualTo(2.0);
  }

  @Test
  void refreshBindsBreakersRegisteredSinceAndRemovesTheMetersOfRemovedOnes() {
    CircuitBreakerRegistry registry = new CircuitBreakerRegistry();
    registry.register("gone", breaker("gone", clock));
    CircuitBreakerMetrics m = bind(CircuitBreakerMetrics.of(registry));
    registry.register("late", breaker("late", clock));
    registry.remove("gone");

    m.refresh();
    assertThat(state(meters, "late", "closed")).isEqualTo(1.0);
    assertThatThrownBy(() -> state(meters, "gone", "closed")).isInstanceOf(MeterNotFoundException.class);
    assertThat(meters.getMeters()).hasSize(15);
    m.refresh();
    assertThat(meters.getMeters()).as("nothing changed").hasSize(15);
  }

  @Test
  void refreshIsANoOpForFixedBreakersAndBeforeBinding() {
    CircuitBreakerRegistry registry = new CircuitBreakerRegistry();
    registry.register("a", breaker("a", clock));
    CircuitBreakerMetrics unbound = CircuitBreakerMetrics.of(registry);
    unbound.refresh();
    assertThat(meters.getMeters()).isEmpty();

    CircuitBreakerMetrics m = bind(CircuitBreakerMetrics.of(breaker("x", clock)));
    m.refresh();
    assertThat(meters.getMeters()).hasSize(15);
  }

  @Test
  void aReplacedBreakerKeepsItsMetersWhichReadTheNewInstanceAndCarryTheOldCounts() {
    CircuitBreakerRegistry registry = new CircuitBreakerRegistry();
    CircuitBreaker old = registry.register("a", breaker("a", clock));
    bind(CircuitBreakerMetrics.of(registry));
    succeed(old);
    succeed(old);
    fail(old);
    fail(old);
    assertThat(calls(meters, "a", "success")).isEqualTo(2.0);
    assertThat(state(meters, "a", "open")).isEqualTo(1.0);

    CircuitBreaker replacement = registry.register("a", breaker("a", clock));
    succeed(replacement);
    assertThat(state(meters, "a", "open")).isZero();
    assertThat(state(meters, "a", "closed")).isEqualTo(1.0);
    assertThat(calls(meters, "a", "success")).isEqualTo(3.0);
    assertThat(calls(meters, "a", "failure")).isEqualTo(2.0);

    replacement.forceOpen();
    assertThat(transitions(meters, "a", "CLOSED", "OPEN")).as("old trip + new force-open").isEqualTo(2.0);
    assertThat(meters.getMeters()).hasSize(15);
  }

  @Test
  void toStringNamesTheBreakers() {
    assertThat(CircuitBreakerMetrics.of(breaker("a", clock), breaker("b", clock)).tags(Tags.of("k", "v")))
        .hasToString("CircuitBreakerMetrics[a, b][tag(k=v)]");
  }
}
