package dev.optionchain.dashboard.config;

import dev.optionchain.dashboard.secrets.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The service's typed, validated configuration, read from {@link Settings}. Immutable.
 *
 * @param host interface to listen on
 * @param port port to listen on; 0 picks a free one
 * @param dataDir directory of the cache file
 * @param upstreamBaseUrl a Tradier-compatible base URL, or empty to run the embedded simulator
 * @param upstreamToken bearer token for the upstream
 * @param connectTimeout upstream connect timeout, the default of each breaker's
 * @param rateLimitPerMinute upstream calls allowed per minute, all kinds together (0 = no client-side budget)
 * @param warmUpRequests HTTP requests run at start to a throwaway copy of the web server and the upstream path against
 *     recorded answers on loopback ports, never the upstream, so that its code is compiled before the first request
 *     (0 = none)
 * @param simSeed the embedded simulator's seed
 * @param breakersEnabled whether upstream calls go through circuit breakers
 * @param breakers breaker settings by name, in the order of {@link #BREAKER_NAMES}
 * @param adminToken bearer token of the admin endpoints, or empty to refuse them
 * @param alerts where state-change alerts go
 * @param cache the memory in front of the upstream and the writes behind it
 * @param limits the web server's limits on connections, request reading and event streams
 * @param management the management listener, if one is configured
 * @param duckdb DuckDB's memory and thread limits
 * @param fleet fleet mode: Redis, this instance's id, timeouts ({@link FleetSettings}); off by default
 */
public record DashboardConfig(
    String host,
    int port,
    Path dataDir,
    Optional<URI> upstreamBaseUrl,
    Optional<String> upstreamToken,
    Duration connectTimeout,
    int rateLimitPerMinute,
    int warmUpRequests,
    long simSeed,
    boolean breakersEnabled,
    Map<String, BreakerSettings> breakers,
    Optional<String> adminToken,
    AlertSettings alerts,
    CacheSettings cache,
    ServerLimits limits,
    Optional<ManagementListener> management,
    DuckDbLimits duckdb,
    FleetSettings fleet) {

  /** The five upstream calls, each with its breaker. */
  public static final String CURRENT_PRICE = "current_price";
  /** Price history. */
  public static final String PRICE_HISTORY = "price_history";
  /** Option chains. */
  public static final String OPTIONS_CHAIN = "options_chain";
  /** Ticker info. */
  public static final String TICKER_INFO = "ticker_info";
  /** Option expirations. */
  public static final String EXPIRATIONS = "expirations";
  /** All breaker names, in registration order. */
  public static final List<String> BREAKER_NAMES =
      List.of(CURRENT_PRICE, PRICE_HISTORY, OPTIONS_CHAIN, TICKER_INFO, EXPIRATIONS);

  /** Copies the breaker map. */
  public DashboardConfig {
    breakers = Collections.unmodifiableMap(new LinkedHashMap<>(breakers));
  }

  /**
   * Returns this configuration with other breaker settings.
   *
   * @param breakers settings by name, for each of {@link #BREAKER_NAMES}
   * @return a copy with those
   */
  public DashboardConfig withBreakers(Map<String, BreakerSettings> breakers) {
    return new DashboardConfig(host, port, dataDir, upstreamBaseUrl, upstreamToken, connectTimeout, rateLimitPerMinute,
        warmUpRequests, simSeed, breakersEnabled, breakers, adminToken, alerts, cache, limits, management, duckdb,
        fleet);
  }

  /**
   * Returns this configuration listening on another address, without a management listener.
   *
   * @param host interface to listen on
   * @param port port to listen on; 0 picks a free one
   * @return a copy with those
   */
  public DashboardConfig withListener(String host, int port) {
    return new DashboardConfig(host, port, dataDir, upstreamBaseUrl, upstreamToken, connectTimeout, rateLimitPerMinute,
        warmUpRequests, simSeed, breakersEnabled, breakers, adminToken, alerts, cache, limits, Optional.empty(),
        duckdb, fleet);
  }

  /**
   * Returns this configuration with other cache settings.
   *
   * @param cache the memory and write settings
   * @return a copy with those
   */
  public DashboardConfig withCache(CacheSettings cache) {
    return new DashboardConfig(host, port, dataDir, upstreamBaseUrl, upstreamToken, connectTimeout, rateLimitPerMinute,
        warmUpRequests, simSeed, breakersEnabled, breakers, adminToken, alerts, cache, limits, management, duckdb,
        fleet);
  }

  /**
   * Reads and validates the configuration.
   *
   * @param s the settings
   * @return the configuration
   * @throws IllegalArgumentException naming the key and the value of the first invalid setting
   */
  public static DashboardConfig from(Settings s) {
    Duration connectTimeout = s.duration("upstream.connect-timeout");
    Map<String, BreakerSettings> breakers = new LinkedHashMap<>();
    for (String name : BREAKER_NAMES) {
      String prefix = "breaker." + name + ".";
      Duration requestTimeout = s.duration(prefix + "request-timeout");
      breakers.put(name, new BreakerSettings(name,
          s.integer(prefix + "failure-threshold", 1, 1_000_000),
          s.duration(prefix + "recovery-timeout"),
          requestTimeout,
          s.string(prefix + "connect-timeout").isEmpty() ? connectTimeout : s.duration(prefix + "connect-timeout"),
          s.freshFor(prefix + "fresh-for"),
          s.string(prefix + "slow-call-duration").isEmpty()
              ? BreakerSettings.defaultSlowCallDuration(requestTimeout)
              : Optional.of(s.durationOrZero(prefix + "slow-call-duration")).filter(d -> !d.isZero()),
          s.integer(prefix + "max-concurrent-calls", 1, ServerLimits.WORKER_THREADS),
          s.integer(prefix + "max-waiting-requests", 1, ServerLimits.WORKER_THREADS)));
    }
    checkWaitingFitsTheWorkers(breakers);
    String host = s.string("server.host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("server.host must not be empty, was ''");
    }
    String dataDir = s.string("data.dir");
    if (dataDir.isEmpty()) {
      throw new IllegalArgumentException("data.dir must not be empty, was ''");
    }
    int port = s.integer("server.port", 0, 65_535);
    return new DashboardConfig(
        host,
        port,
        Path.of(dataDir),
        baseUrl(s.string("upstream.base-url")),
        nonEmpty(s.string("upstream.token")),
        connectTimeout,
        s.integer("upstream.rate-limit-per-minute", 0, 1_000_000),
        s.integer("upstream.warm-up-requests", 0, 100_000),
        s.longValue("sim.seed"),
        s.bool("breakers.enabled"),
        breakers,
        nonEmpty(s.string("admin.token")),
        new AlertSettings(
            webhooks(s.string("alerts.webhooks")),
            s.duration("alerts.timeout"),
            s.integer("alerts.max-attempts", 1, 100),
            s.duration("alerts.backoff"),
            s.integer("alerts.queue-capacity", 1, 1_000_000)),
        new CacheSettings(
            s.integer("cache.memory-entries", 1, 10_000_000),
            s.bytes("cache.memory-limit", CacheSettings.MIN_MEMORY_LIMIT),
            s.durationOrZero("cache.unknown-symbols-for"),
            s.integer("cache.write-batch-size", 1, 100_000),
            s.integer("cache.write-queue-capacity", 1, 10_000_000),
            s.integer("cache.write-max-attempts", 1, 100),
            s.durationOrZero("cache.write-retry-backoff")),
        new ServerLimits(
            s.integer("server.max-connections", 1, 1_000_000),
            s.duration("server.request-read-timeout"),
            s.duration("server.idle-timeout"),
            s.integer("events.max-clients", 1, 1_000_000)),
        management(s, host),
        new DuckDbLimits(memory(s.string("duckdb.memory-limit")), s.integer("duckdb.threads", 1, 256)),
        FleetSettings.from(s, port));
  }

  /**
   * Requests waiting for the upstream hold a worker thread each: together they must leave
   * {@link ServerLimits#THREADS_KEPT_FROM_UPSTREAM} of the {@link ServerLimits#WORKER_THREADS} to everything else, so
   * that a slow upstream can never keep a liveness probe waiting for a thread.
   */
  private static void checkWaitingFitsTheWorkers(Map<String, BreakerSettings> breakers) {
    int waiting = breakers.values().stream().mapToInt(BreakerSettings::maxWaitingRequests).sum();
    int allowed = ServerLimits.WORKER_THREADS - ServerLimits.THREADS_KEPT_FROM_UPSTREAM;
    if (waiting > allowed) {
      throw new IllegalArgumentException("breaker.*.max-waiting-requests together must be at most " + allowed
          + " (of the server's " + ServerLimits.WORKER_THREADS + " worker threads, "
          + ServerLimits.THREADS_KEPT_FROM_UPSTREAM + " are kept for probes, metrics and answers from memory), was "
          + waiting);
    }
  }

  private static Optional<ManagementListener> management(Settings s, String serverHost) {
    if (s.string("management.port").isEmpty()) {
      return Optional.empty();
    }
    String host = s.string("management.host");
    return Optional.of(new ManagementListener(host.isEmpty() ? serverHost : host,
        s.integer("management.port", 0, 65_535)));
  }

  private static String memory(String v) {
    if (Settings.parseBytes(v) < 0) {
      throw new IllegalArgumentException("duckdb.memory-limit must be a size like 256MB or 1GiB, was '" + v + "'");
    }
    return v.replaceAll("\\s+", "");
  }

  private static List<URI> webhooks(String v) {
    List<URI> out = new ArrayList<>();
    for (String part : v.split(",")) {
      String url = part.trim();
      if (url.isEmpty()) {
        continue;
      }
      try {
        URI uri = new URI(url);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("alerts.webhooks must be http(s) URLs, was '" + Secrets.hint(url) + "'");
        }
        out.add(uri);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("alerts.webhooks must be http(s) URLs, was '" + Secrets.hint(url) + "'");
      }
    }
    return out;
  }

  /**
   * Returns the settings of one breaker.
   *
   * @param name one of {@link #BREAKER_NAMES}
   * @return its settings
   */
  public BreakerSettings breaker(String name) {
    BreakerSettings b = breakers.get(name);
    if (b == null) {
      throw new IllegalArgumentException("no breaker named '" + name + "'");
    }
    return b;
  }

  /**
   * Returns whether the embedded simulator is the upstream.
   *
   * @return true when no base URL is configured
   */
  public boolean embeddedUpstream() {
    return upstreamBaseUrl.isEmpty();
  }

  private static Optional<URI> baseUrl(String v) {
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException("upstream.base-url must be an http(s) URL, was '" + Secrets.hint(v) + "'");
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("upstream.base-url must be an http(s) URL, was '" + Secrets.hint(v) + "'");
    }
  }

  private static Optional<String> nonEmpty(String v) {
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  /**
   * Returns every secret of this configuration: the upstream and admin tokens, the user-info of the upstream's base
   * URL and of the fleet's Redis URL, and the alert webhooks, whose URLs are credentials ({@link Secrets#inCredentialUrl}).
   *
   * @return the secrets, for {@link Secrets#redact}
   */
  public Secrets secrets() {
    Secrets s = Secrets.of(Arrays.asList(upstreamToken.orElse(null), adminToken.orElse(null)))
        .and(Secrets.inUserInfo(upstreamBaseUrl.orElse(null)))
        .and(Secrets.inUserInfo(fleet.redisUrl().orElse(null)));
    for (URI webhook : alerts.webhooks()) {
      s = s.and(Secrets.inCredentialUrl(webhook));
    }
    return s;
  }

  @Override
  public String toString() {
    return "DashboardConfig[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", upstream="
        + upstreamBaseUrl.map(Secrets::shown).orElse("embedded marketsim (seed " + simSeed + ")")
        + ", upstreamToken=" + (upstreamToken.isPresent() ? "****" : "none")
        + ", rateLimitPerMinute=" + rateLimitPerMinute + ", warmUpRequests=" + warmUpRequests
        + ", breakersEnabled=" + breakersEnabled + ", breakers=" + breakers.values()
        + ", adminToken=" + (adminToken.isPresent() ? "****" : "none")
        + ", alertWebhooks=" + alerts.webhooks().size() + ", limits=" + limits
        + ", management=" + management.map(m -> m.host() + ":" + m.port()).orElse("none") + ", duckdb=" + duckdb
        + ", cache=" + cache + ", fleet=" + fleet + "]";
  }
}
