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
import static org.assertj.core.api.Assertions.tuple;

import dev.optionchain.breaker.BreakerTestSupport.Boom;
import dev.optionchain.breaker.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StateTransitionListenerTest {

  private static final Instant START = Instant.parse("2026-01-26T11:05:56Z");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final ManualClock clock = new ManualClock(START);
  private final CircuitBreaker breaker = CircuitBreaker.of("quotes", consecutive(clock, 3, 60));
  private final List<StateTransition> events = new CopyOnWriteArrayList<>();

  /** Kept in a field: java.util.logging holds loggers weakly. */
  private final Logger julLogger = Logger.getLogger("dev.optionchain.breaker.CircuitBreaker");
  private final List<LogRecord> logRecords = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      logRecords.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private ExecutorService executor;

  @BeforeEach
  void captureLogs() {
    capture.setLevel(Level.ALL);
    julLogger.addHandler(capture);
  }

  @AfterEach
  void releaseLogsAndThreads() throws InterruptedException {
    julLogger.removeHandler(capture);
    if (executor != null) {
      executor.shutdownNow();
      assertThat(executor.awaitTermination(10, SECONDS)).isTrue();
    }
  }

  /** Walks the breaker through every kind of transition, one second apart; returns the instant of each. */
  private List<Instant> walkThroughEveryTransition() {
    List<Instant> at = new ArrayList<>();
    tripOpen(breaker, 3);
    at.add(clock.now());
    clock.advance(TIMEOUT);
    assertThat(breaker.getState()).isEqualTo(HALF_OPEN);
    at.add(clock.now());
    clock.advance(Duration.ofSeconds(1));
    failOnce(breaker);
    at.add(clock.now());
    clock.advance(TIMEOUT);
    assertThat(breaker.getState()).isEqualTo(HALF_OPEN);
    at.add(clock.now());
    clock.advance(Duration.ofSeconds(1));
    succeedOnce(breaker);
    at.add(clock.now());
    clock.advance(Duration.ofSeconds(1));
    breaker.forceOpen();
    at.add(clock.now());
    clock.advance(Duration.ofSeconds(1));
    breaker.reset();
    at.add(clock.now());
    return at;
  }

  // ------------------------------------------------------------------------------------------------ content

  @Test
  void listenerReceivesNameStatesInstantAndReasonOfEveryTransition() {
    breaker.onStateTransition(events::add);

    List<Instant> at = walkThroughEveryTransition();

    assertThat(events)
        .extracting(StateTransition::breakerName, StateTransition::from, StateTransition::to, StateTransition::at)
        .containsExactly(
            tuple("quotes", CLOSED, OPEN, at.get(0)),
            tuple("quotes", OPEN, HALF_OPEN, at.get(1)),
            tuple("quotes", HALF_OPEN, OPEN, at.get(2)),
            tuple("quotes", OPEN, HALF_OPEN, at.get(3)),
            tuple("quotes", HALF_OPEN, CLOSED, at.get(4)),
            tuple("quotes", CLOSED, OPEN, at.get(5)),
            tuple("quotes", OPEN, CLOSED, at.get(6)));
    assertThat(events).extracting(StateTransition::reason).satisfiesExactly(
        r -> assertThat(r).contains("3 consecutive failures"),
        r -> assertThat(r).contains("recovery timeout elapsed"),
        r -> assertThat(r).contains("trial call failed"),
        r -> assertThat(r).contains("recovery timeout elapsed"),
        r -> assertThat(r).contains("trial call succeeded"),
        r -> assertThat(r).contains("forced open"),
        r -> assertThat(r).contains("reset"));
  }

  @Test
  void resetOfAClosedBreakerDeliversNothing() {
    breaker.onStateTransition(events::add);

    breaker.reset();
    failOnce(breaker);
    breaker.reset();

    assertThat(events).isEmpty();
  }

  // ------------------------------------------------------------------------------------------------ delivery

  @Test
  void listenerRunsOnTheCallingThread() throws Exception {
    executor = Executors.newSingleThreadExecutor();
    AtomicReference<Thread> listenerThread = new AtomicReference<>();
    breaker.onStateTransition(e -> listenerThread.set(Thread.currentThread()));

    Future<Thread> caller = executor.submit(() -> {
      tripOpen(breaker, 3);
      return Thread.currentThread();
    });

    Thread callerThread = caller.get(10, SECONDS);
    assertThat(callerThread).isNotSameAs(Thread.currentThread());
    assertThat(listenerThread.get()).isSameAs(callerThread);

    // adapted: a reader no longer runs listeners; the next call makes the transition and delivers it
    clock.advance(TIMEOUT);
    assertThat(breaker.getState()).isEqualTo(HALF_OPEN);
    assertThat(listenerThread.get()).as("getState() ran no listener").isSameAs(callerThread);
    succeedOnce(breaker);
    assertThat(listenerThread.get()).isSameAs(Thread.currentThread());
  }

  @Test
  void listenerSeesTheNewStateAlreadyInForce() {
    List<CircuitBreakerState> seen = new ArrayList<>();
    List<CircuitBreakerState> seenInStatus = new ArrayList<>();
    breaker.onStateTransition(e -> {
      seen.add(breaker.getState());
      seenInStatus.add(breaker.getStatus().state());
      events.add(e);
    });

    walkThroughEveryTransition();

    assertThat(seen).containsExactlyElementsOf(events.stream().map(StateTransition::to).toList());
    assertThat(seenInStatus).containsExactlyElementsOf(seen);
  }

  /** Adapted: observing used to make and deliver the transition; now only the next call does, dated as before. */
  @Test
  void lazyHalfOpenIsReportedByReadersAndDeliveredOnceByTheNextCall() {
    breaker.onStateTransition(events::add);
    tripOpen(breaker, 3);
    Instant due = clock.now().plus(TIMEOUT);
    clock.advance(TIMEOUT.plusSeconds(5));

    for (int i = 0; i < 100; i++) {
      assertThat(breaker.getState()).isEqualTo(HALF_OPEN);
      assertThat(breaker.isHalfOpen()).isTrue();
      assertThat(breaker.getStatus().state()).isEqualTo(HALF_OPEN);
      assertThat(breaker.getStatus().stateSince()).isEqualTo(due);
      assertThat(breaker.snapshot().state()).isEqualTo(HALF_OPEN);
    }
    assertThat(events).extracting(StateTransition::to).containsExactly(OPEN);

    succeedOnce(breaker);
    succeedOnce(breaker);

    assertThat(events).extracting(StateTransition::to).containsExactly(OPEN, HALF_OPEN, CLOSED);
    assertThat(events.get(1).at()).as("dated when the timeout elapsed").isEqualTo(due);
  }

  /** Adapted: the threads used to read the state; now they call, and exactly one makes the transition. */
  @Test
  void lazyHalfOpenReachedByManyThreadsAtOnceIsDeliveredOnce() throws Exception {
    int threads = 8;
    executor = Executors.newFixedThreadPool(threads);
    breaker.onStateTransition(events::add);
    tripOpen(breaker, 3);
    clock.advance(TIMEOUT);
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<CircuitBreakerState>> futures = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      futures.add(executor.submit(() -> {
        ready.countDown();
        assertThat(start.await(10, SECONDS)).isTrue();
        CircuitBreakerState seen = breaker.getState();
        try {
          breaker.call(() -> "ok");
        } catch (CircuitBreakerOpenException trialRunning) {
          // another thread holds the trial
        }
        return seen;
      }));
    }
    assertThat(ready.await(10, SECONDS)).isTrue();
    start.countDown();

    for (Future<CircuitBreakerState> f : futures) {
      assertThat(f.get(10, SECONDS)).isIn(HALF_OPEN, CLOSED);
    }
    assertThat(events).extracting(StateTransition::to).containsExactly(OPEN, HALF_OPEN, CLOSED);
  }

  @Test
  void everyListenerReceivesEveryTransitionOnceInOrder() {
    List<StateTransition> first = new ArrayList<>();
    List<StateTransition> second = new ArrayList<>();
    List<String> order = new ArrayList<>();
    breaker.onStateTransition(e -> {
      first.add(e);
      order.add("first " + e.to());
    });
    breaker.onStateTransition(e -> {
      second.add(e);
      order.add("second " + e.to());
    });

    tripOpen(breaker, 3);
    clock.advance(TIMEOUT);
    succeedOnce(breaker);

    assertThat(first).extracting(StateTransition::to).containsExactly(OPEN, HALF_OPEN, CLOSED);
    assertThat(second).containsExactlyElementsOf(first);
    assertThat(order).containsExactly("first OPEN", "second OPEN", "first HALF_OPEN", "second HALF_OPEN",
        "first CLOSED", "second CLOSED");
  }

  // ------------------------------------------------------------------------------------------------ failures

  @Test
  void throwingListenerBreaksNeitherTheCallNorTheBreakerNorLaterListeners() {
    breaker.onStateTransition(e -> {
      throw new IllegalStateException("listener bug");
    });
    breaker.onStateTransition(events::add);

    failOnce(breaker);
    failOnce(breaker);
    assertThatThrownBy(() -> breaker.call(() -> {
      throw new Boom();
    })).isInstanceOf(Boom.class);
    assertThat(breaker.isOpen()).isTrue();

    clock.advance(TIMEOUT);
    assertThat(breaker.call(() -> "trial value")).isEqualTo("trial value");

    assertThat(breaker.isClosed()).isTrue();
    assertThat(events).extracting(StateTransition::to).containsExactly(OPEN, HALF_OPEN, CLOSED);
  }

  @Test
  void throwingListenerIsLoggedAsAWarningWithItsException() {
    IllegalStateException bug = new IllegalStateException("listener bug");
    breaker.onStateTransition(e -> {
      throw bug;
    });

    tripOpen(breaker, 3);

    assertThat(logRecords)
        .filteredOn(r -> r.getLevel() == Level.WARNING)
        .singleElement()
        .satisfies(r -> {
          assertThat(r.getThrown()).isSameAs(bug);
          assertThat(r.getMessage()).contains("'quotes'").contains("listener");
        });
  }

  @Test
  void transitionCausedByAListenerIsDeliveredAfterTheCurrentOneToAllListeners() {
    List<StateTransition> resetter = new ArrayList<>();
    List<StateTransition> observer = new ArrayList<>();
    breaker.onStateTransition(e -> {
      resetter.add(e);
      if (e.to() == OPEN) {
        breaker.reset();
      }
    });
    breaker.onStateTransition(observer::add);

    tripOpen(breaker, 3);

    assertThat(resetter)
        .extracting(StateTransition::from, StateTransition::to, StateTransition::reason)
        .containsExactly(tuple(CLOSED, OPEN, "3 consecutive failures"), tuple(OPEN, CLOSED, "reset"));
    assertThat(observer).containsExactlyElementsOf(resetter);
    assertThat(breaker.isClosed()).isTrue();
  }

  // ------------------------------------------------------------------------------------------------ subscriptions

  @Test
  void closedSubscriptionStopsDeliveryAndClosingTwiceIsHarmless() {
    Subscription subscription = breaker.onStateTransition(events::add);
    tripOpen(breaker, 3);

    subscription.close();
    subscription.close();
    clock.advance(TIMEOUT);
    succeedOnce(breaker);

    assertThat(breaker.isClosed()).isTrue();
    assertThat(events).extracting(StateTransition::to).containsExactly(OPEN);
  }

  @Test
  void sameListenerSubscribedTwiceIsDeliveredTwiceUntilOneSubscriptionCloses() {
    Consumer<StateTransition> listener = events::add;
    Subscription first = breaker.onStateTransition(listener);
    breaker.onStateTransition(listener);

    tripOpen(breaker, 3);
    assertThat(events).extracting(StateTransition::to).containsExactly(OPEN, OPEN);

    first.close();
    breaker.reset();
    assertThat(events).extracting(StateTransition::to).containsExactly(OPEN, OPEN, CLOSED);
  }

  @Test
  void listenerMayCloseItsOwnSubscription() {
    AtomicReference<Subscription> self = new AtomicReference<>();
    self.set(breaker.onStateTransition(e -> {
      events.add(e);
      self.get().close();
    }));

    tripOpen(breaker, 3);
    breaker.reset();

    assertThat(events).extracting(StateTransition::to).containsExactly(OPEN);
  }

  /**
   * Main-code bug: Subscription promises that "after close() returns, the listener receives no further events", but a
   * listener closed by an earlier listener during a delivery still receives that event (delivery iterates a snapshot
   * of the listener list).
   */
  @Test
  void subscriptionClosedByAnotherListenerGetsNoFurtherEvents() {
    AtomicReference<Subscription> victim = new AtomicReference<>();
    breaker.onStateTransition(e -> victim.get().close());
    victim.set(breaker.onStateTransition(events::add));

    tripOpen(breaker, 3);

    assertThat(events).isEmpty();
  }

  @Test
  void onStateTransitionRejectsANullListener() {
    assertThatThrownBy(() -> breaker.onStateTransition(null)).isInstanceOf(NullPointerException.class);
  }

  // ------------------------------------------------------------------------------------------------ logging

  @Test
  void tripIsLoggedOnceAtSevereWithTimestampNameStatesAndReason() {
    tripOpen(breaker, 3);

    assertThat(transitionRecords())
        .singleElement()
        .satisfies(r -> {
          assertThat(r.getLevel()).isEqualTo(Level.SEVERE);
          assertThat(r.getMessage())
              .contains("2026-01-26T11:05:56Z")
              .contains("'quotes'")
              .contains("CLOSED -> OPEN")
              .contains("3 consecutive failures");
        });
  }

  @Test
  void recoveryTransitionsAreLoggedAtInfo() {
    tripOpen(breaker, 3);
    clock.advance(TIMEOUT);
    assertThat(breaker.isHalfOpen()).isTrue();
    clock.advance(Duration.ofMillis(250));
    succeedOnce(breaker);

    assertThat(transitionRecords())
        .extracting(LogRecord::getLevel, LogRecord::getMessage)
        .containsExactly(
            tuple(Level.SEVERE,
                "2026-01-26T11:05:56Z CircuitBreaker 'quotes' transitioning CLOSED -> OPEN (3 consecutive failures)"),
            tuple(Level.INFO,
                "2026-01-26T11:06:56Z CircuitBreaker 'quotes' transitioning OPEN -> HALF_OPEN (recovery timeout "
                    + "elapsed)"),
            tuple(Level.INFO,
                "2026-01-26T11:06:56.250Z CircuitBreaker 'quotes' transitioning HALF_OPEN -> CLOSED (trial call "
                    + "succeeded)"));
  }

  @Test
  void failedTrialIsLoggedAtSevere() {
    tripOpen(breaker, 3);
    clock.advance(TIMEOUT);
    failOnce(breaker);

    assertThat(transitionRecords())
        .extracting(LogRecord::getLevel)
        .containsExactly(Level.SEVERE, Level.INFO, Level.SEVERE);
    assertThat(transitionRecords().get(2).getMessage()).contains("HALF_OPEN -> OPEN").contains("trial call failed");
  }

  /** Log records of this test's breaker that describe a change of state. */
  private List<LogRecord> transitionRecords() {
    return logRecords.stream()
        .filter(r -> r.getMessage() != null && r.getMessage().contains("'quotes' transitioning"))
        .toList();
  }
}
