package dev.optionchain.dashboard.web;

import dev.optionchain.dashboard.market.DataUnavailableException;
import dev.optionchain.dashboard.market.InvalidRequestException;
import dev.optionchain.dashboard.market.NotFoundException;
import dev.optionchain.dashboard.market.Sourced;
import dev.optionchain.dashboard.secrets.Secrets;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become HTTP answers. Every answer is JSON with {@code status} and {@code error};
 * nothing a user can send produces a 500 or a stack trace. Messages of exceptions are redacted with the service's
 * {@link Secrets} before they are written.
 *
 * <table>
 *   <caption>Statuses</caption>
 *   <tr><th>exception</th><th>status</th></tr>
 *   <tr><td>InvalidRequestException</td><td>400</td></tr>
 *   <tr><td>NotFoundException</td><td>404</td></tr>
 *   <tr><td>DataUnavailableException, breaker open or rate-limited</td><td>503 + Retry-After</td></tr>
 *   <tr><td>DataUnavailableException, upstream failed</td><td>502</td></tr>
 *   <tr><td>Javalin's HttpResponseException</td><td>its status</td></tr>
 *   <tr><td>anything else</td><td>500, logged, no detail in the body</td></tr>
 * </table>
 */
final class ErrorMapper {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

  private final Secrets secrets;

  ErrorMapper(Secrets secrets) {
    this.secrets = secrets;
  }

  void register(RoutesConfig routes) {
    routes.exception(InvalidRequestException.class, (e, ctx) -> write(ctx, 400, secrets.redact(e.getMessage())));
    routes.exception(NotFoundException.class, (e, ctx) -> write(ctx, 404, secrets.redact(e.getMessage())));
    routes.exception(DataUnavailableException.class, this::unavailable);
    routes.exception(HttpResponseException.class, (e, ctx) -> write(ctx, e.getStatus(), secrets.redact(e.getMessage())));
    routes.exception(Exception.class, (e, ctx) -> {
      LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
      write(ctx, 500, "internal error");
    });
    routes.error(404, ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty()) {
        write(ctx, 404, "not found: " + ctx.method() + " " + ctx.path());
      }
    });
  }

  private void unavailable(DataUnavailableException e, Context ctx) {
    boolean notCalled = e.cause() != Sourced.Cause.UPSTREAM_FAILED;
    int status = notCalled ? 503 : 502;
    Map<String, Object> body = Json.error(status, secrets.redact(notCalled
        ? e.getMessage() + "; nothing cached"
        : "upstream failed and nothing is cached: " + e.getMessage()));
    body.put("breaker", e.breaker());
    body.put("reason", e.cause().name().toLowerCase(java.util.Locale.ROOT));
    e.retryAfter().ifPresent(r -> {
      long seconds = Json.retryAfterSeconds(r);
      body.put("retryAfterSeconds", seconds);
      if (notCalled) {
        ctx.header("Retry-After", Long.toString(seconds));
      }
    });
    ctx.status(status).json(body);
  }

  static void write(Context ctx, int status, String message) {
    ctx.status(status).json(Json.error(status, message));
  }
}
