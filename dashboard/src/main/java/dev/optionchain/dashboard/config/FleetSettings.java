package dev.optionchain.dashboard.config;

import dev.optionchain.dashboard.secrets.Secrets;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Fleet mode ({@code docs/fleet.md}): several instances sharing breaker decisions, answers and the upstream budget
 * through Redis. Off unless {@code fleet.redis-url} is set. Immutable.
 *
 * @param redisUrl {@code redis://[:password@]host[:port][/db]} ({@code rediss://} for TLS), or empty: a single
 *     instance, exactly as without fleet mode ({@code fleet.redis-url}, default empty)
 * @param instanceId this instance's name in the fleet: in messages, events, history, alerts and the health check
 *     ({@code fleet.instance-id}; default {@code <host name>:<server.port>}, or {@code <host name>:<pid>} when the
 *     port is 0)
 * @param commandTimeout longest wait for one Redis command, after which the instance goes on alone for that request
 *     ({@code fleet.command-timeout}, default 50 ms)
 * @param trialLease how long the instance that won a breaker's trial lease may make the trial call before another
 *     may; a dead holder's lease expires after it ({@code fleet.trial-lease}, default 10 s); a breaker's lease lasts at
 *     least twice its longest trial (twice its request timeout plus the command timeout) whatever this says
 * @param lastGoodFor how long the fleet keeps each key's last good answer as the stale fallback
 *     ({@code fleet.last-good-for}, default 1 d)
 * @param maxAnswerBytes largest answer shared, compressed; larger ones stay local ({@code fleet.max-answer-bytes},
 *     default 2 MiB)
 */
public record FleetSettings(Optional<URI> redisUrl, String instanceId, Duration commandTimeout, Duration trialLease,
    Duration lastGoodFor, int maxAnswerBytes) {

  /** What an instance id may contain: it is shown on the page and written into keys and messages. */
  private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,64}");

  /** Validates. */
  public FleetSettings {
    Objects.requireNonNull(redisUrl, "redisUrl");
    if (!INSTANCE_ID.matcher(instanceId).matches()) {
      throw new IllegalArgumentException("fleet.instance-id must be 1 to 64 letters, digits or . _ : @ -, was '"
          + Secrets.hint(instanceId) + "'");
    }
  }

  /**
   * Returns whether fleet mode is on.
   *
   * @return true when a Redis URL is set
   */
  public boolean enabled() {
    return redisUrl.isPresent();
  }

  static FleetSettings from(Settings s, int port) {
    String id = s.string("fleet.instance-id");
    return new FleetSettings(
        redisUrl(s.string("fleet.redis-url")),
        id.isEmpty() ? defaultInstanceId(port) : id,
        s.duration("fleet.command-timeout"),
        s.duration("fleet.trial-lease"),
        s.duration("fleet.last-good-for"),
        s.integer("fleet.max-answer-bytes", 1024, 256 * 1024 * 1024));
  }

  /** {@code host:port}, or {@code host:pid} when the port is picked by the system (0). */
  static String defaultInstanceId(int port) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException | SecurityException e) {
      host = "instance";
    }
    host = host.replaceAll("[^A-Za-z0-9.-]", "-");
    if (host.length() > 40) {
      host = host.substring(0, 40);
    }
    String suffix = port != 0 ? Integer.toString(port)
        : ProcessHandle.current().pid() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000));
    return host + ":" + suffix;
  }

  private static Optional<URI> redisUrl(String v) {
    if (v.isEmpty()) {
      return Optional.empty();
    }
    String shown = Secrets.hint(v);
    try {
      URI uri = new URI(v);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("redis") || scheme.equals("rediss")) || uri.getHost() == null) {
        throw new IllegalArgumentException("fleet.redis-url must be a redis:// or rediss:// URL with a host, was '"
            + shown + "'");
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("fleet.redis-url must be a redis:// or rediss:// URL, was '" + shown + "'");
    }
  }

  @Override
  public String toString() {
    return redisUrl.map(u -> "redis " + Secrets.shown(u) + ", instance " + instanceId + ", command timeout "
        + commandTimeout.toMillis() + " ms, trial lease " + trialLease.toMillis() + " ms").orElse("off");
  }
}
