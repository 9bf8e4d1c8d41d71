package dev.optionchain.benchmarks;

import dev.optionchain.benchmarks.load.RedisProcess;
import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerConfig;
import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.config.FleetSettings;
import dev.optionchain.dashboard.config.Settings;
import dev.optionchain.dashboard.fleet.Fleet;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
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
 * CLOSED, every call succeeds, with fleet mode on and off, side by side: the breaker of a fleet instance has the
 * fleet's trial gate and the fleet's transition listener, connected to a real {@code redis-server}; the CLOSED path
 * must not cost more than a single instance's ({@code single}), since neither is on it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FleetClosed {

  /** A single instance's breaker and a fleet instance's, as the dashboard builds them. */
  @State(Scope.Benchmark)
  public static class Breakers {
    CircuitBreaker single;
    CircuitBreaker fleetMode;
    RedisProcess redis;
    Fleet fleet;

    @Setup
    public void setUp() throws Exception {
      single = CircuitBreaker.of("options_chain", CircuitBreakerConfig.builder().failureThreshold(3)
          .recoveryTimeout(Duration.ofSeconds(90)).build());
      redis = RedisProcess.start(Files.createTempDirectory("fleet-closed"));
      fleet = Fleet.start(new FleetSettings(Optional.of(URI.create(redis.url())), "bench", Duration.ofMillis(50),
          Duration.ofSeconds(10), Duration.ofDays(1), 2 << 20), BreakerClock.system());
      fleetMode = CircuitBreaker.of("options_chain", CircuitBreakerConfig.builder().failureThreshold(3)
          .recoveryTimeout(Duration.ofSeconds(90)).trialGate(fleet.trialGate(
              DashboardConfig.from(Settings.defaults()).breakers().get(DashboardConfig.OPTIONS_CHAIN)).orElseThrow())
          .build());
      CircuitBreakerRegistry registry = new CircuitBreakerRegistry();
      registry.register("options_chain", fleetMode);
      fleet.bind(registry);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!fleet.connected() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      if (!fleet.connected()) {
        throw new IllegalStateException("the fleet did not connect to " + redis.url());
      }
    }

    @TearDown
    public void tearDown() {
      dev.optionchain.benchmarks.Breakers.requireClosed("single", single);
      dev.optionchain.benchmarks.Breakers.requireClosed("fleet", fleetMode);
      fleet.close();
      redis.close();
    }
  }

  @Benchmark
  public int bare() {
    return 42;
  }

  @Benchmark
  public int single(Breakers b) {
    return b.single.call(FleetClosed::answer);
  }

  @Benchmark
  public int fleetMode(Breakers b) {
    return b.fleetMode.call(FleetClosed::answer);
  }

  private static int answer() {
    return 42;
  }
}
