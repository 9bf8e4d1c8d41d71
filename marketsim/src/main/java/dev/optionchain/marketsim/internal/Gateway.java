package dev.optionchain.marketsim.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What stands in front of every market-data endpoint, in this order:
 * <ol>
 *   <li>count the request in {@link Stats};</li>
 *   <li>check the bearer token when one is configured: 401 with Tradier's plain-text body
 *       {@code Invalid Access Token}, not counted against any rate limit and without rate-limit headers;</li>
 *   <li>count it against the client's one-minute window and set {@code X-Ratelimit-Allowed/Used/
 *       Available/Expiry} (the client is the bearer token, else the remote address); with {@code --rate-limit N},
 *       a request beyond N in the window is answered 429;</li>
 *   <li>refuse an over-long query string (414);</li>
 *   <li>apply the endpoint's fault, if any (a fault for the endpoint beats the {@code "*"} fault);</li>
 *   <li>answer.</li>
 * </ol>
 * Latency faults delay the answer without holding a server thread: the request is suspended and
 * resumed on the server's pool by a timer.
 *
 * <p>Thread-safe.
 */
final class Gateway {

  static final int MAX_QUERY_LENGTH = 4096;

  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  /** The content type Tradier sends with its 401 (sic). */
  static final String UNAUTHORIZED_CONTENT_TYPE = "plain/text";
  private static final String HTML_PAGE = "<!DOCTYPE html>\n<html><head><title>Service Temporarily Unavailable"
      + "</title></head>\n<body><h1>Service Temporarily Unavailable</h1>\n<p>The server is temporarily unable"
      + " to service your request due to maintenance downtime or capacity problems. Please try again later."
      + "</p>\n</body></html>\n";

  private final Clock clock;
  private final byte[] token;
  private final long seed;
  private final MarketData market;
  private final FaultBoard faults;
  private final RateLimiter limiter;
  private final Stats stats;
  private final Executor executor;
  private final AtomicLong draws = new AtomicLong();
  private final int rateLimit;

  Gateway(SimConfig config, MarketData market, FaultBoard faults, RateLimiter limiter, Stats stats,
      Executor executor) {
    this.clock = config.clock();
    this.token = config.token() == null ? null : config.token().getBytes(StandardCharsets.UTF_8);
    this.seed = config.seed();
    this.market = market;
    this.faults = faults;
    this.limiter = limiter;
    this.stats = stats;
    this.executor = executor;
    this.rateLimit = config.rateLimit();
  }

  /** An answer body for a valid request, or {@link ApiException}. */
  @FunctionalInterface
  interface Responder {
    ObjectNode respond(Context ctx, MarketMoment moment);
  }

  Handler guard(Endpoint endpoint, Responder responder) {
    return ctx -> handle(endpoint, responder, ctx);
  }

  private void handle(Endpoint endpoint, Responder responder, Context ctx) {
    Instant now = clock.instant();
    stats.request(endpoint);
    String bearer = bearer(ctx);
    String client = bearer != null ? "token:" + bearer : "ip:" + ctx.ip();
    FaultBoard.Active fault = faults.effective(endpoint, now);
    FaultRule.Mode mode = fault == null ? null : fault.rule().mode();
    if (token != null && (bearer == null
        || !MessageDigest.isEqual(token, bearer.getBytes(StandardCharsets.UTF_8)))) {
      unauthorized(ctx);
      return;
    }

    RateLimiter.Usage usage = limiter.hit(FaultRule.ALL, client, now.toEpochMilli());
    int allowed = rateLimit > 0 ? rateLimit : RateLimiter.NOMINAL_PER_MINUTE;
    if (mode == FaultRule.Mode.RATE_LIMIT) {
      allowed = fault.rule().perMinute();
      if (!FaultRule.ALL.equals(fault.rule().endpoint())) {
        usage = limiter.hit(fault.rule().endpoint(), client, now.toEpochMilli());
      }
    }
    ctx.header("X-Ratelimit-Allowed", Integer.toString(allowed));
    ctx.header("X-Ratelimit-Used", Integer.toString(usage.used()));
    ctx.header("X-Ratelimit-Available", Integer.toString(Math.max(0, allowed - usage.used())));
    ctx.header("X-Ratelimit-Expiry", Long.toString(usage.windowEndMillis()));

    String query = ctx.queryString();
    if (query != null && query.length() > MAX_QUERY_LENGTH) {
      write(ctx, 414, Json.fault("Request-URI Too Long: query string of " + query.length()
          + " characters exceeds " + MAX_QUERY_LENGTH, "request.uri_too_long"));
      return;
    }
    if (rateLimit > 0 && usage.used() > rateLimit && mode != FaultRule.Mode.RATE_LIMIT) {
      tooManyRequests(endpoint, ctx, now, usage, rateLimit);
      return;
    }
    if (mode == null) {
      answer(endpoint, responder, ctx, false);
      return;
    }
    switch (mode) {
      case OUTAGE -> serviceUnavailable(endpoint, ctx);
      case FLAPPING -> {
        if (fault.down(now)) {
          serviceUnavailable(endpoint, ctx);
        } else {
          answer(endpoint, responder, ctx, false);
        }
      }
      case ERROR_RATE -> {
        if (draw(endpoint) < fault.rule().rate()) {
          stats.fault(endpoint);
          write(ctx, 500, Json.fault("Internal Server Error", "messaging.adaptors.http.flow.InternalServerError"));
        } else {
          answer(endpoint, responder, ctx, false);
        }
      }
      case RATE_LIMIT -> {
        if (usage.used() > fault.rule().perMinute() || rateLimit > 0 && usage.used() > rateLimit) {
          tooManyRequests(endpoint, ctx, now, usage, Math.min(fault.rule().perMinute(),
              rateLimit > 0 ? rateLimit : Integer.MAX_VALUE));
        } else {
          answer(endpoint, responder, ctx, false);
        }
      }
      case AUTH -> {
        stats.fault(endpoint);
        unauthorized(ctx);
      }
      case HTML -> {
        stats.fault(endpoint);
        ctx.status(200).contentType("text/html;charset=UTF-8").result(HTML_PAGE);
      }
      case EMPTY -> {
        stats.fault(endpoint);
        write(ctx, 200, TradierApi.nullPayload(endpoint));
      }
      case MALFORMED -> answer(endpoint, responder, ctx, true);
      case LATENCY -> {
        stats.fault(endpoint);
        long min = fault.rule().minMs();
        long max = fault.rule().maxMs();
        long delay = min + (long) (draw(endpoint) * (max - min + 1));
        Executor delayed = CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, executor);
        ctx.future(() -> CompletableFuture.runAsync(() -> answerSafely(endpoint, responder, ctx), delayed));
      }
    }
  }

  private void answerSafely(Endpoint endpoint, Responder responder, Context ctx) {
    try {
      answer(endpoint, responder, ctx, false);
    } catch (ApiException e) {
      write(ctx, e.status(), Json.fault(e.getMessage(), e.errorcode()));
    } catch (RuntimeException e) {
      LOG.error("{} failed after an injected delay", endpoint.wire(), e);
      write(ctx, 500, Json.fault("Internal error", "marketsim.internal_error"));
    }
  }

  private void answer(Endpoint endpoint, Responder responder, Context ctx, boolean truncate) {
    MarketMoment moment = market.moment(clock.instant());
    String body = Json.write(responder.respond(ctx, moment));
    if (truncate) {
      stats.fault(endpoint);
      body = body.substring(0, Math.max(1, body.length() / 2));
    }
    ctx.status(200).contentType(Json.CONTENT_TYPE).result(body);
  }

  private void serviceUnavailable(Endpoint endpoint, Context ctx) {
    stats.fault(endpoint);
    write(ctx, 503, Json.fault("The Service is temporarily unavailable",
        "messaging.adaptors.http.flow.ServiceUnavailable"));
  }

  private void tooManyRequests(Endpoint endpoint, Context ctx, Instant now, RateLimiter.Usage usage, int limit) {
    stats.fault(endpoint);
    stats.rateLimited(endpoint);
    long retryAfter = Math.max(1, (usage.windowEndMillis() - now.toEpochMilli() + 999) / 1000);
    ctx.header("Retry-After", Long.toString(retryAfter));
    write(ctx, 429, Json.fault("Rate limit exceeded: " + limit + " requests per minute",
        "policies.ratelimit.QuotaViolation"));
  }

  /** Tradier's answer to a missing or wrong token: plain text, as it sends it, not its JSON fault. */
  private static void unauthorized(Context ctx) {
    ctx.status(401).contentType(UNAUTHORIZED_CONTENT_TYPE).result("Invalid Access Token");
  }

  static void write(Context ctx, int status, ObjectNode body) {
    ctx.status(status).contentType(Json.CONTENT_TYPE).result(Json.write(body));
  }

  /** A uniform draw for the error_rate and latency faults: hashed from (seed, endpoint, counter). */
  private double draw(Endpoint endpoint) {
    return Rand.uniform(Rand.key(seed, Rand.FAULT, endpoint.ordinal(), draws.incrementAndGet()));
  }

  private static String bearer(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null) {
      return null;
    }
    String value = header.trim();
    if (value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      String t = value.substring(7).trim();
      return t.isEmpty() ? null : t;
    }
    return null;
  }
}
