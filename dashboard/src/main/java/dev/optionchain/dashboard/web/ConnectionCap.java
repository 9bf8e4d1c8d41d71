package dev.optionchain.dashboard.web;

import dev.optionchain.dashboard.logging.LogThrottle;
import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.IdleTimeout;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main listener's connection limit, which neither slow nor idle clients can use to keep a prompt one out. Below
 * {@code max} connections, every connection is accepted. At {@code max}, a new connection is still accepted, and an
 * open one that is waiting for the client is closed for it: the one that has waited longest for its first request
 * head, among those that have sent part of one or nothing for {@value #SILENT_MILLIS} ms; else the one that has been
 * reading a later request's head the longest (for at least as long); else the keep-alive connection that has been
 * idle between two requests the longest (for at least as long), which HTTP lets a server close at any time (a client
 * opens a new one, and browsers send an idempotent request again by themselves). A client that sends its request
 * promptly is the newest of them, and its head is read as soon as it is accepted; once the head is in, its request is
 * being handled and it is never chosen. Never closed for another: a request being handled (waiting for the upstream,
 * an event stream), a body being uploaded (the {@link RequestDeadline} bounds that). Without the idle ones, a client
 * holding {@code max} keep-alive connections, each sending a cheap request every few seconds, kept every new client
 * out until its connections reached the idle timeout, for ever. When a connection arrives and none can be closed, it
 * is kept (one over the limit) and the listener stops accepting, as Jetty's {@code NetworkConnectionLimit} does: new
 * connections wait in the kernel's accept queue until one closes or one can be closed (looked for every
 * {@value #RECHECK_MILLIS} ms, which also closes the one kept over the limit as soon as it can).
 *
 * <p>This is nginx's answer to running out of connections (it closes its "reusable" connections, those waiting for a
 * request), ordered so that connections that owe the server a request head go first. Cost: nothing below the limit;
 * at the limit, constant work per accepted connection while some connection still owes its first request head (they
 * are kept in the order they opened, and those that have sent one are dropped from the front as they are met), else
 * one pass over the open connections reading each one's parser state.
 *
 * <p>Thread-safe: accepts arrive on the acceptor thread, openings and closings on the listener's network threads;
 * counts change under this object's lock, and connections are closed outside it.
 */
final class ConnectionCap extends AbstractLifeCycle implements SelectorManager.AcceptListener, Connection.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);
  /** While not accepting, how often to look for a connection that could make room. */
  static final long RECHECK_MILLIS = 100;
  /**
   * How long a connection that has sent nothing yet (or is reading a later request's head, or is idle between two
   * requests) is spared: a prompt client's request arrives, and is read, well within it.
   */
  static final long SILENT_MILLIS = 1000;

  private final int max;
  private final AbstractConnector connector;
  /** HTTP connections open, with when each was opened ({@link System#nanoTime()}). */
  private final Map<HttpConnection, Long> open = new ConcurrentHashMap<>();
  /**
   * Connections in the order they opened, of which those at the front that have since sent a request head or closed
   * are dropped as they are met: the front is the connection that has waited longest for its first request head.
   */
  private final ConcurrentLinkedQueue<HttpConnection> byAge = new ConcurrentLinkedQueue<>();
  /** Channels closed to make room whose closing Jetty has not yet reported. */
  private final Set<Object> closing = ConcurrentHashMap.newKeySet();
  private final AtomicLong shed = new AtomicLong();
  private int channels;
  private boolean limiting;
  private final AtomicLong loggedShed = new AtomicLong();
  private final LogThrottle shedLog = new LogThrottle(LogThrottle.PERIOD);

  /**
   * Creates the limit; add it as a bean of {@code connector}.
   *
   * @param max connections open at once, at least 1
   * @param connector the listener it limits
   */
  ConnectionCap(int max, AbstractConnector connector) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    this.max = max;
    this.connector = connector;
  }

  /** @return connections open or being accepted, not counting those being closed to make room */
  synchronized int connections() {
    return channels - closing.size();
  }

  /** @return connections closed since start to make room for a newer one */
  long shed() {
    return shed.get();
  }

  @Override
  public void onAccepting(SelectableChannel channel) {
    List<HttpConnection> victims = List.of();
    synchronized (this) {
      channels++;
      while (channels - closing.size() > max) { // one at a time, but catch up after a pause
        HttpConnection victim = oldestReader();
        if (victim == null) {
          if (!limiting) { // nothing to close for it: keep this one, accept no more until there is room
            limiting = true;
            connector.setAccepting(false);
            connector.getScheduler().schedule(this::recheck, RECHECK_MILLIS, TimeUnit.MILLISECONDS);
          }
          break;
        }
        closing.add(victim.getEndPoint().getTransport());
        victims = victims.isEmpty() ? new ArrayList<>(2) : victims;
        victims.add(victim);
      }
    }
    close(victims);
  }

  @Override
  public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
    closed(channel);
  }

  @Override
  public void onClosed(SelectableChannel channel) {
    closed(channel);
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection http) {
      open.put(http, System.nanoTime());
      byAge.add(http);
    }
  }

  @Override
  public void onClosed(Connection connection) {
    if (connection instanceof HttpConnection http) {
      open.remove(http);
    }
  }

  private void closed(SelectableChannel channel) {
    synchronized (this) {
      channels--;
      closing.remove(channel);
      if (limiting && channels - closing.size() < max) {
        resume();
      }
    }
  }

  /**
   * While not accepting: close the connections kept over the limit once some can be ({@link #oldestReader}); accept
   * again once there is room, or a connection that could be closed to make room.
   */
  private void recheck() {
    List<HttpConnection> victims = new ArrayList<>(1);
    boolean again;
    synchronized (this) {
      if (!limiting || !isRunning()) {
        return;
      }
      HttpConnection oldest = oldestReader();
      while (oldest != null && channels - closing.size() > max) {
        closing.add(oldest.getEndPoint().getTransport());
        victims.add(oldest);
        oldest = oldestReader();
      }
      again = channels - closing.size() >= max && oldest == null;
      if (!again) {
        resume();
      }
    }
    close(victims);
    if (again) {
      connector.getScheduler().schedule(this::recheck, RECHECK_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** Closes connections chosen (and counted as closing) under the lock, outside it. */
  private void close(List<HttpConnection> victims) {
    for (HttpConnection victim : victims) {
      open.remove(victim);
      shed.incrementAndGet();
      victim.getEndPoint().close();
    }
    if (!victims.isEmpty()) {
      logShedding();
    }
  }

  private void resume() {
    limiting = false;
    connector.setAccepting(true);
  }

  /**
   * The connection to close first, null when none may be: the one that has waited longest for its first request
   * head, among those that have sent part of one, or nothing for {@value #SILENT_MILLIS} ms (in the order they opened;
   * one that has just connected is given that long for its request to arrive and be read); else the one that has
   * been reading a later request's head the longest, for at least as long; else the one that has been idle between
   * two requests the longest, for at least as long, a tie (idle times are in milliseconds) going to the one opened
   * first (a pass over every connection for these two).
   */
  private HttpConnection oldestReader() {
    long now = System.nanoTime();
    long grace = TimeUnit.MILLISECONDS.toNanos(SILENT_MILLIS);
    for (Iterator<HttpConnection> it = byAge.iterator(); it.hasNext(); ) {
      HttpConnection c = it.next();
      Long opened = open.get(c);
      if (opened == null || c.getMessagesIn() > 0) {
        it.remove(); // closed, or has sent a request head: never waiting for its first one again
      } else if ((sentPartOfAHead(c) || now - opened >= grace)
          && !closing.contains(c.getEndPoint().getTransport())) {
        return c;
      }
    }
    HttpConnection oldest = null;
    long oldestSince = 0;
    HttpConnection idlest = null;
    long idlestFor = 0;
    long idlestOpened = 0;
    for (Map.Entry<HttpConnection, Long> e : open.entrySet()) {
      HttpConnection c = e.getKey();
      if (closing.contains(c.getEndPoint().getTransport())) {
        continue;
      }
      long since = readingSince(c, e.getValue());
      if (since != Long.MIN_VALUE) {
        if (now - since >= grace && (oldest == null || since - oldestSince < 0)) {
          oldest = c;
          oldestSince = since;
        }
      } else {
        long idleFor = idleBetweenRequests(c);
        // idle times are in milliseconds (Jetty's), so two connections used within one are a tie: the one opened
        // first goes, whatever order the map is walked in
        if (idleFor >= SILENT_MILLIS && (idlest == null || idleFor > idlestFor
            || idleFor == idlestFor && e.getValue() - idlestOpened < 0)) {
          idlest = c;
          idlestFor = idleFor;
          idlestOpened = e.getValue();
        }
      }
    }
    return oldest != null ? oldest : idlest;
  }

  /**
   * How long {@code c} has been idle between two requests, in milliseconds: it has been answered and has sent nothing
   * of a next request since; -1 when it is not (a request is being read or handled, an event stream is open).
   */
  static long idleBetweenRequests(HttpConnection c) {
    HttpParser parser = c.getParser();
    if (c.getMessagesIn() == 0 || c.getMessagesOut() < c.getMessagesIn()
        || parser.getState() != HttpParser.State.START || parser.getHeaderLength() > 0
        || !(c.getEndPoint() instanceof IdleTimeout idle)) {
      return -1;
    }
    return idle.getIdleFor();
  }

  private static boolean sentPartOfAHead(HttpConnection c) {
    HttpParser parser = c.getParser();
    return parser.getState() != HttpParser.State.START || parser.getHeaderLength() > 0;
  }

  /**
   * Since when {@code c} has been reading a request's head: its first byte, or, for a connection that has not yet sent
   * a whole request head, when it opened; {@link Long#MIN_VALUE} when it is not reading one (idle between requests,
   * or a request is being handled or its body read).
   */
  static long readingSince(HttpConnection c, long openedNanos) {
    HttpParser parser = c.getParser();
    HttpParser.State state = parser.getState();
    if (state == HttpParser.State.START) {
      if (c.getMessagesIn() == 0) {
        return openedNanos; // connected, and has not yet sent a whole request head
      }
      return parser.getHeaderLength() > 0 ? parser.getBeginNanoTime() : Long.MIN_VALUE; // padding, or idle
    }
    return parser.inHeaderState() ? parser.getBeginNanoTime() : Long.MIN_VALUE;
  }

  private void logShedding() {
    if (shedLog.admit() < 0) {
      return;
    }
    long total = shed.get();
    long since = total - loggedShed.getAndSet(total);
    LOG.warn("{} connections open (server.max-connections): closed {} connection(s) waiting for a request to "
        + "make room for newer ones ({} since start)", max, since, total);
  }
}
