package dev.optionchain.benchmarks;

import dev.failsafe.FailsafeExecutor;
import dev.optionchain.breaker.CircuitBreaker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * CLOSED, every call succeeds: the cost a breaker adds to each call to a healthy upstream. One breaker is shared by
 * all benchmark threads. With {@code listener=true} one state-transition listener is subscribed (what a metrics
 * binding costs, though no transition happens): ours in all three modes, Resilience4j's default configuration and
 * Failsafe.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Closed {

  /** Our three modes. */
  @State(Scope.Benchmark)
  public static class Ours {
    @Param({"false", "true"})
    boolean listener;

    final LongAdder transitions = new LongAdder();
    CircuitBreaker consecutive;
    CircuitBreaker countRate;
    CircuitBreaker timeRate;

    @Setup
    public void setUp() {
      consecutive = Breakers.oursConsecutive();
      countRate = Breakers.oursCountRate();
      timeRate = Breakers.oursTimeRate();
      if (listener) {
        Breakers.listen(consecutive, transitions);
        Breakers.listen(countRate, transitions);
        Breakers.listen(timeRate, transitions);
      }
    }

    @TearDown
    public void check() {
      Breakers.requireClosed("consecutive", consecutive);
      Breakers.requireClosed("countRate", countRate);
      Breakers.requireClosed("timeRate", timeRate);
    }
  }

  /** Resilience4j's default configuration, with and without a listener. */
  @State(Scope.Benchmark)
  public static class R4j {
    @Param({"false", "true"})
    boolean listener;

    final LongAdder transitions = new LongAdder();
    io.github.resilience4j.circuitbreaker.CircuitBreaker breaker;

    @Setup
    public void setUp() {
      breaker = Breakers.r4jDefault();
      if (listener) {
        Breakers.listen(breaker, transitions);
      }
    }

    @TearDown
    public void check() {
      Breakers.requireClosed("r4j default", breaker);
    }
  }

  /** Resilience4j's other windows: TIME_BASED, and COUNT_BASED with the LOCK_FREE strategy; no listener. */
  @State(Scope.Benchmark)
  public static class R4jWindows {
    final io.github.resilience4j.circuitbreaker.CircuitBreaker time = Breakers.r4jTime();
    final io.github.resilience4j.circuitbreaker.CircuitBreaker lockFree = Breakers.r4jLockFree();

    @TearDown
    public void check() {
      Breakers.requireClosed("r4j time", time);
      Breakers.requireClosed("r4j lock-free", lockFree);
    }
  }

  /** Failsafe with its defaults. */
  @State(Scope.Benchmark)
  public static class Fs {
    @Param({"false", "true"})
    boolean listener;

    final LongAdder transitions = new LongAdder();
    dev.failsafe.CircuitBreaker<Object> breaker;
    FailsafeExecutor<Object> executor;

    @Setup
    public void setUp() {
      breaker = Breakers.failsafeDefault(listener ? transitions : null);
      executor = Breakers.executor(breaker);
    }

    @TearDown
    public void check() {
      Breakers.requireClosed("failsafe", breaker);
    }
  }

  /** The seed's design. */
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
    return u.ok.get();
  }

  @Benchmark
  public Object oursConsecutive(Ours b, Upstream u) {
    return b.consecutive.call(u.ok);
  }

  @Benchmark
  public Object oursCountRate(Ours b, Upstream u) {
    return b.countRate.call(u.ok);
  }

  @Benchmark
  public Object oursTimeRate(Ours b, Upstream u) {
    return b.timeRate.call(u.ok);
  }

  @Benchmark
  public Object r4jDefault(R4j b, Upstream u) {
    return b.breaker.executeSupplier(u.ok);
  }

  @Benchmark
  public Object r4jTime(R4jWindows b, Upstream u) {
    return b.time.executeSupplier(u.ok);
  }

  @Benchmark
  public Object r4jLockFree(R4jWindows b, Upstream u) {
    return b.lockFree.executeSupplier(u.ok);
  }

  @Benchmark
  public Object failsafe(Fs b, Upstream u) {
    return b.executor.get(u.ok);
  }

  @Benchmark
  public Object naiveLock(Naive b, Upstream u) {
    return b.breaker.call(u.ok);
  }
}
