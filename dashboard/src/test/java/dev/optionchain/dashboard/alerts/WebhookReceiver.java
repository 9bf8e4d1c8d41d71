package dev.optionchain.dashboard.alerts;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * A webhook receiver on a free local port: records every request and answers with a status chosen per request
 * number; can hang until released, to play a stuck receiver.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One request as received. */
  public record Received(String method, String contentType, String body) {
    /** Parses the body, keeping the order of its fields. */
    public LinkedHashMap<String, Object> json() {
      try {
        return JSON.readValue(body, new TypeReference<LinkedHashMap<String, Object>>() {});
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final Semaphore entered = new Semaphore(0);
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile IntUnaryOperator status = n -> 200;
  private volatile boolean hang;
  private volatile Duration delay = Duration.ZERO;

  private WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(pool);
    server.createContext("/hook", this::handle);
    server.start();
  }

  public static WebhookReceiver start() {
    try {
      return new WebhookReceiver();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      int n = requests.incrementAndGet();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      received.add(new Received(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Content-Type"),
          body));
      entered.release();
      try {
        if (hang) {
          release.await(60, TimeUnit.SECONDS);
        }
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.getResponseHeaders().add("Content-Type", "text/plain");
      byte[] answer = "ok".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status.applyAsInt(n), answer.length);
      exchange.getResponseBody().write(answer);
    }
  }

  /** The webhook URL. */
  public URI uri() {
    return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/hook");
  }

  /** Answers request number n (from 1) with {@code status.applyAsInt(n)}. */
  WebhookReceiver answer(IntUnaryOperator status) {
    this.status = status;
    return this;
  }

  /** Makes every request wait for {@link #release()} before it is answered. */
  WebhookReceiver hang() {
    this.hang = true;
    return this;
  }

  /** Answers each request only after {@code delay}: a slow but healthy receiver. */
  WebhookReceiver delay(Duration delay) {
    this.delay = delay;
    return this;
  }

  /** Lets hanging and later requests be answered. */
  void release() {
    release.countDown();
  }

  /** Waits until a request has arrived (one not awaited before); {@code false} on timeout. */
  boolean awaitRequest(Duration timeout) throws InterruptedException {
    return entered.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Requests received so far, whatever their answer. */
  int requests() {
    return requests.get();
  }

  /** The requests received so far, in order. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    release();
    server.stop(0);
    pool.shutdownNow();
  }
}
