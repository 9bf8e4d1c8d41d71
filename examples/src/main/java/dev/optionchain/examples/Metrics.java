package dev.optionchain.examples;

import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.breaker.micrometer.CircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/** The Micrometer sample of {@code docs/circuit-breaker.md}. */
public final class Metrics {

  private Metrics() {}

  /**
   * Publishes every breaker of {@code registry} to {@code meterRegistry}, then stops.
   *
   * @param registry the breakers
   * @param meterRegistry where the meters go
   * @param whileBound runs while the meters are bound
   */
  public static void bind(CircuitBreakerRegistry registry, MeterRegistry meterRegistry, Runnable whileBound) {
    // tag::micrometer[]
    CircuitBreakerMetrics metrics = CircuitBreakerMetrics.of(registry)        // every breaker of the registry, now or later
        .tags(Tags.of("service", "dashboard"));                              // optional common tags
    metrics.bindTo(meterRegistry);
    // end::micrometer[]
    whileBound.run();
    // tag::micrometer[]
    // ...
    metrics.close();                                                         // stops counting transitions
    // end::micrometer[]
  }
}
