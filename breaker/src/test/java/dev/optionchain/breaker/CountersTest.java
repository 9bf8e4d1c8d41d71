package dev.optionchain.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The striped counters: exact, with a fixed number of cells however many threads exist or have counted. The first
 * design registered every thread in a table that grew with the live threads (2,000 live threads: a table of 4,096
 * cells, rebuilt under a lock at each first call).
 */
class CountersTest {

  @Test
  void thousandsOfLiveThreadsShareAFixedTableAndLoseNoCount() throws Exception {
    CircuitBreaker breaker = CircuitBreaker.of("live", CircuitBreakerConfig.builder().failureThreshold(1_000_000)
        .build());
    int cells = breaker.counterCells();
    int threads = 2_000;
    CountDownLatch called = new CountDownLatch(threads);
    CountDownLatch finish = new CountDownLatch(1);
    List<Thread> alive = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      int n = i;
      Thread t = new Thread(() -> {
        breaker.call(() -> "ok");
        if (n % 10 == 0) {
          try {
            breaker.run(() -> {
              throw new IllegalStateException("down");
            });
          } catch (IllegalStateException expected) {
            // counted
          }
        }
        called.countDown();
        try {
          finish.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      t.setDaemon(true);
      t.start();
      alive.add(t);
    }
    assertThat(called.await(60, TimeUnit.SECONDS)).isTrue();

    assertThat(breaker.counterCells()).as("no cell per thread").isEqualTo(cells).isLessThanOrEqualTo(64);
    assertThat(breaker.callTotals().successful()).isEqualTo(threads);
    assertThat(breaker.callTotals().failed()).isEqualTo(threads / 10);
    finish.countDown();
    for (Thread t : alive) {
      t.join(10_000);
    }
  }

  /** Owners die, cells are taken over, others add to the shared counts: every increment lands exactly once. */
  @Test
  void countsAreExactUnderThreadChurnAndContention() throws Exception {
    Counters counters = new Counters();
    int waves = 20;
    int perWave = 8;
    int perThread = 5_000;
    for (int w = 0; w < waves; w++) {
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> wave = new ArrayList<>();
      for (int i = 0; i < perWave; i++) {
        Thread t = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          for (int k = 0; k < perThread; k++) {
            counters.increment(k % Counters.KINDS);
          }
        });
        t.start();
        wave.add(t);
      }
      start.countDown();
      for (Thread t : wave) {
        t.join(30_000);
      }
    }
    long total = 0;
    for (int k = 0; k < Counters.KINDS; k++) {
      assertThat(counters.sum(k)).isEqualTo((long) waves * perWave * perThread / Counters.KINDS);
      total += counters.sum(k);
    }
    assertThat(total).isEqualTo((long) waves * perWave * perThread);
  }
}
