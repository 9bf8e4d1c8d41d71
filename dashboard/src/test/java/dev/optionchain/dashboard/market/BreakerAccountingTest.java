package dev.optionchain.dashboard.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.breaker.testing.ManualClock;
import dev.optionchain.dashboard.Api;
import dev.optionchain.dashboard.DashboardApp;
import dev.optionchain.dashboard.TestDashboards;
import dev.optionchain.dashboard.cache.CacheWriter;
import dev.optionchain.dashboard.cache.Database;
import dev.optionchain.dashboard.cache.MarketCache;
import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.upstream.TradierClient;
import dev.optionchain.marketsim.MarketSim;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the breakers and the upstream budget count, on the real service, client and simulator: a trial call is an
 * upstream call like any other and needs a permit; a call cut short by an interrupt of our own is no upstream failure.
 */
class BreakerAccountingTest {

  @TempDir
  Path dir;

  private MarketSim sim;
  private Api simApi;
  private Database db;
  private MarketCache cache;
  private CacheWriter writer;

  /**
   * A clock whose monotonic time moves on by {@code step} at each reading once armed: a state may change between two
   * readings.
   */
  private static final class TickingClock implements BreakerClock {
    final ManualClock base;
    final Duration step;
    volatile boolean armed;

    TickingClock(ManualClock base, Duration step) {
      this.base = base;
      this.step = step;
    }

    @Override
    public long nanoTime() {
      long t = base.nanoTime();
      if (armed) {
        base.advance(step);
      }
      return t;
    }

    @Override
    public Instant now() {
      return base.now();
    }
  }

  @BeforeEach
  void start() {
    sim = MarketSim.builder().port(0).seed(42).start();
    simApi = new Api(sim.baseUrl());
    db = Database.open(dir.resolve(DashboardApp.DATABASE_FILE));
    cache = new MarketCache(db);
    writer = new CacheWriter(cache, CacheWriter.Settings.DEFAULTS);
  }

  @AfterEach
  void stop() {
    writer.close();
    db.close();
    sim.close();
  }

  private MarketDataService service(DashboardConfig config, BreakerClock clock, UpstreamBudget budget,
      CircuitBreakerRegistry registry) {
    return new MarketDataService(
        s -> new TradierClient(URI.create(sim.baseUrl()), null, s.connectTimeout(), clock, budget::observe),
        cache, writer, budget, registry, config, clock, MarketObserver.NONE, Sharing.NONE);
  }

  private long upstreamQuotes() {
    return simApi.get("/sim/stats").json().path("endpoints").path("quotes").path("requests").asLong();
  }

  @Test
  void aTrialCallIsNeverMadeWithoutAPermitEvenWhenTheBreakerTurnsHalfOpenMidRequest() {
    Map<String, String> overrides = new HashMap<>(TestDashboards.withoutMemory(Map.of()));
    overrides.put("breaker.current_price.failure-threshold", "1");
    overrides.put("breaker.current_price.recovery-timeout", "10s");
    DashboardConfig config = TestDashboards.config(dir, overrides);
    assertThat(simApi.post("/sim/faults", "{\"endpoint\":\"quotes\",\"mode\":\"outage\"}").status()).isEqualTo(200);
    // the recovery timeout ends 0, 1, 2, ... ms after the request starts reading the clock: somewhere between the
    // request's look at the breaker and the breaker's own admission, whatever the number of readings in between
    for (int k = 0; k < 24; k++) {
      TickingClock clock = new TickingClock(new ManualClock(Instant.parse("2026-03-18T15:00:00Z")),
          Duration.ofMillis(1));
      UpstreamBudget budget = UpstreamBudget.local(1, clock);
      CircuitBreakerRegistry registry = new CircuitBreakerRegistry();
      MarketDataService market = service(config, clock, budget, registry);
      try {
        long before = upstreamQuotes();
        assertThatThrownBy(() -> market.quote("AAPL")).isInstanceOf(DataUnavailableException.class);
        assertThat(registry.get("current_price").orElseThrow().isOpen()).isTrue();
        assertThat(upstreamQuotes() - before).as("the call that opened the breaker spent the budget").isEqualTo(1);

        clock.base.advance(Duration.ofSeconds(10).minusMillis(k));
        clock.armed = true;
        assertThatThrownBy(() -> market.quote("AAPL")).isInstanceOf(DataUnavailableException.class);
        clock.armed = false;
        assertThat(upstreamQuotes() - before).as("no call without a permit (recovery ended %d ms into the request)", k)
            .isEqualTo(1);
      } finally {
        market.close();
      }
    }
  }

  @Test
  void aCallInterruptedOnOurSideIsNoUpstreamFailure() throws Exception {
    // shutdown interrupts the threads loading dashboard parts: three interrupted chain loads opened options_chain,
    // persisted OPEN, and the restarted service refused chains for 90 s
    DashboardConfig config = TestDashboards.config(dir, Map.of("breaker.current_price.failure-threshold", "1"));
    ManualClock clock = new ManualClock(Instant.parse("2026-03-18T15:00:00Z"));
    UpstreamBudget budget = UpstreamBudget.local(120, clock);
    CircuitBreakerRegistry registry = new CircuitBreakerRegistry();
    MarketDataService market = service(config, clock, budget, registry);
    try {
      assertThat(simApi.post("/sim/faults", "{\"endpoint\":\"quotes\",\"mode\":\"latency\",\"latencyMs\":20000}")
          .status()).isEqualTo(200);
      long before = upstreamQuotes();
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread caller = new Thread(() -> {
        try {
          market.quote("AAPL");
        } catch (RuntimeException e) {
          thrown.set(e);
        }
      }, "interrupted-caller");
      caller.start();
      while (upstreamQuotes() == before) { // the call is in flight
        Thread.onSpinWait();
      }
      caller.interrupt();
      caller.join(Duration.ofSeconds(30).toMillis());
      assertThat(caller.isAlive()).isFalse();
      assertThat(thrown.get()).isInstanceOf(DataUnavailableException.class);
      CircuitBreaker breaker = registry.get("current_price").orElseThrow();
      assertThat(breaker.getStatus().failureCount()).as("not the upstream's failure").isZero();
      assertThat(breaker.isClosed()).isTrue();
    } finally {
      market.close();
    }
  }
}
