package dev.optionchain.dashboard.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optionchain.breaker.CircuitBreakerStatus;
import dev.optionchain.breaker.StateTransition;
import io.javalin.http.sse.SseClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-Sent Events of breaker state transitions ({@code GET /api/events}).
 *
 * <p>A client first receives {@code event: snapshot} with every breaker's status (the JSON of
 * {@code /api/health/circuit-breakers}), then {@code event: transition} for each transition of any breaker, in the
 * order they happened, each with an increasing {@code id}: {@code {"breaker","from","to","at","reason","status"}}.
 * A comment is sent every 15 s to keep connections (and proxies) alive.
 *
 * <p>Publishing never blocks the caller (transition listeners run on the thread of the call that made the
 * transition): events are handed to one sender thread, which also registers new clients, so a client's snapshot and
 * the transitions after it are never out of order. Thread-safe.
 */
public final class EventHub implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);
  private static final long KEEP_ALIVE_SECONDS = 15;

  private final ObjectMapper json;
  private final Supplier<Map<String, Object>> snapshot;
  private final CopyOnWriteArrayList<SseClient> clients = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService sender;
  private long nextId = 1;

  /**
   * Creates the hub.
   *
   * @param json the service's JSON mapper
   * @param snapshot supplies the status of every breaker, sent to each client on connect
   */
  public EventHub(ObjectMapper json, Supplier<Map<String, Object>> snapshot) {
    this.json = json;
    this.snapshot = snapshot;
    this.sender = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sse-sender");
      t.setDaemon(true);
      return t;
    });
    sender.scheduleAtFixedRate(this::keepAlive, KEEP_ALIVE_SECONDS, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Takes over a new SSE connection: sends it the snapshot and, from then on, every transition.
   *
   * @param client the connection, from Javalin's SSE handler
   */
  public void connect(SseClient client) {
    client.keepAlive();
    client.onClose(() -> clients.remove(client));
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
    event.put("status", status.toMap());
    sender.execute(() -> {
      for (SseClient c : clients) {
        send(c, "transition", event);
      }
    });
  }

  /**
   * Returns the number of connected clients.
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
