package dev.optionchain.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.breaker.BreakerTestSupport.Boom;
import dev.optionchain.breaker.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Invariants under many threads sharing one breaker. Latches and barriers, never sleeps. */
class ConcurrencyTest {

  private static final int THREADS = 8;

  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
  private final ManualClock clock = new ManualClock();

  @AfterEach
  void shutDown() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /** Runs {@code task} on every thread at once and waits for all. */
  private void onAllThreads(Runnable task) throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      futures.add(pool.submit(() -> {
        start.await(10, TimeUnit.SECONDS);
        task.run();
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
  }

  @RepeatedTest(30)
  void openStopsTrafficAfterAtMostThresholdPlusThreadsMinusOneInvocations() throws Exception {
    int threshold = 5;
    CircuitBreaker breaker = CircuitBreaker.of("c", CircuitBreakerConfig.builder()
        .failureThreshold(threshold).recoveryTimeout(Duration.ofHours(1)).clock(clock).build());
    AtomicInteger invocations = new AtomicInteger();
    onAllThreads(() -> {
      for (;;) {
        try {
          breaker.call(() -> {
            invocations.incrementAndGet();
            throw new Boom();
          });
        } catch (CircuitBreakerOpenException rejected) {
          return;
        } catch (Boom expected) {
          // keep failing until rejected
        }
      }
    });
    assertThat(breaker.isOpen()).isTrue();
    assertThat(invocations.get()).isBetween(threshold, threshold + THREADS - 1);
  }

  @RepeatedTest(20)
  void halfOpenAdmitsExactlyTheConfiguredTrialsAtOnce() throws Exception {
    int trials = 3;
    CircuitBreaker breaker = CircuitBreaker.of("c", CircuitBreakerConfig.builder()
        .failureThreshold(1).recoveryTimeout(Duration.ofSeconds(1)).trialCalls(trials).successesToClose(trials)
        .clock(clock).build());
    BreakerTestSupport.failOnce(breaker);
    clock.advance(Duration.ofSeconds(1));
    CountDownLatch rejectionsSeen = new CountDownLatch(THREADS - trials);
    AtomicInteger admitted = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    onAllThreads(() -> {
      try {
        breaker.call(() -> {
          admitted.incrementAndGet();
          try {
            // hold the trial until every other thread has been turned away
            assertThat(rejectionsSeen.await(10, TimeUnit.SECONDS)).isTrue();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return "ok";
        });
      } catch (CircuitBreakerOpenException e) {
        assertThat(e.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
        rejected.incrementAndGet();
        rejectionsSeen.countDown();
      }
    });
    assertThat(admitted).hasValue(trials);
    assertThat(rejected).hasValue(THREADS - trials);
    assertThat(breaker.isClosed()).isTrue();
  }

  @Test
  void countsLoseNoUpdates() throws Exception {
    CircuitBreaker breaker = CircuitBreaker.of("c", CircuitBreakerConfig.builder()
        .failureThreshold(Integer.MAX_VALUE).clock(clock).build());
    int perThread = 50_000;
    onAllThreads(() -> {
      for (int i = 0; i < perThread; i++) {
        if (i % 10 == 0) {
          try {
            breaker.call(() -> {
              throw new Boom();
            });
          } catch (Boom expected) {
            // counted
          }
        } else {
          breaker.call(() -> "ok");
        }
      }
    });
    CircuitBreakerStatus status = breaker.getStatus();
    assertThat(status.successfulCalls()).isEqualTo(THREADS * perThread * 9L / 10);
    assertThat(status.failedCalls()).isEqualTo(THREADS * perThread / 10L);
  }

  /**
   * Found in review: the status read the counters before the baseline of the last reset, so a reset (with calls) in
   * between made the counts "since reset" negative (-43,149 successful calls after 2,407 reads).
   */
  @Test
  void statusCountsNeverGoNegativeWhileResetsRaceCallsAndReaders() throws Exception {
    Logger log = Logger.getLogger(CircuitBreaker.class.getName()); // a reset is logged: keep the storm quiet
    Level level = log.getLevel();
    log.setLevel(Level.WARNING);
    CircuitBreaker breaker = CircuitBreaker.of("c", CircuitBreakerConfig.builder()
        .failureThreshold(Integer.MAX_VALUE).clock(clock).build());
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch running = new CountDownLatch(2);
    Future<?> caller = pool.submit(() -> {
      running.countDown();
      while (!stop.get()) {
        breaker.call(() -> "ok");
      }
    });
    Future<?> resetter = pool.submit(() -> {
      running.countDown();
      while (!stop.get()) {
        breaker.reset();
      }
    });
    try {
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 100_000; i++) {
        long successes = breaker.getStatus().successfulCalls();
        if (successes < 0) {
          assertThat(successes).as("successful calls since reset, read " + i).isNotNegative();
        }
      }
    } finally {
      stop.set(true);
      caller.get(10, TimeUnit.SECONDS);
      resetter.get(10, TimeUnit.SECONDS);
      log.setLevel(level);
    }
  }

  /**
   * Repeated: it caught (1 run in 8) a window that read its calls before its failures, so that a thread preempted
   * between the two reads tripped on failures whose calls it had not seen.
   */
  @RepeatedTest(20)
  void rateModeCountsLoseNoUpdatesAndTrips() throws Exception {
    CircuitBreaker breaker = CircuitBreaker.of("c", CircuitBreakerConfig.builder()
        .tripPolicy(TripPolicy.failureRate(50, SlidingWindow.ofTime(Duration.ofSeconds(10)), 100))
        .recoveryTimeout(Duration.ofHours(1)).clock(clock).build());
    List<String> reasons = Collections.synchronizedList(new ArrayList<>());
    breaker.onStateTransition(t -> reasons.add(t.reason()));
    onAllThreads(() -> {
      for (int i = 0; i < 10_000; i++) {
        breaker.call(() -> "ok");
      }
    });
    assertThat(breaker.getStatus().successfulCalls()).isEqualTo(THREADS * 10_000L);
    assertThat(breaker.getStatus().failureRate()).hasValue(0.0);
    onAllThreads(() -> {
      for (;;) {
        try {
          breaker.call(() -> {
            throw new Boom();
          });
        } catch (CircuitBreakerOpenException rejected) {
          return;
        } catch (Boom expected) {
          // keep failing until rejected
        }
      }
    });
    assertThat(breaker.isOpen()).isTrue();
    // the failure that reaches 50 % may read calls another thread has counted before its failure, and so see a rate
    // just under the threshold (never above: it can only trip late): up to THREADS - 1 more failures before the one
    // that trips, then up to THREADS - 1 calls in flight that fail after it (seen once in 20 repetitions on Java 25)
    assertThat(breaker.getStatus().failedCalls()).as(String.valueOf(reasons))
        .isBetween(THREADS * 10_000L, THREADS * 10_000L + 2L * (THREADS - 1));
  }

  /** The same for a count window of 100,000 calls (which slides in steps of 782): it never trips early. */
  @RepeatedTest(10)
  void countWindowTripsUnderContentionOnlyOnceTheRateIsReached() throws Exception {
    CircuitBreaker breaker = CircuitBreaker.of("c", CircuitBreakerConfig.builder()
        .tripPolicy(TripPolicy.failureRate(50, SlidingWindow.ofCalls(100_000), 100))
        .recoveryTimeout(Duration.ofHours(1)).clock(clock).build());
    onAllThreads(() -> {
      for (int i = 0; i < 10_000; i++) {
        breaker.call(() -> "ok");
      }
    });
    onAllThreads(() -> {
      for (;;) {
        try {
          breaker.call(() -> {
            throw new Boom();
          });
        } catch (CircuitBreakerOpenException rejected) {
          return;
        } catch (Boom expected) {
          // keep failing until rejected
        }
      }
    });
    // the window covers the last 100,000 to 100,781 calls: half of them is 50,000 to 50,391 failures
    assertThat(breaker.getStatus().failedCalls()).isBetween(50_000L, 50_391L + THREADS);
  }

  @RepeatedTest(10)
  void concurrentFailuresDeliverExactlyOneTrip() throws Exception {
    CircuitBreaker breaker = CircuitBreaker.of("c", CircuitBreakerConfig.builder()
        .failureThreshold(3).recoveryTimeout(Duration.ofHours(1)).clock(clock).build());
    List<StateTransition> events = Collections.synchronizedList(new ArrayList<>());
    breaker.onStateTransition(events::add);
    onAllThreads(() -> {
      for (int i = 0; i < 5; i++) {
        try {
          breaker.call(() -> {
            throw new Boom();
          });
        } catch (RuntimeException expected) {
          // Boom or rejection
        }
      }
    });
    assertThat(events).hasSize(1);
    assertThat(events.get(0).to()).isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void listenersSeeAnUnbrokenChainOfTransitionsUnderContention() throws Exception {
    CircuitBreaker breaker = CircuitBreaker.of("c", CircuitBreakerConfig.builder()
        .failureThreshold(1).recoveryTimeout(Duration.ofMillis(1)).clock(clock).build());
    List<StateTransition> events = new ArrayList<>();
    breaker.onStateTransition(events::add); // delivery is serialized: no synchronization needed
    onAllThreads(() -> {
      for (int i = 0; i < 2_000; i++) {
        switch (i % 4) {
          case 0:
            try {
              breaker.call(() -> {
                throw new Boom();
              });
            } catch (RuntimeException expected) {
              // Boom or rejection
            }
            break;
          case 1:
            clock.advanceMillis(1);
            break;
          case 2:
            try {
              breaker.call(() -> "ok");
            } catch (CircuitBreakerOpenException expected) {
              // open or trial in flight
            }
            break;
          default:
            if (i % 40 == 3) {
              breaker.reset();
            } else {
              breaker.getState();
            }
        }
      }
    });
    assertThat(events).isNotEmpty();
    CircuitBreakerState previous = CircuitBreakerState.CLOSED;
    for (StateTransition e : events) {
      assertThat(e.from()).as("each transition starts where the previous one ended").isEqualTo(previous);
      assertThat(e.to()).isNotEqualTo(e.from());
      previous = e.to();
    }
    assertThat(previous).isEqualTo(breaker.getState());
  }

  /** Adapted: the per-thread cells it checked are gone; the counter table is now fixed, whatever threads do. */
  @Test
  void countsOfTerminatedThreadsAreKept() throws Exception {
    CircuitBreaker breaker = CircuitBreaker.of("c", CircuitBreakerConfig.builder().clock(clock).build());
    int cells = breaker.counterCells();
    for (int round = 0; round < 40; round++) {
      Thread t = new Thread(() -> {
        for (int i = 0; i < 10; i++) {
          breaker.call(() -> "ok");
        }
      });
      t.start();
      t.join(10_000);
      assertThat(t.isAlive()).isFalse();
    }
    assertThat(breaker.getStatus().successfulCalls()).isEqualTo(400);
    assertThat(breaker.counterCells()).as("no per-thread state").isEqualTo(cells);
  }

  /** Adapted: threads used to get a cell each; now 100 live threads share the fixed cells and lose no count. */
  @Test
  void manyLiveThreadsShareTheFixedCellsAndLoseNoCount() throws Exception {
    CircuitBreaker breaker = CircuitBreaker.of("c", CircuitBreakerConfig.builder().clock(clock).build());
    int cells = breaker.counterCells();
    int threads = 100;
    CountDownLatch counted = new CountDownLatch(threads);
    CountDownLatch finish = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 1_000; i++) {
          breaker.call(() -> "ok");
        }
        counted.countDown();
        try {
          finish.await(30, TimeUnit.SECONDS);   // stay alive: every cell must stay in the table
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      thread.start();
      started.add(thread);
    }
    assertThat(counted.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(breaker.counterCells()).isEqualTo(cells).isLessThanOrEqualTo(64);
    assertThat(breaker.getStatus().successfulCalls()).isEqualTo(threads * 1_000L);
    finish.countDown();
    for (Thread thread : started) {
      thread.join(10_000);
    }
    breaker.call(() -> "ok");
    assertThat(breaker.callTotals().successful()).isEqualTo(threads * 1_000L + 1);
  }
}
