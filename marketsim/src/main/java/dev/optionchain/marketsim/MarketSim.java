package dev.optionchain.marketsim;

import dev.optionchain.marketsim.internal.FaultRule;
import dev.optionchain.marketsim.internal.SimConfig;
import dev.optionchain.marketsim.internal.SimServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An embedded market-data upstream that speaks a subset of Tradier's REST API
 * ({@code /v1/markets/quotes}, {@code history}, {@code options/expirations},
 * {@code options/chains}, {@code lookup}) with deterministic simulated data, plus a
 * fault-injection control API under {@code /sim}.
 *
 * <pre>{@code
 * try (MarketSim sim = MarketSim.builder().seed(7L).token("secret").start()) {
 *     String base = sim.baseUrl();   // e.g. http://localhost:41234
 *     // GET base + "/v1/markets/quotes?symbols=AAPL" with "Authorization: Bearer secret"
 * }
 * }</pre>
 *
 * <p>Answers depend only on the seed, the simulated instant (from the clock) and the request.
 * The server listens on the loopback interface. Instances are thread-safe; {@link #close()} is
 * idempotent.
 */
public final class MarketSim implements AutoCloseable {

  private final SimServer server;

  private MarketSim(SimServer server) {
    this.server = server;
  }

  /**
   * Starts configuring a simulator.
   *
   * @return a builder with the defaults: port 0, seed 42, no token, the UTC system clock, no faults, no rate limit
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The port the server listens on.
   *
   * @return the bound port, never 0
   */
  public int port() {
    return server.port();
  }

  /**
   * The base URL to configure as the upstream, to which Tradier paths such as
   * {@code /v1/markets/quotes} are appended.
   *
   * @return {@code http://localhost:<port>}, without a trailing slash
   */
  public String baseUrl() {
    return "http://localhost:" + port();
  }

  /**
   * The simulated universe.
   *
   * @return the symbols (stocks and ETFs), in a fixed order; immutable
   */
  public List<String> symbols() {
    return server.symbols();
  }

  /** Stops the server. Idempotent. */
  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "MarketSim[" + baseUrl() + "]";
  }

  /** Collects settings for {@link #start()}. Not thread-safe; each setter validates its argument. */
  public static final class Builder {

    private String host = "127.0.0.1";
    private int port;
    private long seed = 42L;
    private String token;
    private Clock clock = Clock.systemUTC();
    private int rateLimit;
    private final List<FaultSpec> faults = new ArrayList<>();

    private Builder() {
    }

    /**
     * Sets the TCP port.
     *
     * @param port 0..65535; 0 (the default) picks a free ephemeral port
     * @return this builder
     * @throws IllegalArgumentException if the port is out of range
     */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port: " + port + " is outside 0..65535");
      }
      this.port = port;
      return this;
    }

    /**
     * Sets the seed of every simulated quantity.
     *
     * @param seed any value; default 42
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets the bearer token that market-data requests must present
     * ({@code Authorization: Bearer <token>}); {@code /sim} endpoints never need it.
     *
     * @param token the token, or null (the default) for no authentication
     * @return this builder
     * @throws IllegalArgumentException if the token is blank
     */
    public Builder token(String token) {
      if (token != null && token.isBlank()) {
        throw new IllegalArgumentException("token: must not be blank (use null for no authentication)");
      }
      this.token = token;
      return this;
    }

    /**
     * Sets the simulated "now". It drives prices, the listed expirations, rate-limit windows
     * and fault timers ({@code durationSeconds}, flapping); injected latency is real time.
     *
     * @param clock the clock; default {@link Clock#systemUTC()}
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Adds a fault active from start-up. Repeatable; a later fault replaces an earlier one for
     * the same endpoint. Its {@code durationSeconds} counts from start-up.
     *
     * @param fault the fault
     * @return this builder
     */
    public Builder fault(FaultSpec fault) {
      faults.add(Objects.requireNonNull(fault, "fault"));
      return this;
    }

    /**
     * Enforces Tradier's rate limit: at most {@code perMinute} market-data requests per client (bearer token, else
     * address) and clock minute, all endpoints together; beyond it 429 with {@code Retry-After}. The
     * {@code X-Ratelimit-*} headers report it. Off by default (0), so tests stay fast; the headers then report
     * Tradier's nominal 120 without enforcing it. A {@code rate_limit} fault still applies on top.
     *
     * @param perMinute requests per minute, at least 1; 0 turns it off
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder rateLimit(int perMinute) {
      if (perMinute < 0) {
        throw new IllegalArgumentException("rateLimit: " + perMinute + " must not be negative (0 = off)");
      }
      this.rateLimit = perMinute;
      return this;
    }

    /** Interface to bind; default 127.0.0.1. Used by the standalone launcher. */
    Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * Binds the port and starts serving. The builder may be reused.
     *
     * @return the running simulator; close it to stop the server
     * @throws IllegalStateException if the server cannot start (e.g. the port is taken)
     */
    public MarketSim start() {
      List<FaultRule> rules = new ArrayList<>();
      for (FaultSpec f : faults) {
        rules.add(f.rule());
      }
      return new MarketSim(SimServer.start(new SimConfig(host, port, seed, token, clock, rules, rateLimit)));
    }
  }
}
