package dev.optionchain.dashboard.web;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may change state: every request that is not {@code GET} or {@code HEAD} (the admin endpoints, the chaos
 * relay {@code /api/sim/...}, anything else) passes here first.
 *
 * <ul>
 *   <li><b>An admin token is configured:</b> the request must carry {@code Authorization: Bearer <token>}
 *       (compared in constant time); otherwise 401 with {@code WWW-Authenticate}. A bearer header cannot be sent
 *       cross-site without a CORS preflight, which this service never grants, so a web page the operator visits
 *       cannot forge one.</li>
 *   <li><b>No token, and the service listens on a non-loopback address:</b> refused with 403; anyone on the
 *       network could otherwise black-hole the upstream. The service warns at start.</li>
 *   <li><b>No token, loopback only:</b> only requests the service's own page could send. The {@code Host} must be
 *       a name the service is bound to ({@code localhost}, a {@code 127.x.x.x} or {@code [::1]} literal, or
 *       {@code server.host}), which a DNS-rebinding page cannot fake; an {@code Origin}, when sent, must be this
 *       very origin ({@code http://} + {@code Host}); a {@code Sec-Fetch-Site}, when sent, must be
 *       {@code same-origin}; and the {@code Content-Type} must be {@code application/json}, which no cross-site
 *       "simple" request (form, {@code text/plain}) can carry without a preflight. Tools on the machine itself
 *       ({@code curl -H 'Content-Type: application/json' ...}) send neither header and are let through.</li>
 * </ul>
 * Each refusal is one WARN line naming the method, path, client and reason (the values echoed bounded). Stateless
 * after construction; thread-safe.
 */
final class Authority {

  private static final Logger LOG = LoggerFactory.getLogger(Authority.class);
  /** A shorter admin token is warned about at start. */
  static final int MIN_TOKEN_LENGTH = 16;
  private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

  private final Optional<byte[]> token;
  private final boolean loopbackOnly;
  private final String boundHost;

  /**
   * Creates the check.
   *
   * @param token the admin token, if configured
   * @param host {@code server.host}
   */
  Authority(Optional<String> token, String host) {
    this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    this.loopbackOnly = isLoopback(host);
    this.boundHost = host.toLowerCase(Locale.ROOT);
  }

  /**
   * Tells what is weak or closed in this configuration: state changes refused to everyone (a network address
   * without a token), a short token.
   *
   * @param token the admin token, if configured
   * @param host {@code server.host}
   * @return the warnings to log at start
   */
  static List<String> startWarnings(Optional<String> token, String host) {
    List<String> warnings = new ArrayList<>();
    if (token.isEmpty() && !isLoopback(host)) {
      warnings.add("server.host=" + host + " is reachable from the network and no admin.token is set: every "
          + "state change (chaos panel, /api/sim/..., /api/admin/...) is refused with 403. Set admin.token "
          + "(OCD_ADMIN_TOKEN) to allow them with Authorization: Bearer <token>.");
    }
    token.filter(t -> t.length() < MIN_TOKEN_LENGTH).ifPresent(t -> warnings.add("admin.token is only "
        + t.length() + " characters long; use at least " + MIN_TOKEN_LENGTH + " random characters"));
    return warnings;
  }

  /**
   * Runs before every route: lets {@code GET} and {@code HEAD} through, answers any other request that may not
   * change state (401 or 403, or 415 for a wrong {@code Content-Type}).
   *
   * @param ctx the request
   * @return true when the request was refused and must go no further
   */
  boolean refused(Context ctx) {
    String method = ctx.method().name();
    if (method.equals("GET") || method.equals("HEAD")) {
      return false;
    }
    if (token.isPresent()) {
      String header = ctx.header("Authorization");
      String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
          ? header.substring(7).trim() : "";
      if (MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token.get())) {
        return false;
      }
      ctx.header("WWW-Authenticate", "Bearer realm=\"dashboard\"");
      return refuse(ctx, 401, header == null ? "missing Authorization" : "wrong bearer token",
          method + " requests require Authorization: Bearer <admin token>");
    }
    if (!loopbackOnly) {
      return refuse(ctx, 403, "no admin.token on a network address", "state changes are refused: this service "
          + "is reachable from the network and no admin.token is configured");
    }
    String host = ctx.header("Host");
    if (host == null || !isBoundName(hostName(host))) {
      return refuse(ctx, 403, "Host " + QueryParams.echo(host), "the Host header must name this service "
          + "(localhost); state changes through another name are refused (DNS rebinding)");
    }
    String origin = ctx.header("Origin");
    if (origin != null && !origin.equalsIgnoreCase("http://" + host)) {
      return refuse(ctx, 403, "Origin " + QueryParams.echo(origin), "cross-origin state changes are refused");
    }
    String site = ctx.header("Sec-Fetch-Site");
    if (site != null && !site.equalsIgnoreCase("same-origin")) {
      return refuse(ctx, 403, "Sec-Fetch-Site " + QueryParams.echo(site), "cross-site state changes are refused");
    }
    String type = ctx.header("Content-Type");
    String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!media.equals("application/json")) {
      return refuse(ctx, 415, "Content-Type " + QueryParams.echo(type), "state changes must be sent with "
          + "Content-Type: application/json");
    }
    return false;
  }

  private boolean refuse(Context ctx, int status, String why, String message) {
    LOG.warn("refused {} {} from {}: {}", QueryParams.echo(ctx.method().name()), QueryParams.echo(ctx.path()),
        ctx.ip(), why);
    ErrorMapper.write(ctx, status, message);
    return true;
  }

  private boolean isBoundName(String name) {
    return name.equals("localhost") || name.equals("[::1]") || IPV4_LOOPBACK.matcher(name).matches()
        || name.equals(boundHost);
  }

  /** The host name of a {@code Host} header, lower case, without its port; an IPv6 literal keeps its brackets. */
  static String hostName(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.lastIndexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  private static boolean isLoopback(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
