package dev.optionchain.dashboard.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.dashboard.config.AlertSettings;
import dev.optionchain.dashboard.secrets.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link Alert}s to the configured webhooks, off the request path.
 *
 * <p>Algorithm: one <em>lane</em> per webhook, each a bounded queue of {@link AlertSettings#queueCapacity()} alerts
 * and one daemon thread ({@code alert-dispatcher-1}, {@code -2}, ... in the order of the webhooks). {@link #offer}
 * puts the alert in every lane's queue without waiting and returns; each lane's thread takes its alerts in order and
 * POSTs them one at a time as JSON, retrying failures with exponential backoff. A slow or dead receiver therefore only
 * delays its own lane: alerts to the other webhooks keep flowing, and the caller never waits. The cost is one thread
 * and one queue per webhook (webhooks are few), and an alert may be queued for one webhook and dropped for another
 * whose queue is full.
 *
 * <p>Delivery of one alert to one webhook: a 2xx answer is success; a 3xx (redirects are not followed) or a 4xx other
 * than 408 and 429 is a misconfiguration that will not fix itself and is not retried; any other status, a timeout or
 * an I/O error (connection refused, reset) is retried until {@link AlertSettings#maxAttempts()} attempts in total,
 * waiting {@link AlertSettings#backoff()} before the first retry and twice as long before each next one, at most
 * {@value #MAX_BACKOFF_SECONDS} s. Each failed attempt is logged at WARN with the webhook (its number and origin
 * only, as {@code #2 https://hooks.slack.com/…}: a webhook URL is a credential), the status or error and the attempt
 * number, never the body. The connect timeout and the timeout for the
 * response headers are both {@link AlertSettings#timeout()}; the response body is not read. One alert can thus hold
 * its lane for at most about {@code maxAttempts * timeout} plus the backoff waits (7.5 s with the defaults).
 *
 * <p>When a lane's queue is full, the alert is dropped for that webhook: {@link #offer} returns {@code false}, the
 * alert counts once in {@link #dropped()}, and a WARN line reports the drops, at most one line per
 * {@value #DROP_REPORT_INTERVAL_SECONDS} s with the number dropped since the previous line (the rest is reported at
 * the next drop after the interval, or at {@link #close()}).
 *
 * <p>With no webhooks configured the dispatcher starts no thread and {@link #offer} is a no-op that returns
 * {@code true}, even after {@link #close()}.
 *
 * <p>Thread-safety: every method may be called from any thread. {@link #offer} never blocks on I/O (it takes each
 * queue's lock for the time of an array store) and is safe to call from a breaker's transition listener.
 */
public final class AlertDispatcher implements AutoCloseable {

  static final long MAX_BACKOFF_SECONDS = 30;
  static final long DROP_REPORT_INTERVAL_SECONDS = 10;
  static final long DRAIN_SECONDS = 5;

  /** Longest wait between two attempts. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(MAX_BACKOFF_SECONDS);

  /** How long {@link #close()} lets the lanes send what is queued before it interrupts them. */
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(DRAIN_SECONDS);

  private static final long DROP_REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(DROP_REPORT_INTERVAL_SECONDS);

  private static final Logger log = LoggerFactory.getLogger(AlertDispatcher.class);

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .build();

  /** Put in each queue by {@link #close()} to wake an idle lane; compared by identity. */
  private static final Alert STOP = new Alert("", "", "", Instant.EPOCH, "", 0, null, "");

  private final AlertSettings settings;
  private final LongSupplier ticker;
  private final Duration drainTimeout;
  private final HttpClient http;
  private final List<Lane> lanes;

  private final AtomicBoolean closeCalled = new AtomicBoolean();
  private volatile boolean closed;

  private final LongAdder dropped = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder failed = new LongAdder();

  /** Drops not yet reported in a WARN line. */
  private final AtomicLong unreportedDrops = new AtomicLong();
  /** Ticker reading of the last drop report. */
  private final AtomicLong lastDropReport;

  /**
   * Creates a dispatcher and, if webhooks are configured, starts one daemon thread per webhook.
   *
   * @param settings the webhooks, timeout, attempts, backoff and queue capacity
   * @throws IllegalArgumentException if a setting is out of range (timeout not positive, fewer than 1 attempt,
   *     negative backoff, capacity below 1, a webhook that is not an absolute http(s) URL)
   */
  public AlertDispatcher(AlertSettings settings) {
    this(settings, BreakerClock.system());
  }

  /**
   * Creates a dispatcher on the service's clock (its monotonic reading rate-limits the drop reports; the drain at
   * {@link #close()} waits for real threads, so it is timed in real time).
   *
   * @param settings the webhooks, timeout, attempts, backoff and queue capacity
   * @param clock the service's clock
   */
  public AlertDispatcher(AlertSettings settings, BreakerClock clock) {
    this(settings, clock::nanoTime, DRAIN_TIMEOUT);
  }

  /**
   * Test seam.
   *
   * @param ticker monotonic nanoseconds, for rate-limiting the drop reports
   * @param drainTimeout how long {@link #close()} waits for the queues to empty
   */
  AlertDispatcher(AlertSettings settings, LongSupplier ticker, Duration drainTimeout) {
    this.settings = validate(settings);
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
    this.lastDropReport = new AtomicLong(ticker.getAsLong() - DROP_REPORT_INTERVAL_NANOS);
    List<URI> webhooks = settings.webhooks();
    if (webhooks.isEmpty()) {
      this.http = null;
      this.lanes = List.of();
      return;
    }
    this.http = HttpClient.newBuilder()
        .connectTimeout(settings.timeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
    List<Lane> ls = new ArrayList<>(webhooks.size());
    for (int i = 0; i < webhooks.size(); i++) {
      ls.add(new Lane(i + 1, webhooks.get(i), settings.queueCapacity()));
    }
    this.lanes = List.copyOf(ls);
    for (Lane lane : lanes) {
      lane.thread.start();
    }
    log.info("Alerts go to {} webhook(s): {}", lanes.size(), lanes.stream().map(l -> l.display).toList());
  }

  private static AlertSettings validate(AlertSettings s) {
    Objects.requireNonNull(s, "settings");
    if (s.timeout().isNegative() || s.timeout().isZero()) {
      throw new IllegalArgumentException("alerts.timeout must be positive, was " + s.timeout());
    }
    if (s.maxAttempts() < 1) {
      throw new IllegalArgumentException("alerts.max-attempts must be at least 1, was " + s.maxAttempts());
    }
    if (s.backoff().isNegative()) {
      throw new IllegalArgumentException("alerts.backoff must not be negative, was " + s.backoff());
    }
    if (s.queueCapacity() < 1) {
      throw new IllegalArgumentException("alerts.queue-capacity must be at least 1, was " + s.queueCapacity());
    }
    for (URI u : s.webhooks()) {
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
        throw new IllegalArgumentException("alerts.webhooks must be absolute http(s) URLs, was '"
            + Secrets.hint(u.toString()) + "'");
      }
    }
    return s;
  }

  /**
   * Queues an alert for every webhook and returns at once.
   *
   * @param alert the alert
   * @return {@code true} if it was queued for every webhook (or there are none); {@code false} if it was dropped for
   *     at least one webhook because its queue was full, or because the dispatcher is closed, in which case it counts
   *     once in {@link #dropped()}
   * @throws NullPointerException if {@code alert} is null (the only exception this method throws)
   */
  public boolean offer(Alert alert) {
    Objects.requireNonNull(alert, "alert");
    if (lanes.isEmpty()) {
      return true;
    }
    if (closed) {
      drop(alert, "the dispatcher is closed");
      return false;
    }
    boolean full = false;
    for (Lane lane : lanes) {
      if (!lane.queue.offer(alert)) {
        full = true;
      }
    }
    if (closed) {
      // close() ran meanwhile: a lane may already have stopped, so take the alert back rather than strand it.
      boolean retracted = false;
      for (Lane lane : lanes) {
        retracted |= lane.queue.removeIf(a -> a == alert);
      }
      if (retracted) {
        drop(alert, "the dispatcher is closed");
        return false;
      }
    }
    if (full) {
      drop(alert, "queue full");
      return false;
    }
    return true;
  }

  private void drop(Alert alert, String why) {
    dropped.increment();
    unreportedDrops.incrementAndGet();
    long now = ticker.getAsLong();
    long last = lastDropReport.get();
    if (now - last >= DROP_REPORT_INTERVAL_NANOS && lastDropReport.compareAndSet(last, now)) {
      reportDrops("latest: breaker '" + alert.breaker() + "' " + alert.from() + " -> " + alert.to() + " at "
          + alert.at() + ", " + why);
    }
  }

  private void reportDrops(String detail) {
    long n = unreportedDrops.getAndSet(0);
    if (n > 0) {
      log.warn("Dropped {} alert(s) since the last report, {} in total (queue capacity {} per webhook); {}", n,
          dropped.sum(), settings.queueCapacity(), detail);
    }
  }

  /**
   * Alerts dropped because a webhook's queue was full or the dispatcher was closed. Never decreases.
   *
   * @return the count since creation
   */
  public long dropped() {
    return dropped.sum();
  }

  /**
   * Deliveries of one alert to one webhook that got a 2xx answer. Never decreases.
   *
   * @return the count since creation
   */
  public long delivered() {
    return delivered.sum();
  }

  /**
   * Deliveries of one alert to one webhook that were given up: after {@link AlertSettings#maxAttempts()} attempts,
   * at once on an answer that retrying cannot fix (3xx, 4xx other than 408 and 429), or because {@link #close()}
   * stopped waiting for them (in flight or still queued). Once closed, every alert queued for a webhook counts there
   * or in {@link #delivered()}. Never decreases.
   *
   * @return the count since creation
   */
  public long failed() {
    return failed.sum();
  }

  /**
   * Alerts waiting to be sent, not counting the one being sent: the length of the longest webhook queue.
   *
   * @return 0 when idle, at most {@link AlertSettings#queueCapacity()}
   */
  public int queued() {
    int max = 0;
    for (Lane lane : lanes) {
      max = Math.max(max, lane.queue.size());
    }
    return max;
  }

  /** Lane threads still running; for tests. */
  int liveWorkers() {
    int n = 0;
    for (Lane lane : lanes) {
      if (lane.thread.isAlive()) {
        n++;
      }
    }
    return n;
  }

  /**
   * Stops accepting alerts, lets the lanes send what is queued for up to {@value #DRAIN_SECONDS} s in all, then
   * interrupts those still busy (a hanging POST or a backoff wait); what they leave unsent counts in {@link #failed()}
   * and is logged at WARN.
   * Later {@link #offer}s return {@code false} and count as dropped. Idempotent: calls after the first return at once.
   */
  @Override
  public void close() {
    if (!closeCalled.compareAndSet(false, true)) {
      return;
    }
    closed = true;
    if (lanes.isEmpty()) {
      return;
    }
    for (Lane lane : lanes) {
      // Wakes an idle lane. If the queue is full the lane is busy and sees `closed` once it runs dry.
      lane.queue.offer(STOP);
    }
    boolean interrupted = false;
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    for (Lane lane : lanes) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || interrupted) {
        break;
      }
      try {
        TimeUnit.NANOSECONDS.timedJoin(lane.thread, left);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    for (Lane lane : lanes) {
      if (lane.thread.isAlive()) {
        lane.thread.interrupt();
      }
    }
    for (Lane lane : lanes) {
      try {
        lane.thread.join(1000);
      } catch (InterruptedException e) {
        interrupted = true;
      }
      List<Alert> unsent = new ArrayList<>();
      lane.queue.drainTo(unsent);
      long n = unsent.stream().filter(a -> a != STOP).count();
      if (n > 0) {
        failed.add(n);
        log.warn("Closed with {} alert(s) not sent to webhook {}: the receiver did not take them within {}", n,
            lane.display, drainTimeout);
      }
    }
    reportDrops("dispatcher closed");
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "AlertDispatcher[webhooks=" + lanes.size() + ", queued=" + queued() + ", delivered=" + delivered()
        + ", failed=" + failed() + ", dropped=" + dropped() + (closed ? ", closed" : "") + "]";
  }

  /**
   * The webhook for logs: its number and its origin. User-info, path and query are left out: Slack, Discord and
   * Teams put the credential in the path.
   */
  static String display(int number, URI u) {
    return "#" + number + " " + Secrets.origin(u);
  }

  private static String describe(IOException e) {
    if (e instanceof HttpTimeoutException) {
      return "timed out";
    }
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }

  /** One webhook: its queue and the thread that empties it. */
  private final class Lane {
    final URI uri;
    final String display;
    final ArrayBlockingQueue<Alert> queue;
    final Thread thread;

    Lane(int number, URI uri, int capacity) {
      this.uri = uri;
      this.display = display(number, uri);
      this.queue = new ArrayBlockingQueue<>(capacity);
      this.thread = new Thread(this::run, "alert-dispatcher-" + number);
      this.thread.setDaemon(true);
    }

    /** Sends queued alerts in order until closed and empty, or interrupted by {@link #close()}. */
    void run() {
      Alert alert = null;
      try {
        for (;;) {
          alert = queue.poll();
          if (alert == null) {
            if (closed) {
              return;
            }
            alert = queue.take();
          }
          if (alert == STOP) {
            continue;
          }
          try {
            deliver(alert);
          } catch (RuntimeException e) {
            failed.increment();
            log.error("Alert delivery to webhook {} failed unexpectedly; breaker '{}' {} -> {} at {}", display,
                alert.breaker(), alert.from(), alert.to(), alert.at(), e);
          }
          alert = null;
        }
      } catch (InterruptedException e) {
        // close() stopped waiting; it counts and logs what is left in the queue, we the one in hand.
        if (alert != null && alert != STOP) {
          failed.increment();
          log.warn("Closed while sending to webhook {}: gave up on the alert for breaker '{}' {} -> {} at {}",
              display, alert.breaker(), alert.from(), alert.to(), alert.at());
        }
      }
    }

    private void deliver(Alert alert) throws InterruptedException {
      byte[] body;
      try {
        body = MAPPER.writeValueAsBytes(alert);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write alert as JSON", e);
      }
      HttpRequest request = HttpRequest.newBuilder(uri)
          .timeout(settings.timeout())
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body))
          .build();
      int max = settings.maxAttempts();
      Duration wait = settings.backoff().compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : settings.backoff();
      for (int attempt = 1; ; attempt++) {
        boolean retryable;
        String problem;
        try {
          HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
          discard(response.body());
          int status = response.statusCode();
          if (status >= 200 && status < 300) {
            delivered.increment();
            log.debug("Alert for breaker '{}' {} -> {} delivered to webhook {} (attempt {}/{}, HTTP {})",
                alert.breaker(), alert.from(), alert.to(), display, attempt, max, status);
            return;
          }
          boolean permanent = (status >= 300 && status < 500) && status != 408 && status != 429;
          retryable = !permanent;
          problem = "HTTP " + status + (permanent ? ", not retried: the receiver or its URL needs fixing" : "");
        } catch (IOException e) {
          retryable = true;
          problem = describe(e);
        }
        if (retryable && attempt < max) {
          log.warn("Alert webhook {} failed (attempt {}/{}): {}; retrying in {} ms", display, attempt, max, problem,
              wait.toMillis());
          TimeUnit.NANOSECONDS.sleep(wait.toNanos());
          wait = wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
          continue;
        }
        failed.increment();
        log.warn("Alert webhook {} failed (attempt {}/{}): {}; gave up on the alert for breaker '{}' {} -> {} at {}",
            display, attempt, max, problem, alert.breaker(), alert.from(), alert.to(), alert.at());
        return;
      }
    }

    /** Closes the unread body: the status is all we need, and a receiver that stalls its body cannot hold us. */
    private void discard(InputStream body) {
      try {
        body.close();
      } catch (IOException e) {
        log.debug("Closing the response body of webhook {} failed: {}", display, describe(e));
      }
    }
  }
}
