package dev.optionchain.marketsim;

import dev.optionchain.marketsim.internal.FaultRule;
import java.time.Duration;
import java.util.Optional;

/**
 * A fault to inject into the simulator: exactly what {@code POST /sim/faults} accepts, for
 * setting faults at start-up ({@link MarketSim.Builder#fault(FaultSpec)}, {@code --fault}).
 *
 * <pre>{@code
 * FaultSpec down30s = FaultSpec.parse("""
 *     {"endpoint": "chains", "mode": "outage", "durationSeconds": 30}""");
 * }</pre>
 *
 * <p>Body: {@code endpoint} ({@code quotes}, {@code history}, {@code expirations},
 * {@code chains}, {@code lookup} or {@code *} for all), {@code mode} and its parameters —
 * <ul>
 *   <li>{@code outage}: every call answers 503;</li>
 *   <li>{@code error_rate}: {@code rate} in [0, 1] of calls answer 500;</li>
 *   <li>{@code latency}: {@code latencyMs}, or {@code minMs} and {@code maxMs} (uniform), at most 600000;</li>
 *   <li>{@code rate_limit}: {@code perMinute} requests per client per minute, then 429 with {@code Retry-After};</li>
 *   <li>{@code auth}: 401 invalid-token fault;</li>
 *   <li>{@code malformed}: the first half of the real JSON body;</li>
 *   <li>{@code html}: an HTML error page with status 200;</li>
 *   <li>{@code empty}: the payload is {@code null}, e.g. {@code {"options":null}};</li>
 *   <li>{@code flapping}: {@code upSeconds} healthy, then {@code downSeconds} of 503 (default 10 each), repeating;</li>
 * </ul>
 * and optionally {@code durationSeconds} (&gt; 0) after which the fault ends by itself.
 *
 * <p>Immutable and thread-safe; equal when their canonical JSON is equal.
 */
public final class FaultSpec {

  private final FaultRule rule;

  private FaultSpec(FaultRule rule) {
    this.rule = rule;
  }

  /**
   * Parses and validates a fault body.
   *
   * @param json the JSON object, exactly as {@code POST /sim/faults} accepts it
   * @return the fault
   * @throws IllegalArgumentException naming the offending field and value, e.g.
   *                                  {@code rate: 1.5 is outside [0.0, 1.0]}
   */
  public static FaultSpec parse(String json) {
    return new FaultSpec(FaultRule.parse(json));
  }

  /**
   * The endpoint the fault applies to.
   *
   * @return {@code "*"} or an endpoint name such as {@code "chains"}
   */
  public String endpoint() {
    return rule.endpoint();
  }

  /**
   * The fault mode.
   *
   * @return the mode's wire name, e.g. {@code "latency"}
   */
  public String mode() {
    return rule.modeName();
  }

  /**
   * How long the fault lasts once set.
   *
   * @return the duration, or empty for "until cleared"
   */
  public Optional<Duration> duration() {
    return rule.duration();
  }

  /**
   * The canonical JSON body: defining fields only, in a fixed order.
   *
   * @return JSON accepted by {@link #parse} and {@code POST /sim/faults}
   */
  public String toJson() {
    return rule.toJson();
  }

  FaultRule rule() {
    return rule;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FaultSpec spec && rule.equals(spec.rule);
  }

  @Override
  public int hashCode() {
    return rule.hashCode();
  }

  @Override
  public String toString() {
    return "FaultSpec" + rule.toJson();
  }
}
