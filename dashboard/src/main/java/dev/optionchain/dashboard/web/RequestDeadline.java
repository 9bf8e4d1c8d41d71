package dev.optionchain.dashboard.web;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deadline for reading each request: from its first byte, its request line, headers and declared body must have
 * arrived within {@code deadline}, or the connection is closed. Jetty has only an idle timeout, which every byte
 * resets, so a client that sends one header line every few seconds (slowloris) would otherwise hold its connection
 * and file handle for ever.
 *
 * <p>Algorithm: a {@link Connection.Listener} on a connector tracks its open HTTP/1.1 connections; one sweeper
 * thread looks at each connection's parser every {@code deadline / 4} (at most every second, at least every 100 ms).
 * A parser past its start state and still in its headers, or in a body whose declared length (or chunking) has not
 * all arrived, has been reading since {@link HttpParser#getBeginNanoTime()}; blank-line padding before a request
 * (which the parser counts but does not time) is timed from when the sweeper first saw it. Past the deadline a
 * connection still in its headers is closed (no handler has seen the request yet); one in its body, whose request
 * is being handled, gets an idle timeout of 1 ms, so that the read its handler waits in fails and is answered 408,
 * and is closed two sweeps later if it is still reading. A request whose headers are complete and that has no body (a GET, an event stream, a request
 * waiting for the upstream) is not reading, and is never cut. The cost is one sweep over the open connections per
 * period, no allocation per request. The parser's state is read from the sweeper thread: it is volatile, and the
 * times and counts it guards are written before it changes.
 *
 * <p>Thread-safe; started and stopped with the connector it is a bean of.
 */
final class RequestDeadline extends AbstractLifeCycle implements Connection.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(RequestDeadline.class);

  private final long deadlineNanos;
  private final long periodMillis;
  /** Open connections, and for each the time its blank-line padding was first seen (0: none). */
  private final Map<HttpConnection, Long> open = new ConcurrentHashMap<>();
  private final AtomicLong cut = new AtomicLong();
  private ScheduledExecutorService sweeper;

  /**
   * Creates the deadline.
   *
   * @param deadline how long one request may take to arrive; positive
   */
  RequestDeadline(Duration deadline) {
    this.deadlineNanos = deadline.toNanos();
    this.periodMillis = Math.max(100, Math.min(1000, deadline.toMillis() / 4));
  }

  /**
   * Returns the connections closed because a request did not arrive in time.
   *
   * @return the count since start
   */
  long cut() {
    return cut.get();
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection http) {
      open.put(http, 0L);
    }
  }

  @Override
  public void onClosed(Connection connection) {
    if (connection instanceof HttpConnection http) {
      open.remove(http);
    }
  }

  @Override
  protected void doStart() {
    sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "request-deadline");
      t.setDaemon(true);
      return t;
    });
    sweeper.scheduleWithFixedDelay(this::sweep, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  protected void doStop() {
    sweeper.shutdownNow();
    open.clear();
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Map.Entry<HttpConnection, Long> e : open.entrySet()) {
      try {
        check(e.getKey(), e.getValue(), now);
      } catch (RuntimeException failure) {
        LOG.debug("request deadline check failed on {}: {}", e.getKey(), failure.toString());
      }
    }
  }

  private void check(HttpConnection connection, long paddingSince, long now) {
    HttpParser parser = connection.getParser();
    HttpParser.State state = parser.getState();
    long since;
    if (state == HttpParser.State.START) {
      if (parser.getHeaderLength() == 0) {
        if (paddingSince != 0) {
          open.replace(connection, 0L);
        }
        return;
      }
      if (paddingSince == 0) {
        open.replace(connection, now);
        return;
      }
      since = paddingSince;
    } else if (parser.inHeaderState() || parser.inContentState() && bodyPending(parser)) {
      since = parser.getBeginNanoTime();
    } else {
      if (paddingSince != 0) {
        open.replace(connection, 0L);
      }
      return;
    }
    if (now - since <= deadlineNanos) {
      return;
    }
    EndPoint endPoint = connection.getEndPoint();
    if (parser.inContentState() && now - since <= deadlineNanos + 2 * TimeUnit.MILLISECONDS.toNanos(periodMillis)) {
      // the headers are in, so the request is being handled: let the read it waits in time out, which the
      // application answers with 408; the next sweeps close the connection if that does not end it
      if (endPoint.getIdleTimeout() != 1) {
        cut.incrementAndGet();
        LOG.debug("request body from {} not read within {} ms: timing out its read", endPoint.getRemoteSocketAddress(),
            TimeUnit.NANOSECONDS.toMillis(deadlineNanos));
        endPoint.setIdleTimeout(1);
      }
      return;
    }
    open.remove(connection);
    if (!parser.inContentState()) {
      cut.incrementAndGet();
    }
    LOG.debug("closing {}: request not read within {} ms (parser {})", endPoint.getRemoteSocketAddress(),
        TimeUnit.NANOSECONDS.toMillis(deadlineNanos), state);
    endPoint.close();
  }

  /**
   * Gives the connection of a request whose body read this deadline timed out (an idle timeout of 1 ms) the
   * connector's idle timeout back, so that its 408 answer has time to be written: with 1 ms, a write that did not
   * complete at once was cut, and on a busy machine the client got the status line without the body.
   *
   * @param request the request being answered 408
   */
  static void allowTheAnswer(HttpServletRequest request) {
    try {
      ServletContextRequest r = ServletContextRequest.getServletContextRequest(request);
      if (r == null) {
        return;
      }
      EndPoint endPoint = r.getConnectionMetaData().getConnection().getEndPoint();
      if (endPoint.getIdleTimeout() == 1) {
        endPoint.setIdleTimeout(Math.max(1_000, r.getConnectionMetaData().getConnector().getIdleTimeout()));
      }
    } catch (RuntimeException gone) {
      LOG.debug("cannot restore the idle timeout of a request answered 408: {}", gone.toString());
    }
  }

  private static boolean bodyPending(HttpParser parser) {
    return parser.isChunking() || parser.getContentLength() > 0 && parser.getContentRead() < parser.getContentLength();
  }
}
