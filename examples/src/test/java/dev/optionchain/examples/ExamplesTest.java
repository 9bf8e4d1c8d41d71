package dev.optionchain.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerConfig;
import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.breaker.CircuitBreakerState;
import dev.optionchain.breaker.StateTransition;
import dev.optionchain.breaker.testing.ManualClock;
import dev.optionchain.marketsim.MarketSim;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Runs every sample of the README and the docs, and checks it does what the text around it says. */
class ExamplesTest {

  private static final LocalDate EXPIRATION = LocalDate.of(2026, 12, 18);

  @Test
  void readmeSampleServesTheCacheOnceTheBreakerIsOpen() {
    AtomicBoolean down = new AtomicBoolean();
    AtomicInteger calls = new AtomicInteger();
    QuickStart sample = new QuickStart((symbol, expiration) -> {
      calls.incrementAndGet();
      if (down.get()) {
        throw new IllegalStateException("upstream down");
      }
      return new QuickStart.Chain(symbol, expiration);
    });
    assertThat(sample.aaplChain(EXPIRATION)).isEqualTo(new QuickStart.Chain("AAPL", EXPIRATION));
    down.set(true);
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> sample.aaplChain(EXPIRATION)).hasMessage("upstream down");
    }
    assertThat(sample.breaker().isOpen()).isTrue();
    assertThat(sample.aaplChain(EXPIRATION)).as("from the cache").isEqualTo(new QuickStart.Chain("AAPL", EXPIRATION));
    assertThat(calls).hasValue(4);
  }

  @Test
  void readmeSampleWithNothingCachedTellsWhenToRetry() {
    QuickStart sample = new QuickStart((symbol, expiration) -> {
      throw new IllegalStateException("upstream down");
    });
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> sample.aaplChain(EXPIRATION)).isInstanceOf(IllegalStateException.class);
    }
    assertThatThrownBy(() -> sample.aaplChain(EXPIRATION)).isInstanceOfSatisfying(QuickStart.ServiceUnavailable.class,
        e -> assertThat(e.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(90)));
  }

  @Test
  void basicCallRuns() {
    AtomicInteger calls = new AtomicInteger();
    QuickStart.basicCall((symbol, expiration) -> {
      calls.incrementAndGet();
      return new QuickStart.Chain(symbol, expiration);
    }, EXPIRATION);
    assertThat(calls).hasValue(1);
  }

  @Test
  void configurationSamplesBuild() {
    assertThat(Configuration.shared()).extracting(CircuitBreaker::getName).containsExactly("current_price",
        "ticker_info");
    CircuitBreakerConfig rate = Configuration.rate();
    assertThat(rate.slowCallDuration()).contains(Duration.ofSeconds(2));
  }

  @Test
  void registrySampleSeesEveryBreakerAndDeliversTheirTransitions() {
    Queue<StateTransition> alerts = new ConcurrentLinkedQueue<>();
    CircuitBreakerRegistry registry = Registry.tour(CircuitBreakerConfig.builder().failureThreshold(3).build(),
        alerts);
    assertThat(registry.getAll()).containsOnlyKeys("current_price", "options_chain");
    assertThat(registry.getOpenBreakers()).containsExactly("options_chain");
    assertThat(alerts).extracting(StateTransition::to).containsExactly(CircuitBreakerState.OPEN);
  }

  @Test
  void fleetHooksAdoptOtherInstancesDecisionsAndPublishOnlyLocalOnes() {
    CircuitBreaker breaker = CircuitBreaker.of("options_chain", 3, Duration.ofSeconds(90));
    List<StateTransition> published = new java.util.ArrayList<>();
    AtomicReference<Consumer<FleetHooks.Message>> handler = new AtomicReference<>();
    FleetHooks.wire(breaker, new FleetHooks.Fleet() {
      @Override
      public void publish(StateTransition transition) {
        published.add(transition);
      }

      @Override
      public void onMessage(Consumer<FleetHooks.Message> h) {
        handler.set(h);
      }
    });
    handler.get().accept(new FleetHooks.Message(true, Duration.ofSeconds(30), "b-8081", "3 consecutive failures"));
    assertThat(breaker.isOpen()).isTrue();
    handler.get().accept(new FleetHooks.Message(false, Duration.ZERO, "b-8081", "trial call succeeded"));
    assertThat(breaker.isClosed()).isTrue();
    assertThat(published).as("adopted transitions are not echoed").isEmpty();
    breaker.forceOpen();
    assertThat(published).extracting(StateTransition::to).containsExactly(CircuitBreakerState.OPEN);
  }

  @Test
  void micrometerSamplePublishesTheRegistrysBreakers() {
    CircuitBreakerRegistry registry = new CircuitBreakerRegistry();
    registry.register("current_price", CircuitBreaker.of("current_price"));
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    AtomicInteger seen = new AtomicInteger();
    Metrics.bind(registry, meters, () -> seen.set((int) meters.getMeters().stream()
        .filter(m -> "current_price".equals(m.getId().getTag("name"))).count()));
    assertThat(seen.get()).isPositive();
  }

  @Test
  void manualClockSampleTripsAndRecoversWithoutSleeping() {
    Callable<String> failing = () -> {
      throw new IOException("upstream down");
    };
    // tag::manual-clock[]
    ManualClock clock = new ManualClock();                       // 2026-01-01T00:00:00Z
    CircuitBreaker breaker = CircuitBreaker.of("quotes", CircuitBreakerConfig.builder()
        .failureThreshold(2).recoveryTimeout(Duration.ofSeconds(30)).clock(clock).build());

    assertThrows(IOException.class, () -> breaker.callChecked(failing));
    assertThrows(IOException.class, () -> breaker.callChecked(failing));
    assertTrue(breaker.isOpen());
    clock.advance(Duration.ofSeconds(30));
    assertTrue(breaker.isHalfOpen());                            // exactly at the timeout, no sleeping
    // end::manual-clock[]
  }

  @Test
  void readmeSimulatorAnswersTheTokenHolder() {
    assertThat(EmbeddedSimulator.readme(new SettableClock(Instant.parse("2026-03-18T15:00:00Z"))))
        .contains("\"symbol\":\"AAPL\"");
  }

  @Test
  void everySimulatorOptionStartsARunningSimulator() {
    List<Object> seen = EmbeddedSimulator.everyOption(new SettableClock(Instant.parse("2026-03-18T15:00:00Z")));
    assertThat(seen.get(0).toString()).startsWith("http://localhost:");
    assertThat((Integer) seen.get(1)).isPositive();
    assertThat(seen.get(2).toString()).contains("AAPL");
  }

  @Test
  void aSettableClockEndsAFaultWithoutSleeping() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    // tag::settable-clock-use[]
    SettableClock clock = new SettableClock(Instant.parse("2026-03-18T15:00:00Z"));
    try (MarketSim sim = MarketSim.builder().clock(clock).start()) {
      URI base = URI.create(sim.baseUrl());
      http.send(HttpRequest.newBuilder(base.resolve("/sim/faults"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"endpoint\":\"quotes\",\"mode\":\"outage\",\"durationSeconds\":30}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      // quotes fail now ...
    // end::settable-clock-use[]
      HttpRequest quote = HttpRequest.newBuilder(base.resolve("/v1/markets/quotes?symbols=AAPL")).build();
      assertThat(http.send(quote, HttpResponse.BodyHandlers.ofString()).statusCode()).isGreaterThanOrEqualTo(500);
    // tag::settable-clock-use[]
      clock.advance(Duration.ofSeconds(30));            // ... and the outage is over: no sleep needed
    // end::settable-clock-use[]
      assertThat(http.send(quote, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    // tag::settable-clock-use[]
    }
    // end::settable-clock-use[]
  }
}
