package dev.optionchain.dashboard.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optionchain.breaker.CircuitBreakerStatus;
import dev.optionchain.breaker.StateTransition;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-Sent Events of breaker state transitions ({@code GET /api/events}).
 *
 * <p>A client first receives {@code event: snapshot} with every breaker's status (the JSON of
 * {@code /api/health/circuit-breakers}), then {@code event: transition} for each transition of any breaker, in the
 * order they happened, each with an increasing {@code id}: {@code {"breaker","from","to","at","reason","origin","status"}}
 * ({@code origin}: the fleet instance whose decision was adopted; null for this instance's own).
 * A comment is sent every 15 s (or at half the server's idle timeout, when that is shorter) to keep connections (and
 * proxies) alive.
 *
 * <p>At most {@link #maxClients()} streams are open at once: the web layer asks {@link #admit()} before it opens one,
 * and the slot is given back when the stream closes, so a flood of subscribers is refused (503) instead of growing
 * the process without bound.
 *
 * <p>Publishing never blocks the caller (transition listeners run on the thread of the call that made the
 * transition): events are handed to one sender thread, which also registers new clients, so a client's snapshot and
 * the transitions after it are never out of order. Thread-safe.
 */
public final class EventHub implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);
  /** Default number of streams open at once. */
  public static final int DEFAULT_MAX_CLIENTS = 200;
  /** Longest wait between two writes to an idle stream (a keep-alive comment). */
  static final Duration MAX_KEEP_ALIVE = Duration.ofSeconds(15);

  private final ObjectMapper json;
  private final Supplier<Map<String, Object>> snapshot;
  private final CopyOnWriteArrayList<SseClient> clients = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService sender;
  private final int maxClients;
  private final AtomicInteger admitted = new AtomicInteger();
  private long nextId = 1;

  /**
   * Creates the hub with {@value #DEFAULT_MAX_CLIENTS} streams at most and a keep-alive every 15 s.
   *
   * @param json the service's JSON mapper
   * @param snapshot supplies the status of every breaker, sent to each client on connect
   */
  public EventHub(ObjectMapper json, Supplier<Map<String, Object>> snapshot) {
    this(json, snapshot, DEFAULT_MAX_CLIENTS, MAX_KEEP_ALIVE.multipliedBy(2));
  }

  /**
   * Creates the hub.
   *
   * @param json the service's JSON mapper
   * @param snapshot supplies the status of every breaker, sent to each client on connect
   * @param maxClients streams open at once, at least 1
   * @param idleTimeout the server's idle timeout: a keep-alive comment goes out at half of it, at most every 15 s,
   *     so that an idle stream is never closed for idleness
   */
  public EventHub(ObjectMapper json, Supplier<Map<String, Object>> snapshot, int maxClients, Duration idleTimeout) {
    if (maxClients < 1) {
      throw new IllegalArgumentException("maxClients must be at least 1, was " + maxClients);
    }
    this.json = json;
    this.snapshot = snapshot;
    this.maxClients = maxClients;
    this.sender = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sse-sender");
      t.setDaemon(true);
      return t;
    });
    long keepAliveMillis = Math.max(100, Math.min(MAX_KEEP_ALIVE.toMillis(), idleTimeout.toMillis() / 2));
    sender.scheduleAtFixedRate(this::keepAlive, keepAliveMillis, keepAliveMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes one of the {@link #maxClients()} stream slots, to be given back when the stream closes (or with
   * {@link #release()} if it never opens).
   *
   * @return false when every slot is taken
   */
  public boolean admit() {
    while (true) {
      int n = admitted.get();
      if (n >= maxClients) {
        return false;
      }
      if (admitted.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Gives back a slot taken by {@link #admit()} for a stream that was never handed to {@link #connect}. */
  public void release() {
    admitted.decrementAndGet();
  }

  /**
   * Returns the number of streams open at once.
   *
   * @return the limit
   */
  public int maxClients() {
    return maxClients;
  }

  /**
   * Takes over a new SSE connection, admitted by {@link #admit()}: sends it the snapshot and, from then on, every
   * transition; its slot is given back when it closes.
   *
   * @param client the connection, from Javalin's SSE handler
   */
  public void connect(SseClient client) {
    client.keepAlive();
    AtomicBoolean open = new AtomicBoolean(true);
    client.onClose(() -> {
      clients.remove(client);
      if (open.getAndSet(false)) {
        release();
      }
    });
    sender.execute(() -> {
      if (send(client, "snapshot", snapshot.get())) {
        clients.add(client);
      }
    });
  }

  /**
   * Publishes a transition to every connected client. Never blocks.
   *
   * @param t the transition
   * @param status the breaker's status right after it
   */
  public void publish(StateTransition t, CircuitBreakerStatus status) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("breaker", t.breakerName());
    event.put("from", t.from().name());
    event.put("to", t.to().name());
    event.put("at", t.at().toString());
    event.put("reason", t.reason());
    event.put("origin", t.origin().orElse(null));
    event.put("status", status.toMap());
    sender.execute(() -> {
      for (SseClient c : clients) {
        send(c, "transition", event);
      }
    });
  }

  /**
   * Returns the number of connected clients (streams that received their snapshot).
   *
   * @return the count
   */
  public int clients() {
    return clients.size();
  }

  private boolean send(SseClient client, String name, Object data) {
    if (client.terminated()) {
      clients.remove(client);
      return false;
    }
    try {
      client.sendEvent(name, json.writeValueAsString(data), Long.toString(nextId++));
      return true;
    } catch (JsonProcessingException e) {
      LOG.error("cannot serialize {} event", name, e);
      return false;
    } catch (RuntimeException e) {
      LOG.debug("SSE client gone: {}", e.getMessage());
      clients.remove(client);
      return false;
    }
  }

  private void keepAlive() {
    for (SseClient c : clients) {
      try {
        if (c.terminated()) {
          clients.remove(c);
        } else {
          c.sendComment("keep-alive");
        }
      } catch (RuntimeException e) {
        clients.remove(c);
      }
    }
  }

  /**
   * Stops sending. The connections themselves are closed by the web server when it stops (closing them from here
   * after it stopped would hand Javalin a response it can no longer write).
   */
  @Override
  public void close() {
    sender.shutdownNow();
    clients.clear();
  }
}
