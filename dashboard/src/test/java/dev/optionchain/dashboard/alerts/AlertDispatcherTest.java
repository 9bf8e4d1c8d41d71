package dev.optionchain.dashboard.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.optionchain.dashboard.config.AlertSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Delivery to real webhook receivers on local ports: payload, retries, a stuck receiver, the bounded queue, shutdown.
 * Waits are latches or polls with generous timeouts; no assertion depends on how fast the machine is.
 */
class AlertDispatcherTest {

  static final Duration AWAIT = Duration.ofSeconds(20);
  static final Instant T0 = Instant.parse("2026-03-18T15:00:00.123Z");

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void receiverGetsEveryFieldAsJsonInOrder() {
    WebhookReceiver receiver = receiver();
    AlertDispatcher dispatcher = dispatcher(settings(List.of(receiver.uri()), 3, Duration.ofMillis(10), 100));
    Alert opened = new Alert("quotes", "CLOSED", "OPEN", T0, "5 consecutive failures", 5, T0.minusMillis(3),
        Alert.SERVICE);
    Alert closed = new Alert("quotes", "OPEN", "CLOSED", T0.plusSeconds(60), "reset", 0, null, Alert.SERVICE);
    List<Alert> sent = new ArrayList<>(List.of(opened, closed));
    for (int i = 0; i < 8; i++) {
      sent.add(alert(i));
    }

    for (Alert a : sent) {
      assertThat(dispatcher.offer(a)).isTrue();
    }
    await(() -> dispatcher.delivered() == sent.size());

    List<WebhookReceiver.Received> got = receiver.received();
    assertThat(got).hasSize(sent.size());
    assertThat(got).allSatisfy(r -> {
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.contentType()).isEqualTo("application/json");
    });
    Map<String, Object> first = got.get(0).json();
    assertThat(first.keySet()).containsExactly(
        "breaker", "from", "to", "at", "reason", "failureCount", "lastFailure", "service");
    assertThat(first).containsEntry("breaker", "quotes")
        .containsEntry("from", "CLOSED")
        .containsEntry("to", "OPEN")
        .containsEntry("at", "2026-03-18T15:00:00.123Z")
        .containsEntry("reason", "5 consecutive failures")
        .containsEntry("failureCount", 5)
        .containsEntry("lastFailure", "2026-03-18T15:00:00.120Z")
        .containsEntry("service", "option-chain-dashboard");
    Map<String, Object> second = got.get(1).json();
    assertThat(second).containsEntry("lastFailure", null).containsEntry("failureCount", 0)
        .containsEntry("at", "2026-03-18T15:01:00.123Z");
    assertThat(got.stream().map(r -> r.json().get("reason")).toList())
        .isEqualTo(sent.stream().map(Alert::reason).toList());
    assertThat(dispatcher.failed()).isZero();
    assertThat(dispatcher.dropped()).isZero();
    assertThat(dispatcher.queued()).isZero();
  }

  @Test
  void retriesServerErrorsWithBackoffUntilDelivered() {
    WebhookReceiver receiver = receiver().answer(n -> n <= 2 ? 500 : 200);
    AlertDispatcher dispatcher = dispatcher(settings(List.of(receiver.uri()), 3, Duration.ofMillis(10), 10));

    dispatcher.offer(alert(1));

    await(() -> dispatcher.delivered() == 1);
    assertThat(receiver.requests()).isEqualTo(3);
    assertThat(receiver.received()).extracting(WebhookReceiver.Received::body).containsOnly(
        receiver.received().get(0).body());
    assertThat(dispatcher.failed()).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 429, 500, 503})
  void retriesTransientStatusesUpToMaxAttemptsThenFails(int status) {
    WebhookReceiver receiver = receiver().answer(n -> status);
    AlertDispatcher dispatcher = dispatcher(settings(List.of(receiver.uri()), 3, Duration.ofMillis(10), 10));

    dispatcher.offer(alert(1));

    await(() -> dispatcher.failed() == 1);
    assertThat(receiver.requests()).isEqualTo(3);
    assertThat(dispatcher.delivered()).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 404, 410, 301})
  void doesNotRetryAnswersThatRetryingCannotFix(int status) {
    WebhookReceiver receiver = receiver().answer(n -> n == 1 ? status : 200);
    AlertDispatcher dispatcher = dispatcher(settings(List.of(receiver.uri()), 3, Duration.ofMillis(10), 10));

    dispatcher.offer(alert(1));

    await(() -> dispatcher.failed() == 1);
    // failed() moves only after the last attempt, so the count of requests is final here.
    assertThat(receiver.requests()).isEqualTo(1);
    assertThat(dispatcher.delivered()).isZero();
  }

  @Test
  void failsAfterMaxAttemptsWhenTheConnectionIsRefused() throws IOException {
    URI closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = URI.create("http://127.0.0.1:" + s.getLocalPort() + "/hook");
    }
    AlertDispatcher dispatcher = dispatcher(settings(List.of(closedPort), 3, Duration.ofMillis(10), 10));

    long start = System.nanoTime();
    assertThat(dispatcher.offer(alert(1))).isTrue();
    assertThat(dispatcher.offer(alert(2))).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

    await(() -> dispatcher.failed() == 2);
    assertThat(dispatcher.delivered()).isZero();
    assertThat(dispatcher.dropped()).isZero();
  }

  @Test
  void hangingReceiverNeverBlocksOfferAndTheQueueDropsWhatDoesNotFit() throws InterruptedException {
    WebhookReceiver receiver = receiver().hang();
    AlertDispatcher dispatcher = dispatcher(new AlertSettings(List.of(receiver.uri()), Duration.ofSeconds(60), 1,
        Duration.ofMillis(10), 5));
    dispatcher.offer(alert(0));
    assertThat(receiver.awaitRequest(AWAIT)).as("worker inside the hanging POST").isTrue();

    int accepted = 0;
    for (int i = 1; i <= 50; i++) {
      if (dispatcher.offer(alert(i))) {
        accepted++;
      }
    }

    assertThat(accepted).isEqualTo(5);
    assertThat(dispatcher.dropped()).isEqualTo(45);
    assertThat(dispatcher.queued()).isEqualTo(5);

    long start = System.nanoTime();
    for (int i = 0; i < 1000; i++) {
      assertThat(dispatcher.offer(alert(100 + i))).isFalse();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("1000 offers while the receiver hangs")
        .isLessThan(Duration.ofSeconds(2));
    assertThat(dispatcher.dropped()).isEqualTo(1045);

    receiver.release();

    await(() -> dispatcher.delivered() == 6);
    assertThat(receiver.received().stream().map(r -> r.json().get("reason")).toList())
        .containsExactly("alert 0", "alert 1", "alert 2", "alert 3", "alert 4", "alert 5");
    assertThat(dispatcher.queued()).isZero();
    assertThat(dispatcher.failed()).isZero();
  }

  @Test
  void aStuckWebhookDoesNotDelayTheOthers() throws InterruptedException {
    WebhookReceiver stuck = receiver().hang();
    WebhookReceiver healthy = receiver();
    AlertDispatcher dispatcher = dispatcher(new AlertSettings(List.of(stuck.uri(), healthy.uri()),
        Duration.ofSeconds(60), 1, Duration.ofMillis(10), 10));

    for (int i = 0; i < 3; i++) {
      assertThat(dispatcher.offer(alert(i))).isTrue();
    }

    await(() -> dispatcher.delivered() == 3);
    assertThat(healthy.requests()).isEqualTo(3);
    assertThat(stuck.awaitRequest(AWAIT)).isTrue();
    assertThat(stuck.requests()).isEqualTo(1);
    assertThat(dispatcher.queued()).isEqualTo(2);

    stuck.release();

    await(() -> dispatcher.delivered() == 6);
    assertThat(stuck.received().stream().map(r -> r.json().get("reason")).toList())
        .containsExactly("alert 0", "alert 1", "alert 2");
  }

  @Test
  void closeDeliversWhatIsQueuedWhenTheReceiverIsUp() throws InterruptedException {
    WebhookReceiver receiver = receiver().delay(Duration.ofMillis(100));
    AlertDispatcher dispatcher = dispatcher(settings(List.of(receiver.uri()), 3, Duration.ofMillis(10), 10));
    for (int i = 0; i < 5; i++) {
      dispatcher.offer(alert(i));
    }
    assertThat(receiver.awaitRequest(AWAIT)).isTrue();

    dispatcher.close();

    assertThat(dispatcher.delivered()).isEqualTo(5);
    assertThat(receiver.requests()).isEqualTo(5);
    assertThat(dispatcher.queued()).isZero();
    assertThat(dispatcher.liveWorkers()).isZero();
  }

  @Test
  void closeIsIdempotentAndLaterOffersAreDropped() {
    WebhookReceiver receiver = receiver();
    AlertDispatcher dispatcher = dispatcher(settings(List.of(receiver.uri()), 3, Duration.ofMillis(10), 10));
    dispatcher.offer(alert(1));

    dispatcher.close();
    dispatcher.close();

    assertThat(dispatcher.delivered()).isEqualTo(1);
    assertThat(dispatcher.offer(alert(2))).isFalse();
    assertThat(dispatcher.dropped()).isEqualTo(1);
    dispatcher.close();
    assertThat(receiver.requests()).isEqualTo(1);
    assertThat(dispatcher.liveWorkers()).isZero();
  }

  @Test
  void closeStopsWaitingForAHangingReceiverAfterTheDrainTimeout() throws InterruptedException {
    WebhookReceiver receiver = receiver().hang();
    AlertDispatcher dispatcher = new AlertDispatcher(
        new AlertSettings(List.of(receiver.uri()), Duration.ofSeconds(60), 3, Duration.ofMillis(10), 10),
        System::nanoTime, Duration.ofMillis(200));
    toClose.add(dispatcher);
    dispatcher.offer(alert(1));
    dispatcher.offer(alert(2));
    assertThat(receiver.awaitRequest(AWAIT)).isTrue();

    long start = System.nanoTime();
    dispatcher.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(dispatcher.liveWorkers()).isZero();
    assertThat(dispatcher.queued()).isZero();
    assertThat(dispatcher.delivered()).isZero();
    assertThat(dispatcher.failed()).as("the one in flight and the one queued").isEqualTo(2);
  }

  @Test
  void withoutWebhooksOfferIsACheapNoOp() {
    AlertDispatcher dispatcher = dispatcher(settings(List.of(), 3, Duration.ofMillis(10), 1));

    assertThat(dispatcher.liveWorkers()).isZero();
    long start = System.nanoTime();
    for (int i = 0; i < 100_000; i++) {
      assertThat(dispatcher.offer(alert(i))).isTrue();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(dispatcher.queued()).isZero();
    assertThat(dispatcher.dropped()).isZero();

    dispatcher.close();
    assertThat(dispatcher.offer(alert(0))).isTrue();
    assertThat(dispatcher.dropped()).isZero();
  }

  @Test
  void dropWarningsAreRateLimitedToOneLinePerTenSeconds() throws InterruptedException {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger logger = (Logger) LoggerFactory.getLogger(AlertDispatcher.class);
    logger.addAppender(logs);
    try {
      WebhookReceiver receiver = receiver().hang();
      AtomicLong ticker = new AtomicLong(Long.MAX_VALUE - TimeUnit.SECONDS.toNanos(5)); // wraps in between
      AlertDispatcher dispatcher = new AlertDispatcher(
          new AlertSettings(List.of(receiver.uri()), Duration.ofSeconds(60), 1, Duration.ofMillis(10), 1),
          ticker::get, Duration.ofSeconds(5));
      toClose.add(dispatcher);
      dispatcher.offer(alert(0));
      assertThat(receiver.awaitRequest(AWAIT)).isTrue();
      assertThat(dispatcher.offer(alert(1))).isTrue();

      for (int i = 0; i < 20; i++) {
        assertThat(dispatcher.offer(alert(2 + i))).isFalse();
      }
      assertThat(dropLines(logs)).containsExactly("Dropped 1 alert(s) since the last report, 1 in total");

      ticker.addAndGet(TimeUnit.SECONDS.toNanos(9));
      dispatcher.offer(alert(30));
      assertThat(dropLines(logs)).hasSize(1);

      ticker.addAndGet(TimeUnit.SECONDS.toNanos(1));
      dispatcher.offer(alert(31));
      assertThat(dropLines(logs)).containsExactly(
          "Dropped 1 alert(s) since the last report, 1 in total",
          "Dropped 21 alert(s) since the last report, 22 in total");

      dispatcher.offer(alert(32));
      receiver.release();
      dispatcher.close();
      assertThat(dropLines(logs)).hasSize(3).last().isEqualTo(
          "Dropped 1 alert(s) since the last report, 23 in total");
      assertThat(dispatcher.delivered()).isEqualTo(2);
    } finally {
      logger.detachAppender(logs);
    }
  }

  @Test
  void rejectsSettingsOutOfRange() {
    List<URI> hook = List.of(URI.create("http://localhost:1/hook"));
    Duration s = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new AlertDispatcher(new AlertSettings(hook, Duration.ZERO, 3, s, 10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alerts.timeout")
        .hasMessageContaining("PT0S");
    assertThatThrownBy(() -> new AlertDispatcher(new AlertSettings(hook, s, 0, s, 10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alerts.max-attempts");
    assertThatThrownBy(() -> new AlertDispatcher(new AlertSettings(hook, s, 3, s.negated(), 10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alerts.backoff");
    assertThatThrownBy(() -> new AlertDispatcher(new AlertSettings(hook, s, 3, s, 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alerts.queue-capacity");
    assertThatThrownBy(() -> new AlertDispatcher(
        new AlertSettings(List.of(URI.create("ftp://example.com/x")), s, 3, s, 10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://example.com");
  }

  @Test
  void logsWebhooksByNumberAndOriginOnlyTheirPathsAreCredentials() {
    assertThat(AlertDispatcher.display(2, URI.create("https://user:secret@hooks.example.com:8443/a/b?token=x")))
        .isEqualTo("#2 https://hooks.example.com:8443/\u2026");
    assertThat(AlertDispatcher.display(1, URI.create("https://hooks.slack.com/services/T0/B0/XXXXXXXXXXXXXXXX")))
        .isEqualTo("#1 https://hooks.slack.com/\u2026");
    assertThat(AlertDispatcher.display(1, URI.create("http://127.0.0.1"))).isEqualTo("#1 http://127.0.0.1");
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static List<String> dropLines(ListAppender<ILoggingEvent> logs) {
    return logs.list.stream()
        .filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().startsWith("Dropped"))
        .map(e -> e.getFormattedMessage().replaceAll(" \\(queue capacity.*", ""))
        .toList();
  }

  private WebhookReceiver receiver() {
    WebhookReceiver r = WebhookReceiver.start();
    toClose.add(r);
    return r;
  }

  private AlertDispatcher dispatcher(AlertSettings settings) {
    AlertDispatcher d = new AlertDispatcher(settings);
    toClose.add(d);
    return d;
  }

  static AlertSettings settings(List<URI> webhooks, int maxAttempts, Duration backoff, int capacity) {
    return new AlertSettings(webhooks, Duration.ofSeconds(5), maxAttempts, backoff, capacity);
  }

  static Alert alert(int i) {
    return new Alert("b" + i, "CLOSED", "OPEN", T0.plusSeconds(i), "alert " + i, i, T0, Alert.SERVICE);
  }

  static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("condition not met within " + AWAIT);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
