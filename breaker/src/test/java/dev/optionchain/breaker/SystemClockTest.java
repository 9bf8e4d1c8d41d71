package dev.optionchain.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Breakers on the real system clock: OPEN -> HALF_OPEN never early, no library thread while every breaker is CLOSED,
 * and no class loader kept alive. About the system clock, so they run on real time (short, and asserting "never
 * early", never "on time").
 */
class SystemClockTest {

  private static final Duration TIMEOUT = Duration.ofMillis(5);
  private static final long TIMEOUT_NANOS = TIMEOUT.toNanos();

  private static CircuitBreaker systemBreaker(String name) {
    return CircuitBreaker.of(name, CircuitBreakerConfig.builder().failureThreshold(1).recoveryTimeout(TIMEOUT)
        .build());
  }

  private static void fail(CircuitBreaker b) {
    try {
      b.run(() -> {
        throw new IllegalStateException("down");
      });
    } catch (IllegalStateException expected) {
      // the trip
    }
  }

  @Test
  void aTrialCallNeverStartsBeforeTheRecoveryTimeout() {
    CircuitBreaker b = systemBreaker("never-early");
    for (int trip = 0; trip < 100; trip++) {
      long before = System.nanoTime(); // no later than the breaker's own reading of the trip
      fail(b);
      long[] trialStart = new long[1];
      for (;;) {
        try {
          b.run(() -> trialStart[0] = System.nanoTime());
          break;
        } catch (CircuitBreakerOpenException rejected) {
          assertThat(rejected.state()).isEqualTo(CircuitBreakerState.OPEN);
          Thread.onSpinWait();
        }
      }
      assertThat(trialStart[0] - before).as("trip %d: the trial started %d ns after the trip", trip,
          trialStart[0] - before).isGreaterThanOrEqualTo(TIMEOUT_NANOS);
      assertThat(b.isClosed()).isTrue();
    }
  }

  @Test
  void readersNeverReportHalfOpenBeforeTheRecoveryTimeout() {
    CircuitBreaker b = systemBreaker("readers");
    for (int trip = 0; trip < 100; trip++) {
      long before = System.nanoTime();
      fail(b);
      CircuitBreakerState seen;
      while ((seen = b.getState()) == CircuitBreakerState.OPEN) {
        Thread.onSpinWait();
      }
      long seenAt = System.nanoTime();
      assertThat(seen).isEqualTo(CircuitBreakerState.HALF_OPEN);
      assertThat(seenAt - before).isGreaterThanOrEqualTo(TIMEOUT_NANOS);
      b.run(() -> { });
    }
  }

  @Test
  void noLibraryThreadRunsWhileEveryBreakerIsClosed() throws InterruptedException {
    awaitNoClockThread();
    CircuitBreaker consecutive = CircuitBreaker.of("closed-1");
    CircuitBreaker rate = CircuitBreaker.of("closed-2", CircuitBreakerConfig.builder()
        .tripPolicy(TripPolicy.failureRate(50, SlidingWindow.ofTime(Duration.ofSeconds(10)), 1_000))
        .slowCallDuration(Duration.ofSeconds(1)).build());
    for (int i = 0; i < 10_000; i++) {
      consecutive.call(() -> "ok");
      rate.call(() -> "ok");
      if (i % 10 == 0) {
        fail(rate);
      }
      consecutive.getStatus();
      rate.getStatus();
    }
    assertThat(clockThreads()).isEmpty();
  }

  @Test
  void theLibraryLoadedByAClassLoaderThatIsDroppedIsCollected() throws Exception {
    awaitNoClockThread();
    WeakReference<ClassLoader> loader = tripABreakerInAThrowAwayLoader();
    awaitTheTickersStopByThemselves();
    for (int i = 0; i < 300 && loader.get() != null; i++) {
      System.gc();
      Thread.currentThread().join(10); // wait 10 ms for reference processing
    }
    assertThat(loader.get()).as("nothing pins the library's class loader").isNull();
  }

  /**
   * Waits for the clock threads the throw-away library started to stop, without keeping them: from JDK 21 on, a
   * terminated {@code Thread} still references its {@code Runnable} (the ticker, and so the throw-away loader), so
   * holding a {@code Thread} object here would pin the very loader the test expects to be collected.
   */
  private static void awaitTheTickersStopByThemselves() throws InterruptedException {
    Set<Thread> tickers = clockThreads();
    assertThat(tickers).as("the OPEN breaker's rejections started a clock thread").isNotEmpty();
    for (Thread t : tickers) {
      t.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(t.isAlive()).as("it stops by itself once nothing reads it").isFalse();
    }
  }

  private static WeakReference<ClassLoader> tripABreakerInAThrowAwayLoader() throws Exception {
    URL classes = CircuitBreaker.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader isolated = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
      Class<?> type = isolated.loadClass(CircuitBreaker.class.getName());
      assertThat(type.getClassLoader()).isSameAs(isolated);
      Object breaker = type.getMethod("of", String.class, int.class, Duration.class)
          .invoke(null, "isolated", 1, Duration.ofHours(1));
      Method run = type.getMethod("run", Runnable.class);
      try {
        run.invoke(breaker, (Runnable) () -> {
          throw new IllegalStateException("down");
        });
      } catch (java.lang.reflect.InvocationTargetException expected) {
        // tripped
      }
      for (int i = 0; i < 10; i++) {
        try {
          run.invoke(breaker, (Runnable) () -> { });
        } catch (java.lang.reflect.InvocationTargetException rejected) {
          assertThat(rejected.getCause().getClass().getSimpleName()).isEqualTo("CircuitBreakerOpenException");
        }
      }
      return new WeakReference<>(isolated);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Waits until clock threads left by other tests have stopped by themselves. */
  private static void awaitNoClockThread() throws InterruptedException {
    for (Thread t : clockThreads()) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertThat(clockThreads()).isEmpty();
  }

  private static Set<Thread> clockThreads() {
    Set<Thread> threads = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(CoarseClock.THREAD_NAME) && t.isAlive()) {
        threads.add(t);
      }
    }
    return threads;
  }
}
