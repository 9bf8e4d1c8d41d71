package dev.optionchain.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server keeps answering correctly under concurrent load; only injected errors appear. */
class LoadTest {

  private static final int THREADS = 16;
  private static final int REQUESTS_PER_THREAD = 30;
  private static final List<String> MIX = List.of(
      "/v1/markets/quotes?symbols=AAPL,MSFT,SPY,QQQ,TSLA",
      "/v1/markets/options/expirations?symbol=NVDA",
      "/v1/markets/options/chains?symbol=SPY&expiration=2026-03-27&greeks=true",
      "/v1/markets/options/chains?symbol=AMD&expiration=2026-04-17",
      "/v1/markets/history?symbol=KO&start=2025-09-01",
      "/v1/markets/lookup?q=in",
      "/v1/markets/quotes?symbols=F,T,BAC,XOM");

  private static MarketSim sim;

  @BeforeAll
  static void start() {
    sim = MarketSim.builder().clock(TestClock.at("2026-03-18T15:00:00Z")).start();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @AfterEach
  void clear() {
    Http.delete(sim, "/sim/faults");
    Http.delete(sim, "/sim/stats");
  }

  @Test
  void answersHundredsOfConcurrentRequestsWithoutErrors() throws Exception {
    Map<Integer, AtomicInteger> statuses = hammer();
    assertThat(statuses).containsOnlyKeys(200);
    assertThat(statuses.get(200).get()).isEqualTo(THREADS * REQUESTS_PER_THREAD);
    long counted = 0;
    var endpoints = Http.ok(sim, "/sim/stats").path("endpoints");
    for (var e : endpoints) {
      counted += e.path("requests").asLong();
      assertThat(e.path("faults").asLong()).isZero();
    }
    assertThat(counted).isEqualTo(THREADS * REQUESTS_PER_THREAD);
  }

  @Test
  void underAnErrorRateOnlyTheInjectedErrorsAppear() throws Exception {
    assertThat(Http.post(sim, "/sim/faults", "{\"endpoint\":\"*\",\"mode\":\"error_rate\",\"rate\":0.25}")
        .statusCode()).isEqualTo(200);
    Map<Integer, AtomicInteger> statuses = hammer();
    assertThat(statuses).containsOnlyKeys(200, 500);
    int errors = statuses.get(500).get();
    assertThat(errors).isBetween(60, 180);   // 25% of 480, with a wide margin
    long faults = 0;
    for (var e : Http.ok(sim, "/sim/stats").path("endpoints")) {
      faults += e.path("faults").asLong();
    }
    assertThat(faults).isEqualTo(errors);
  }

  /** THREADS threads released together, each sending REQUESTS_PER_THREAD requests; counts statuses. */
  private static Map<Integer, AtomicInteger> hammer() throws Exception {
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
            HttpResponse<String> response = Http.get(sim, MIX.get((thread + i) % MIX.size()));
            statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
            if (response.statusCode() == 200) {
              Http.json(response);   // must be complete JSON
            }
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return statuses;
  }
}
