package dev.optionchain.benchmarks;

import dev.failsafe.FailsafeExecutor;
import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerOpenException;
import dev.optionchain.breaker.CircuitBreakerSnapshot;
import dev.optionchain.breaker.CircuitBreakerState;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.time.Instant;
import java.util.Optional;
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
 * HALF_OPEN with its one trial call in flight: every measured call is rejected. Ours and the naive breaker hold a
 * real trial call on a background thread; Resilience4j and Failsafe hold the one permit their API hands out.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HalfOpen {

  @State(Scope.Benchmark)
  public static class Ours {
    CircuitBreaker breaker;
    HeldTrial trial;

    @Setup
    public void halfOpen() {
      breaker = Breakers.oursConsecutive();
      breaker.restore(new CircuitBreakerSnapshot(Breakers.NAME, CircuitBreakerState.HALF_OPEN, Instant.now(), 5,
          Breakers.OPEN_FOR, 0, false, Optional.empty()));
      trial = new HeldTrial(breaker::call);
      check();
      try {
        breaker.call(() -> "not admitted");
        throw new IllegalStateException("ours admitted a second trial");
      } catch (CircuitBreakerOpenException expected) {
        Breakers.requireState("ours rejection", CircuitBreakerState.HALF_OPEN, expected.state());
      }
    }

    @TearDown
    public void release() throws InterruptedException {
      check();
      trial.release();
    }

    private void check() {
      Breakers.requireState("ours", CircuitBreakerState.HALF_OPEN, breaker.getState());
    }
  }

  @State(Scope.Benchmark)
  public static class R4j {
    io.github.resilience4j.circuitbreaker.CircuitBreaker byDefault;
    io.github.resilience4j.circuitbreaker.CircuitBreaker stackless;

    @Setup
    public void halfOpen() {
      byDefault = hold(Breakers.r4jDefault());
      stackless = hold(Breakers.r4jStackless());
    }

    private static io.github.resilience4j.circuitbreaker.CircuitBreaker hold(
        io.github.resilience4j.circuitbreaker.CircuitBreaker breaker) {
      breaker.transitionToOpenState();
      breaker.transitionToHalfOpenState();
      if (!breaker.tryAcquirePermission() || breaker.tryAcquirePermission()) {
        throw new IllegalStateException("r4j: expected exactly one trial permission");
      }
      requireHalfOpen(breaker);
      return breaker;
    }

    @TearDown
    public void check() {
      requireHalfOpen(byDefault);
      requireHalfOpen(stackless);
    }

    private static void requireHalfOpen(io.github.resilience4j.circuitbreaker.CircuitBreaker breaker) {
      Breakers.requireState("r4j", io.github.resilience4j.circuitbreaker.CircuitBreaker.State.HALF_OPEN,
          breaker.getState());
    }
  }

  @State(Scope.Benchmark)
  public static class Fs {
    dev.failsafe.CircuitBreaker<Object> breaker;
    FailsafeExecutor<Object> executor;

    @Setup
    public void halfOpen() {
      breaker = Breakers.failsafeDefault(null);
      executor = Breakers.executor(breaker);
      breaker.halfOpen();
      if (!breaker.tryAcquirePermit() || breaker.tryAcquirePermit()) {
        throw new IllegalStateException("failsafe: expected exactly one trial permit");
      }
      check();
    }

    @TearDown
    public void check() {
      Breakers.requireState("failsafe", dev.failsafe.CircuitBreaker.State.HALF_OPEN, breaker.getState());
    }
  }

  @State(Scope.Benchmark)
  public static class Naive {
    NaiveLockBreaker breaker;
    HeldTrial trial;

    @Setup
    public void halfOpen() throws InterruptedException {
      breaker = new NaiveLockBreaker(Breakers.NAME, 5, TimeUnit.MILLISECONDS.toNanos(1));
      for (int i = 0; i < 5; i++) {
        try {
          breaker.call(() -> {
            throw Upstream.FAILURE;
          });
        } catch (RuntimeException expected) {
          // counted
        }
      }
      Thread.sleep(5);
      trial = new HeldTrial(breaker::call);
      check();
    }

    @TearDown
    public void release() throws InterruptedException {
      check();
      trial.release();
    }

    private void check() {
      Breakers.requireState("naive", NaiveLockBreaker.State.HALF_OPEN, breaker.state());
    }
  }

  @Benchmark
  public Object ours(Ours b, Upstream u) {
    try {
      return b.breaker.call(u.ok);
    } catch (CircuitBreakerOpenException e) {
      return e;
    }
  }

  @Benchmark
  public Object r4jDefault(R4j b, Upstream u) {
    try {
      return b.byDefault.executeSupplier(u.ok);
    } catch (CallNotPermittedException e) {
      return e;
    }
  }

  @Benchmark
  public Object r4jStackless(R4j b, Upstream u) {
    try {
      return b.stackless.executeSupplier(u.ok);
    } catch (CallNotPermittedException e) {
      return e;
    }
  }

  @Benchmark
  public Object failsafe(Fs b, Upstream u) {
    try {
      return b.executor.get(u.ok);
    } catch (dev.failsafe.CircuitBreakerOpenException e) {
      return e;
    }
  }

  @Benchmark
  public Object naiveLock(Naive b, Upstream u) {
    try {
      return b.breaker.call(u.ok);
    } catch (NaiveLockBreaker.RejectedException e) {
      return e;
    }
  }
}
