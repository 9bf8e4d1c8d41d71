package dev.optionchain.breaker;

import static dev.optionchain.breaker.BreakerTestSupport.consecutive;
import static dev.optionchain.breaker.BreakerTestSupport.failOnce;
import static dev.optionchain.breaker.BreakerTestSupport.succeedOnce;
import static dev.optionchain.breaker.BreakerTestSupport.tripOpen;
import static dev.optionchain.breaker.CircuitBreakerState.CLOSED;
import static dev.optionchain.breaker.CircuitBreakerState.HALF_OPEN;
import static dev.optionchain.breaker.CircuitBreakerState.OPEN;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.optionchain.breaker.BreakerTestSupport.Boom;
import dev.optionchain.breaker.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Listeners run outside any lock calls or transitions need, their failures are contained, and reading a breaker never
 * runs them.
 */
class ListenerContainmentTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final ManualClock clock = new ManualClock();
  private final CircuitBreaker breaker = CircuitBreaker.of("listeners", consecutive(clock, 2, 60));
  private final List<StateTransition> events = new CopyOnWriteArrayList<>();
  private final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void stop() throws InterruptedException {
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, SECONDS)).isTrue();
  }

  /** An Error that is not a VirtualMachineError, as a listener bug might throw (AssertionError, LinkageError ...). */
  static final class ListenerBug extends Error {
    private static final long serialVersionUID = 1L;

    ListenerBug() {
      super("listener bug");
    }
  }

  @Test
  void anErrorThrownByAListenerNeverReachesTheCallerNorChangesTheOutcomeNorStarvesLaterListeners() {
    breaker.onStateTransition(e -> {
      throw new ListenerBug();
    });
    breaker.onStateTransition(events::add);

    failOnce(breaker);
    assertThatThrownBy(() -> breaker.call(() -> {
      throw new Boom();
    })).as("the call's own exception, not the listener's").isInstanceOf(Boom.class);
    assertThat(breaker.isOpen()).isTrue();

    clock.advance(TIMEOUT);
    assertThat(breaker.call(() -> "trial runs")).isEqualTo("trial runs");
    assertThat(breaker.isClosed()).isTrue();
    assertThat(events).extracting(StateTransition::to).containsExactly(OPEN, HALF_OPEN, CLOSED);
  }

  @Test
  void aVirtualMachineErrorFromAListenerPropagatesAndDeliveryCarriesOnAfterwards() {
    AtomicInteger calls = new AtomicInteger();
    breaker.onStateTransition(e -> {
      if (calls.incrementAndGet() == 1) {
        throw new StackOverflowError("simulated");
      }
    });
    breaker.onStateTransition(events::add);
    failOnce(breaker);

    assertThatThrownBy(() -> breaker.call(() -> {
      throw new Boom();
    })).isInstanceOf(StackOverflowError.class);
    assertThat(breaker.isOpen()).as("the transition happened before delivery").isTrue();

    breaker.reset();
    assertThat(events).extracting(StateTransition::to).containsExactly(CLOSED);
    assertThat(calls).hasValue(2);
  }

  @Test
  void readingTheStateNeverRunsAListener() {
    AtomicInteger runs = new AtomicInteger();
    breaker.onStateTransition(e -> runs.incrementAndGet());
    CircuitBreakerRegistry registry = new CircuitBreakerRegistry();
    registry.register("listeners", breaker);
    tripOpen(breaker, 2);
    assertThat(runs).hasValue(1);
    clock.advance(TIMEOUT.multipliedBy(3));

    assertThat(breaker.getState()).isEqualTo(HALF_OPEN);
    assertThat(breaker.isOpen()).isFalse();
    assertThat(breaker.isHalfOpen()).isTrue();
    assertThat(breaker.getStatus().state()).isEqualTo(HALF_OPEN);
    assertThat(breaker.snapshot().state()).isEqualTo(HALF_OPEN);
    assertThat(registry.getStatusAll()).containsKey("listeners");
    assertThat(registry.getHalfOpenBreakers()).containsExactly("listeners");
    assertThat(breaker.toString()).contains("HALF_OPEN");

    assertThat(runs).as("no reader ran the listener").hasValue(1);
  }

  @Test
  void aBlockedListenerHoldsUpNeitherCallsNorOtherThreadsTransitions() throws Exception {
    CountDownLatch inListener = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    breaker.onStateTransition(e -> {
      events.add(e);
      if (e.to() == OPEN && inListener.getCount() > 0) {
        inListener.countDown();
        try {
          release.await(30, SECONDS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    });
    Future<?> tripper = executor.submit(() -> tripOpen(breaker, 2));
    assertThat(inListener.await(10, SECONDS)).isTrue();

    // the tripping thread is stuck in its listener: other threads still call, reset and trip
    Future<?> other = executor.submit(() -> {
      assertThatThrownBy(() -> breaker.call(() -> "x")).isInstanceOf(CircuitBreakerOpenException.class);
      breaker.reset();
      succeedOnce(breaker);
      tripOpen(breaker, 2);
      breaker.reset();
    });
    other.get(10, SECONDS);
    assertThat(breaker.isClosed()).isTrue();
    assertThat(events).as("the later transitions wait for the stuck delivery, in order").hasSize(1);

    release.countDown();
    tripper.get(10, SECONDS);
    assertThat(events).extracting(StateTransition::from, StateTransition::to).containsExactly(
        org.assertj.core.groups.Tuple.tuple(CLOSED, OPEN), org.assertj.core.groups.Tuple.tuple(OPEN, CLOSED),
        org.assertj.core.groups.Tuple.tuple(CLOSED, OPEN), org.assertj.core.groups.Tuple.tuple(OPEN, CLOSED));
  }

  @Test
  void aThrowingTrialGateIsContainedLoggedAndTakenAsPermission() {
    CircuitBreaker gated = CircuitBreaker.of("gated", CircuitBreakerConfig.builder().failureThreshold(1)
        .recoveryTimeout(TIMEOUT).clock(clock).trialGate(name -> {
          throw new IllegalStateException("fleet layer bug");
        }).build());
    failOnce(gated);
    clock.advance(TIMEOUT);
    assertThat(gated.call(() -> "trial")).isEqualTo("trial");
    assertThat(gated.isClosed()).isTrue();
  }
}
