package dev.optionchain.breaker.micrometer;

import static dev.optionchain.breaker.micrometer.MetricsTestSupport.callWithOutcome;
import static dev.optionchain.breaker.micrometer.MetricsTestSupport.calls;
import static dev.optionchain.breaker.micrometer.MetricsTestSupport.transitions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerConfig;
import dev.optionchain.breaker.CircuitBreakerOpenException;
import dev.optionchain.breaker.CircuitBreakerState;
import dev.optionchain.breaker.Subscription;
import dev.optionchain.breaker.testing.ManualClock;
import dev.optionchain.breaker.micrometer.MetricsTestSupport.Boom;
import dev.optionchain.breaker.micrometer.MetricsTestSupport.Ignored;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;

/** Eight threads calling one breaker while the meters are read. Barriers, never sleeps. */
class ConcurrentMetricsTest {

  private static final int THREADS = 8;
  private static final int CALLS_PER_THREAD = 10_000;

  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
  private final ManualClock clock = new ManualClock();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @AfterEach
  void shutDown() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /** Runs {@code task(thread)} on every thread at once, and {@code reader} beside them until they are done. */
  private void onAllThreads(ThreadTask task, Runnable reader) throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS + 1);
    AtomicBoolean done = new AtomicBoolean();
    Future<?> reading = pool.submit(() -> {
      start.await(10, TimeUnit.SECONDS);
      while (!done.get()) {
        reader.run();
      }
      return null;
    });
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      int thread = i;
      futures.add(pool.submit(() -> {
        start.await(10, TimeUnit.SECONDS);
        task.run(thread);
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    done.set(true);
    reading.get(10, TimeUnit.SECONDS);
  }

  @FunctionalInterface
  private interface ThreadTask {
    void run(int thread) throws Exception;
  }

  /** Checks that successive reads of every outcome never go down. */
  private Runnable monotonicReader(String breaker) {
    double[] last = new double[4];
    String[] outcomes = {"success", "failure", "rejected", "ignored"};
    return () -> {
      for (int i = 0; i < outcomes.length; i++) {
        double now = calls(meters, breaker, outcomes[i]);
        assertThat(now).as(outcomes[i]).isGreaterThanOrEqualTo(last[i]);
        last[i] = now;
      }
    };
  }

  @RepeatedTest(3)
  void callsFromEightThreadsAreCountedExactlyAndReadsNeverGoDown() throws Exception {
    CircuitBreaker b = CircuitBreaker.of("busy", CircuitBreakerConfig.builder()
        .failureThreshold(3).recoveryTimeout(Duration.ofMillis(1))
        .ignoreExceptions(t -> t instanceof Ignored).clock(clock).build());
    CircuitBreakerMetrics metrics = CircuitBreakerMetrics.of(b);
    metrics.bindTo(meters);
    Map<String, LongAdder> made = new ConcurrentHashMap<>();
    onAllThreads(thread -> {
      for (int i = 0; i < CALLS_PER_THREAD; i++) {
        int kind = (i + thread) % 5;
        String outcome = callWithOutcome(b, kind == 3 ? 1 : kind == 4 ? 2 : 0);
        made.computeIfAbsent(outcome, o -> new LongAdder()).increment();
        if (i % 100 == 0) {
          clock.advanceMillis(1);                      // lets an open breaker recover now and then
        }
      }
    }, monotonicReader("busy"));

    long total = 0;
    for (String outcome : List.of("success", "failure", "rejected", "ignored")) {
      long expected = made.getOrDefault(outcome, new LongAdder()).sum();
      total += expected;
      assertThat(calls(meters, "busy", outcome)).as(outcome).isEqualTo((double) expected);
    }
    assertThat(total).isEqualTo((long) THREADS * CALLS_PER_THREAD);
    assertThat(made.get("success").sum()).isPositive();
    metrics.close();
  }

  @RepeatedTest(3)
  void transitionsFromEightThreadsAreCountedExactly() throws Exception {
    CircuitBreaker b = CircuitBreaker.of("flappy", CircuitBreakerConfig.builder()
        .failureThreshold(1).recoveryTimeout(Duration.ofMillis(1)).clock(clock).build());
    CircuitBreakerMetrics metrics = CircuitBreakerMetrics.of(b);
    metrics.bindTo(meters);
    Map<String, AtomicLong> delivered = new ConcurrentHashMap<>();
    Subscription witness = b.onStateTransition(t ->
        delivered.computeIfAbsent(t.from() + ">" + t.to(), k -> new AtomicLong()).incrementAndGet());
    onAllThreads(thread -> {
      for (int i = 0; i < 2_000; i++) {
        boolean failing = (i + thread) % 2 == 0;
        try {
          b.call(() -> {
            if (failing) {
              throw new Boom();
            }
            return "ok";
          });
        } catch (CircuitBreakerOpenException | Boom expected) {
          // either way
        }
        if (i % 10 == 0) {
          clock.advanceMillis(1);
        }
        if (i % 500 == 0) {
          b.reset();
        }
      }
    }, monotonicReader("flappy"));
    witness.close();

    long counted = 0;
    for (CircuitBreakerState from : CircuitBreakerState.values()) {
      for (CircuitBreakerState to : CircuitBreakerState.values()) {
        if (from != to) {
          long expected = delivered.getOrDefault(from + ">" + to, new AtomicLong()).get();
          counted += expected;
          assertThat(transitions(meters, "flappy", from.name(), to.name())).as("%s -> %s", from, to)
              .isEqualTo((double) expected);
        }
      }
    }
    assertThat(counted).as("the breaker did flap").isGreaterThan(10);
    metrics.close();
  }
}
