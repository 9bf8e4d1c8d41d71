package dev.optionchain.examples;

import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerConfig;
import dev.optionchain.breaker.SlidingWindow;
import dev.optionchain.breaker.TripPolicy;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** The configuration samples of {@code docs/circuit-breaker.md}: one config shared by two breakers, and a rate policy. */
public final class Configuration {

  private Configuration() {}

  /**
   * Two breakers sharing the default-valued consecutive-failure configuration.
   *
   * @return the two breakers
   */
  public static List<CircuitBreaker> shared() {
    // tag::shared-config[]
    CircuitBreakerConfig cfg = CircuitBreakerConfig.builder()
        .failureThreshold(5)                      // default 5
        .recoveryTimeout(Duration.ofSeconds(60))  // default 60 s
        .build();
    CircuitBreaker a = CircuitBreaker.of("current_price", cfg);
    CircuitBreaker b = CircuitBreaker.of("ticker_info", cfg);
    // end::shared-config[]
    return List.of(a, b);
  }

  /**
   * A failure-rate policy over a 30 s window that also trips on slow calls and on HTTP 5xx answers.
   *
   * @return the configuration
   */
  public static CircuitBreakerConfig rate() {
    // tag::shared-config[]
    CircuitBreakerConfig rate = CircuitBreakerConfig.builder()
        .tripPolicy(TripPolicy.failureRate(50, SlidingWindow.ofTime(Duration.ofSeconds(30)), 20)   // 50 % of the last 30 s,
            .withSlowCallRateThreshold(80))                                                         // or 80 % slow calls,
        .slowCallDuration(Duration.ofSeconds(2))                                                    // once 20 calls are in
        .recordResult(HttpResponse.class, r -> r.statusCode() >= 500)
        .build();
    // end::shared-config[]
    return rate;
  }
}
