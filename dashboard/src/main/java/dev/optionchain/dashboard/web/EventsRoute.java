package dev.optionchain.dashboard.web;

import dev.optionchain.dashboard.events.EventHub;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.sse.SseHandler;

/**
 * {@code GET /api/events}: the gate in front of the event stream. A request that does not accept
 * {@code text/event-stream} gets 406 in JSON (Javalin's SSE handler would answer it with an empty 200); one beyond
 * the hub's client limit gets 503 in JSON with {@code Retry-After}, before any stream is opened. Stateless.
 */
final class EventsRoute implements Handler {

  /** Seconds a refused client is asked to wait; browsers' EventSource retries by itself. */
  static final int RETRY_AFTER_SECONDS = 30;

  private final EventHub hub;
  private final SseHandler sse;

  EventsRoute(EventHub hub) {
    this.hub = hub;
    this.sse = new SseHandler(hub::connect);
  }

  @Override
  public void handle(Context ctx) {
    QueryParams.of(ctx);
    String accept = ctx.header("Accept");
    if (accept == null || !accept.contains("text/event-stream")) {
      ErrorMapper.write(ctx, 406, "GET /api/events is a Server-Sent Events stream: send Accept: text/event-stream");
      return;
    }
    if (ctx.method().name().equals("HEAD")) {
      ctx.status(200).contentType("text/event-stream");
      return;
    }
    if (!hub.admit()) {
      ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
      ErrorMapper.write(ctx, 503, "too many event-stream clients (at most " + hub.maxClients() + "); retry in "
          + RETRY_AFTER_SECONDS + " s");
      return;
    }
    try {
      sse.handle(ctx);
    } catch (RuntimeException e) {
      hub.release();
      throw e;
    }
  }
}
