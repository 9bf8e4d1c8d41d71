package dev.optionchain.benchmarks;

import dev.failsafe.FailsafeExecutor;
import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerConfig;
import dev.optionchain.breaker.CircuitBreakerOpenException;
import dev.optionchain.breaker.CircuitBreakerState;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * OPEN: each call is rejected without calling the upstream, and the benchmark catches the rejection. The breakers are
 * tripped in setup with an hour to wait, and must still be OPEN at the end.
 *
 * <p>Each implementation is measured twice: {@code ...Exception} hands the caught exception to the blackhole, so it
 * must exist; {@code ...Field} hands over one field of it, which lets the JIT drop the allocation (scalar
 * replacement) when the whole throw-to-catch path is inlined and the exception does not otherwise escape.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Open {

  @State(Scope.Benchmark)
  public static class Ours {
    CircuitBreaker breaker;

    @Setup
    public void trip() {
      breaker = CircuitBreaker.of(Breakers.NAME, 5, Breakers.OPEN_FOR);
      tripAndCheck(breaker);
    }

    static void tripAndCheck(CircuitBreaker breaker) {
      for (int i = 0; i < 5; i++) {
        try {
          breaker.call(() -> {
            throw Upstream.FAILURE;
          });
        } catch (RuntimeException expected) {
          // counted
        }
      }
      Breakers.requireState("ours", CircuitBreakerState.OPEN, breaker.getState());
    }

    @TearDown
    public void check() {
      Breakers.requireState("ours", CircuitBreakerState.OPEN, breaker.getState());
    }
  }

  /**
   * The alternative to the coarse clock: the same breaker on a clock that reads {@link System#nanoTime()} at every
   * decision (any clock other than {@code BreakerClock.system()} is read precisely).
   */
  @State(Scope.Benchmark)
  public static class OursPrecise {
    CircuitBreaker breaker;

    @Setup
    public void trip() {
      BreakerClock precise = new BreakerClock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public Instant now() {
          return Instant.now();
        }
      };
      breaker = CircuitBreaker.of(Breakers.NAME, CircuitBreakerConfig.builder().failureThreshold(5)
          .recoveryTimeout(Breakers.OPEN_FOR).clock(precise).build());
      Ours.tripAndCheck(breaker);
    }

    @TearDown
    public void check() {
      Breakers.requireState("ours, precise clock", CircuitBreakerState.OPEN, breaker.getState());
    }
  }

  @State(Scope.Benchmark)
  public static class R4j {
    io.github.resilience4j.circuitbreaker.CircuitBreaker byDefault;
    io.github.resilience4j.circuitbreaker.CircuitBreaker stackless;

    @Setup
    public void trip() {
      byDefault = Breakers.r4jDefault();
      stackless = Breakers.r4jStackless();
      byDefault.transitionToOpenState();
      stackless.transitionToOpenState();
      check();
    }

    @TearDown
    public void check() {
      Breakers.requireState("r4j default", io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN,
          byDefault.getState());
      Breakers.requireState("r4j stackless", io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN,
          stackless.getState());
    }
  }

  @State(Scope.Benchmark)
  public static class Fs {
    dev.failsafe.CircuitBreaker<Object> breaker;
    FailsafeExecutor<Object> executor;

    @Setup
    public void trip() {
      breaker = Breakers.failsafeDefault(null);
      executor = Breakers.executor(breaker);
      breaker.open();
      check();
    }

    @TearDown
    public void check() {
      Breakers.requireState("failsafe", dev.failsafe.CircuitBreaker.State.OPEN, breaker.getState());
    }
  }

  @State(Scope.Benchmark)
  public static class Naive {
    final NaiveLockBreaker breaker = new NaiveLockBreaker(Breakers.NAME, 5, TimeUnit.HOURS.toNanos(1));

    @Setup
    public void trip() {
      for (int i = 0; i < 5; i++) {
        try {
          breaker.call(() -> {
            throw Upstream.FAILURE;
          });
        } catch (RuntimeException expected) {
          // counted
        }
      }
      check();
    }

    @TearDown
    public void check() {
      Breakers.requireState("naive", NaiveLockBreaker.State.OPEN, breaker.state());
    }
  }

  @Benchmark
  public Object oursException(Ours b, Upstream u) {
    try {
      return b.breaker.call(u.ok);
    } catch (CircuitBreakerOpenException e) {
      return e;
    }
  }

  @Benchmark
  public Object oursField(Ours b, Upstream u) {
    try {
      return b.breaker.call(u.ok);
    } catch (CircuitBreakerOpenException e) {
      return e.state();
    }
  }

  @Benchmark
  public Object oursPreciseClockException(OursPrecise b, Upstream u) {
    try {
      return b.breaker.call(u.ok);
    } catch (CircuitBreakerOpenException e) {
      return e;
    }
  }

  @Benchmark
  public Object r4jDefaultException(R4j b, Upstream u) {
    try {
      return b.byDefault.executeSupplier(u.ok);
    } catch (CallNotPermittedException e) {
      return e;
    }
  }

  @Benchmark
  public Object r4jDefaultField(R4j b, Upstream u) {
    try {
      return b.byDefault.executeSupplier(u.ok);
    } catch (CallNotPermittedException e) {
      return e.getCausingCircuitBreakerName();
    }
  }

  @Benchmark
  public Object r4jStacklessException(R4j b, Upstream u) {
    try {
      return b.stackless.executeSupplier(u.ok);
    } catch (CallNotPermittedException e) {
      return e;
    }
  }

  @Benchmark
  public Object r4jStacklessField(R4j b, Upstream u) {
    try {
      return b.stackless.executeSupplier(u.ok);
    } catch (CallNotPermittedException e) {
      return e.getCausingCircuitBreakerName();
    }
  }

  @Benchmark
  public Object failsafeException(Fs b, Upstream u) {
    try {
      return b.executor.get(u.ok);
    } catch (dev.failsafe.CircuitBreakerOpenException e) {
      return e;
    }
  }

  @Benchmark
  public Object failsafeField(Fs b, Upstream u) {
    try {
      return b.executor.get(u.ok);
    } catch (dev.failsafe.CircuitBreakerOpenException e) {
      return e.getCircuitBreaker();
    }
  }

  @Benchmark
  public Object naiveException(Naive b, Upstream u) {
    try {
      return b.breaker.call(u.ok);
    } catch (NaiveLockBreaker.RejectedException e) {
      return e;
    }
  }

  @Benchmark
  public Object naiveField(Naive b, Upstream u) {
    try {
      return b.breaker.call(u.ok);
    } catch (NaiveLockBreaker.RejectedException e) {
      return e.state;
    }
  }
}
