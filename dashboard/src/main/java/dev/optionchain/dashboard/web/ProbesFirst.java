package dev.optionchain.dashboard.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The outermost handler: answers the liveness and readiness probes on the thread that read them, and hands every
 * other request to the listener's worker threads. So a probe never waits in the workers' queue, behind requests
 * waiting for a slow upstream, a flood of quick ones or bodies arriving slowly: it costs the thread that reads the
 * connection (a Jetty selector thread) a few microseconds, and is answered as soon as it is read, even when every
 * worker thread is taken.
 *
 * <p>How: Jetty runs a request's handling on the thread that read it when the server's handlers are all
 * {@link InvocationType#NON_BLOCKING}, and queues it for a worker thread otherwise. This handler is non-blocking:
 * {@code GET} or {@code HEAD} of exactly {@code /health/live} or {@code /health/ready}, without a query, is answered
 * here ({@code {"status":"UP"}}; readiness asks the same {@code databaseOpen} and {@code warmedUp} as the route),
 * with the browser headers; any other request is given to the listener's worker threads ({@link Listeners#workers})
 * and handled there by the rest of the chain (the browser headers, Javalin), as Jetty's own {@code QoSHandler}
 * resumes the requests it holds.
 * The main listener's network threads are its own ({@link Listeners}), so that accepting a connection never waits for
 * a worker either. The routes {@code /health/live} and {@code /health/ready} remain for whatever this does not take
 * (a query, another method). Each probe answered here is recorded by {@code recorder}. Stateless, thread-safe.
 */
final class ProbesFirst extends Handler.Wrapper {

  /** Records one answered request: method, route, status, nanoseconds. */
  @FunctionalInterface
  interface Recorder {
    void record(String method, String route, int status, long nanos);
  }

  static final String LIVE = "/health/live";
  static final String READY = "/health/ready";

  private static final byte[] LIVE_BODY = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
  /** The readiness answers, pre-encoded, by [database open][warmed up]: what {@link HealthController#ready} writes. */
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final byte[][][] READY_BODIES = {
      {readyBody(false, false), readyBody(false, true)},
      {readyBody(true, false), readyBody(true, true)}};

  private final BooleanSupplier databaseOpen;
  private final BooleanSupplier warmedUp;
  private final Recorder recorder;
  private final Function<Connector, Executor> workers;

  /**
   * @param databaseOpen readiness of the cache
   * @param warmedUp whether the start-up warm-up has ended
   * @param recorder told of each probe answered here
   * @param workers the threads that handle the requests of each listener
   */
  ProbesFirst(BooleanSupplier databaseOpen, BooleanSupplier warmedUp, Recorder recorder,
      Function<Connector, Executor> workers) {
    this.databaseOpen = databaseOpen;
    this.warmedUp = warmedUp;
    this.recorder = recorder;
    this.workers = workers;
  }

  private static byte[] readyBody(boolean databaseOpen, boolean warmedUp) {
    try {
      return MAPPER.writeValueAsBytes(HealthController.readiness(databaseOpen, warmedUp));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // four maps of strings
    }
  }

  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String method = request.getMethod();
    String path = request.getHttpURI().getPath();
    boolean head = HttpMethod.HEAD.is(method);
    if ((head || HttpMethod.GET.is(method)) && request.getHttpURI().getQuery() == null
        && (LIVE.equals(path) || READY.equals(path))) {
      long start = System.nanoTime();
      boolean live = LIVE.equals(path);
      boolean db = live || databaseOpen.getAsBoolean();
      boolean warm = live || warmedUp.getAsBoolean();
      byte[] body = live ? LIVE_BODY : READY_BODIES[db ? 1 : 0][warm ? 1 : 0];
      int status = db && warm ? 200 : 503;
      response.setStatus(status);
      BrowserHeaders.addTo(response.getHeaders());
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
      response.write(true, head ? null : ByteBuffer.wrap(body), callback);
      recorder.record(method, path, status, System.nanoTime() - start);
      return true;
    }
    Executor handling = workers.apply(request.getConnectionMetaData().getConnector());
    handling.execute(() -> dispatch(request, response, callback));
    return true;
  }

  /** The rest of the chain, on a worker thread; what nothing handles is a 404, as the server itself would answer. */
  private void dispatch(Request request, Response response, Callback callback) {
    try {
      if (!super.handle(request, response, callback)) {
        Handler fallback = getServer().getDefaultHandler();
        if (fallback == null || !fallback.handle(request, response, callback)) {
          Response.writeError(request, response, callback, 404);
        }
      }
    } catch (Throwable failure) { // what the server would do with a handler's failure: an error answer
      Response.writeError(request, response, callback, failure);
      if (failure instanceof VirtualMachineError fatal) {
        throw fatal;
      }
    }
  }
}
