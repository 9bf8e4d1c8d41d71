package dev.optionchain.benchmarks;

import dev.failsafe.FailsafeExecutor;
import dev.optionchain.breaker.CircuitBreaker;
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
 * CLOSED with 10% failures, below every threshold: every tenth call (per thread) throws, the breaker records it and
 * rethrows, the benchmark catches it. The breakers must still be CLOSED at the end of the trial, and must have
 * recorded failures.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ClosedFailing {

  @State(Scope.Benchmark)
  public static class Ours {
    final CircuitBreaker consecutive = Breakers.oursConsecutive();
    final CircuitBreaker countRate = Breakers.oursCountRate();
    final CircuitBreaker timeRate = Breakers.oursTimeRate();

    @TearDown
    public void check() {
      check("consecutive", consecutive);
      check("countRate", countRate);
      check("timeRate", timeRate);
    }

    private static void check(String which, CircuitBreaker breaker) {
      Breakers.requireClosed(which, breaker);
      long calls = breaker.getStatus().successfulCalls();
      long failures = breaker.getStatus().failedCalls();
      if (calls > 0 && failures * 20 < calls) {
        throw new IllegalStateException(which + " recorded " + failures + " failures in " + calls + " successes");
      }
    }
  }

  @State(Scope.Benchmark)
  public static class R4j {
    final io.github.resilience4j.circuitbreaker.CircuitBreaker byDefault = Breakers.r4jDefault();
    final io.github.resilience4j.circuitbreaker.CircuitBreaker time = Breakers.r4jTime();
    final io.github.resilience4j.circuitbreaker.CircuitBreaker lockFree = Breakers.r4jLockFree();

    @TearDown
    public void check() {
      Breakers.requireClosed("r4j default", byDefault);
      Breakers.requireClosed("r4j time", time);
      Breakers.requireClosed("r4j lock-free", lockFree);
    }
  }

  @State(Scope.Benchmark)
  public static class Fs {
    dev.failsafe.CircuitBreaker<Object> breaker;
    FailsafeExecutor<Object> executor;

    @Setup
    public void setUp() {
      breaker = Breakers.failsafeCount(null);
      executor = Breakers.executor(breaker);
    }

    @TearDown
    public void check() {
      Breakers.requireClosed("failsafe", breaker);
    }
  }

  @State(Scope.Benchmark)
  public static class Naive {
    final NaiveLockBreaker breaker = Breakers.naive();

    @TearDown
    public void check() {
      Breakers.requireClosed("naive", breaker);
    }
  }

  @Benchmark
  public Object baseline(Upstream u) {
    try {
      return u.failing.get();
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Benchmark
  public Object oursConsecutive(Ours b, Upstream u) {
    try {
      return b.consecutive.call(u.failing);
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Benchmark
  public Object oursCountRate(Ours b, Upstream u) {
    try {
      return b.countRate.call(u.failing);
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Benchmark
  public Object oursTimeRate(Ours b, Upstream u) {
    try {
      return b.timeRate.call(u.failing);
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Benchmark
  public Object r4jDefault(R4j b, Upstream u) {
    try {
      return b.byDefault.executeSupplier(u.failing);
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Benchmark
  public Object r4jTime(R4j b, Upstream u) {
    try {
      return b.time.executeSupplier(u.failing);
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Benchmark
  public Object r4jLockFree(R4j b, Upstream u) {
    try {
      return b.lockFree.executeSupplier(u.failing);
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Benchmark
  public Object failsafe(Fs b, Upstream u) {
    try {
      return b.executor.get(u.failing);
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Benchmark
  public Object naiveLock(Naive b, Upstream u) {
    try {
      return b.breaker.call(u.failing);
    } catch (RuntimeException e) {
      return e;
    }
  }
}
