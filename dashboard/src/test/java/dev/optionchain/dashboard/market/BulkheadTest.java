package dev.optionchain.dashboard.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bulkhead's places: never more taken than it has, refused at once beyond them, given back on leaving. */
class BulkheadTest {

  @Test
  void beyondItsPlacesARequestIsRefusedAtOnceAndCounted() {
    Bulkhead b = new Bulkhead(1, 2);
    assertThat(b.tryEnter()).isTrue();
    assertThat(b.tryEnter()).isTrue();
    assertThat(b.tryEnter()).as("a third waiter").isFalse();
    assertThat(b.tryCall()).isTrue();
    assertThat(b.tryCall()).as("a second call").isFalse();
    assertThat(b.waiting()).isEqualTo(2);
    assertThat(b.calls()).isEqualTo(1);
    assertThat(b.refused()).isEqualTo(2);
    b.endCall();
    b.leave();
    assertThat(b.tryCall()).isTrue();
    assertThat(b.tryEnter()).isTrue();
    assertThat(b.waiting()).isEqualTo(2);
    assertThat(b.refused()).isEqualTo(2);
  }

  @Test
  void aCallerCannotHaveMoreCallPlacesThanWaitingPlaces() {
    assertThatThrownBy(() -> new Bulkhead(3, 2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxCalls 3").hasMessageContaining("maxWaiting 2");
    assertThatThrownBy(() -> new Bulkhead(0, 2)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void manyThreadsAtOnceNeverHoldMoreThanItsPlaces() throws Exception {
    int threads = 16;
    int places = 3;
    Bulkhead b = new Bulkhead(places, places);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger admitted = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 2_000; i++) {
            if (b.tryEnter()) {
              admitted.incrementAndGet();
              most.accumulateAndGet(inside.incrementAndGet(), Math::max);
              inside.decrementAndGet();
              b.leave();
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(most.get()).isBetween(1, places);
    assertThat(b.waiting()).isZero();
    assertThat(admitted.get() + b.refused()).isEqualTo(threads * 2_000L);
  }
}
