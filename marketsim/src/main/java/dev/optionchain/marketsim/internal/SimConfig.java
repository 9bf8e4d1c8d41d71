package dev.optionchain.marketsim.internal;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Validated settings of one simulator instance. Immutable.
 *
 * @param host   interface to bind (e.g. {@code 127.0.0.1})
 * @param port   TCP port, 0 for an ephemeral one
 * @param seed   seed of every random quantity
 * @param token  required bearer token, or null for no authentication
 * @param clock  the simulated "now"
 * @param faults faults active from the start, in order (a later one replaces an earlier one for the same endpoint)
 * @param rateLimit market-data requests allowed per client and clock minute, all endpoints together, answered 429
 *     beyond; 0 = not enforced (the headers then report Tradier's nominal 120)
 */
public record SimConfig(String host, int port, long seed, String token, Clock clock, List<FaultRule> faults,
    int rateLimit) {

  /**
   * Validates and copies the settings.
   *
   * @param host   interface to bind
   * @param port   TCP port, 0..65535
   * @param seed   seed
   * @param token  bearer token or null
   * @param clock  the simulated "now"
   * @param faults start-up faults
   * @param rateLimit requests per minute, 0 for none
   */
  public SimConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(clock, "clock");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port: " + port + " is outside 0..65535");
    }
    if (token != null && token.isBlank()) {
      throw new IllegalArgumentException("token: must not be blank (use null for no authentication)");
    }
    faults = List.copyOf(faults);
    if (rateLimit < 0) {
      throw new IllegalArgumentException("rateLimit: " + rateLimit + " must not be negative (0 = off)");
    }
  }
}
