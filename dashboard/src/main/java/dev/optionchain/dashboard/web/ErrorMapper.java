package dev.optionchain.dashboard.web;

import dev.optionchain.dashboard.market.DataUnavailableException;
import dev.optionchain.dashboard.market.InvalidRequestException;
import dev.optionchain.dashboard.market.NotFoundException;
import dev.optionchain.dashboard.market.Sourced;
import dev.optionchain.dashboard.secrets.Secrets;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.ExceptionHandler;
import io.javalin.http.HttpResponseException;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;
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
    routes.exception(InvalidRequestException.class,
        guarded((e, ctx) -> write(ctx, 400, secrets.redact(e.getMessage()))));
    routes.exception(NotFoundException.class, guarded((e, ctx) -> write(ctx, 404, secrets.redact(e.getMessage()))));
    routes.exception(DataUnavailableException.class, guarded(this::unavailable));
    routes.exception(HttpResponseException.class, guarded((e, ctx) -> write(ctx, e.getStatus(), e.getStatus() == 404
        ? notFound(ctx) : secrets.redact(e.getMessage()))));
    routes.exception(Exception.class, guarded((e, ctx) -> {
      if (!clientFault(e, ctx)) {
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        write(ctx, 500, "internal error");
      }
    }));
    for (int status = 400; status < 600; status++) {
      int code = status;
      routes.error(code, ctx -> { // any error answer still without a body, e.g. Javalin's own 408, gets one
        try {
          if (ctx.result() == null || ctx.result().isEmpty()) {
            write(ctx, code, code == 404 ? notFound(ctx) : JsonErrorHandler.message(code, null));
          }
        } catch (RuntimeException gone) {
          answerGone(gone, null);
        }
      });
    }
  }

  /**
   * A handler that never throws. Javalin hands what an exception handler throws to the exception handlers again, so
   * a handler that throws on a request whose response is gone (recycled after its connection closed: a late failure
   * of a stream or a future) kept them calling each other, a log line each time, without end.
   */
  static <E extends Exception> ExceptionHandler<E> guarded(ExceptionHandler<E> handler) {
    return (e, ctx) -> {
      try {
        handler.handle(e, ctx);
      } catch (RuntimeException gone) {
        answerGone(gone, e);
      }
    };
  }

  private static void answerGone(RuntimeException gone, Exception answering) {
    LOG.debug("could not answer a request, its response is gone: {} (answering {})", gone.toString(),
        answering == null ? "an error status" : answering.toString());
  }

  private static String notFound(Context ctx) {
    return "not found: " + QueryParams.echo(ctx.req().getMethod()) + " " + QueryParams.echo(ctx.path());
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

  /**
   * Answers a failure to read the request (a malformed chunked body, a body cut short, a body that did not arrive in
   * time) as the client's error it is: 400 or 408 with a message, logged at DEBUG without a stack trace.
   *
   * @return false when {@code e} is not such a failure
   */
  private static boolean clientFault(Exception e, Context ctx) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      int status;
      String message;
      if (t instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
        status = http.getCode();
        message = "the request could not be read: " + QueryParams.echo(http.getReason());
      } else if (t instanceof TimeoutException) {
        status = 408;
        message = "the request was not received in time";
        RequestDeadline.allowTheAnswer(ctx.req());
      } else if (t instanceof EofException) {
        status = 400;
        message = "the connection ended before the request was read";
      } else {
        continue;
      }
      LOG.debug("{} {}: {} ({})", ctx.method(), ctx.path(), message, t.toString());
      write(ctx, status, message);
      return true;
    }
    return false;
  }

  static void write(Context ctx, int status, String message) {
    ctx.status(status).json(Json.error(status, message));
  }
}
