package dev.optionchain.dashboard.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.dashboard.Api;
import dev.optionchain.dashboard.cache.Cached;
import dev.optionchain.dashboard.model.Quote;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whoever can write to Redis can write the fleet's keys. Corrupt or hostile values must not crash an instance, cut it
 * off from the fleet, poison its memory, or keep a breaker open forever: a value of the fleet's keys is checked
 * before it is trusted.
 */
class UntrustedRedisDataTest {

  @TempDir
  Path dir;

  private TestFleet fleet;

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
  }

  /** Asks both instances for the chain until both are CLOSED (the recovery timeout is 2 s). */
  static void recovers(TestFleet fleet, String path, Duration within) {
    TestFleet.await("the fleet recovers", within, () -> {
      for (int i = 0; i < fleet.size(); i++) {
        fleet.api(i).get(path);
      }
      for (int i = 0; i < fleet.size(); i++) {
        if (!fleet.state(i, "options_chain").equals("CLOSED")) {
          SharedDecisionsTest.sleepQuietly(100);
          return false;
        }
      }
      return true;
    });
  }

  @Test
  void keysOfTheWrongTypeAreTakenBackNotAnOutage() {
    fleet = TestFleet.start(dir, 2, Map.of());
    fleet.redis.cli("SET", "ocd:instances", "garbage");
    fleet.redis.cli("HSET", "ocd:budget:calls", "f", "v");
    fleet.redis.cli("RPUSH", "ocd:lease:options_chain", "x");
    fleet.redis.cli("SADD", "ocd:breaker:options_chain", "x");
    fleet.redis.cli("SET", "ocd:failures:options_chain", "many");
    fleet.startInstance("c", Map.of());
    TestFleet.await("a lists c: its heartbeat works", Duration.ofSeconds(5),
        () -> fleet.health(0).path("fleet").path("instances").toString().equals("[\"a\",\"b\",\"c\"]"));
    String path = SharedDecisionsTest.trip(fleet, 0);
    TestFleet.await("b adopts a's OPEN", Duration.ofSeconds(2), () -> fleet.state(1, "options_chain").equals("OPEN"));
    fleet.clearFaults();
    recovers(fleet, path, Duration.ofSeconds(15)); // a trial needs the lease
  }

  @Test
  void aLeaseOfNoLiveInstanceOrWithoutAnEndDoesNotKeepABreakerOpen() {
    fleet = TestFleet.start(dir, 2, Map.of());
    fleet.redis.cli("SET", "ocd:lease:options_chain", "ghost"); // no time to live, no such instance
    String path = SharedDecisionsTest.trip(fleet, 0);
    fleet.clearFaults();
    recovers(fleet, path, Duration.ofSeconds(15));

    fleet.redis.cli("SET", "ocd:lease:options_chain", "b", "PX", "86400000"); // a live instance, but a day long
    fleet.fault("chains", "outage", "");
    for (int n = 0; n < 3; n++) {
      fleet.api(0).get(path);
    }
    fleet.clearFaults();
    recovers(fleet, path, Duration.ofSeconds(15));
  }

  /** Whether instance {@code i}'s options_chain breaker is OPEN with its trial due within {@code max}. */
  private boolean openAtMost(int i, Duration max) {
    var s = fleet.health(i).path("breakers").path("options_chain");
    return s.path("state").asText().equals("OPEN")
        && java.time.Instant.parse(s.path("retryAt").asText()).isBefore(java.time.Instant.now().plus(max));
  }

  @Test
  void anOpenOfAbsurdLengthIsCutToTheLongestTheBreakerWouldStayOpen() {
    fleet = TestFleet.start(dir, 2, Map.of());
    String path = SharedDecisionsTest.CHAIN + SharedDecisionsTest.expiration(fleet.api(0));
    String forged = "{\"v\":1,\"type\":\"transition\",\"instance\":\"evil\",\"breaker\":\"options_chain\","
        + "\"from\":\"CLOSED\",\"to\":\"OPEN\",\"at\":\"2026-01-01T00:00:00Z\",\"reason\":\"forged\","
        + "\"remainingMs\":9000000000000000}";
    fleet.redis.cli("PUBLISH", "ocd:fleet", forged);
    for (int i = 0; i < 2; i++) {
      int n = i;
      TestFleet.await("instance " + n + " OPEN for at most its recovery timeout (2 s)", Duration.ofSeconds(2),
          () -> fleet.state(n, "options_chain").equals("OPEN"));
      assertThat(openAtMost(n, Duration.ofSeconds(3))).as("%s", fleet.health(n)).isTrue();
    }
    recovers(fleet, path, Duration.ofSeconds(15));

    // the same as the state key, which an instance started later reads
    fleet.redis.cli("SET", "ocd:breaker:options_chain", forged, "PX", "900000000000");
    fleet.startInstance("c", Map.of());
    TestFleet.await("c learns OPEN", Duration.ofSeconds(3), () -> fleet.state(2, "options_chain").equals("OPEN"));
    assertThat(openAtMost(2, Duration.ofSeconds(3))).as("%s", fleet.health(2)).isTrue();
  }

  @Test
  void aMessageLongerThanAnyFleetMessageIsDroppedUnreadAndCounted() {
    fleet = TestFleet.start(dir, 1, Map.of());
    TestFleet.await("connected", Duration.ofSeconds(10),
        () -> fleet.health(0).path("fleet").path("connected").asBoolean());
    String padded = "{\"v\":1,\"type\":\"transition\",\"instance\":\"evil\",\"breaker\":\"options_chain\","
        + "\"from\":\"CLOSED\",\"to\":\"OPEN\",\"at\":\"2026-01-01T00:00:00Z\",\"reason\":\""
        + "x".repeat(RedisLink.MAX_MESSAGE_CHARS) + "\",\"remainingMs\":60000}";
    assertThat(fleet.redis.cli("PUBLISH", "ocd:fleet", padded)).isEqualTo("1");
    TestFleet.await("the message counted as dropped", Duration.ofSeconds(5),
        () -> fleet.api(0).get("/metrics").raw().body().contains("fleet_messages_dropped_total 1.0"));
    assertThat(fleet.state(0, "options_chain")).as("not adopted").isEqualTo("CLOSED");
  }

  @Test
  void anAlertKeyNobodyWroteForThisTransitionDoesNotSilenceTheAlert() {
    try (dev.optionchain.dashboard.alerts.WebhookReceiver hooks = dev.optionchain.dashboard.alerts.WebhookReceiver
        .start()) {
      fleet = TestFleet.start(dir, 2, Map.of("alerts.webhooks", hooks.uri().toString(),
          "breaker.options_chain.recovery-timeout", "60s"));
      fleet.redis.cli("SET", "ocd:alert:options_chain:CLOSED>OPEN", "x"); // for ever: no instance writes that
      SharedDecisionsTest.trip(fleet, 0);
      TestFleet.await("the trip's alert", Duration.ofSeconds(5), () -> hooks.received().stream()
          .anyMatch(r -> "OPEN".equals(((Map<?, ?>) r.json()).get("to"))));
      fleet.close(); // before the receiver: the instances would try to deliver alerts to it
      fleet = null;
    }
  }

  @Test
  void anAnswerStoredUnderAnotherKeyIsNotServedForIt() {
    fleet = TestFleet.start(dir, 2, Map.of("breaker.current_price.fresh-for", "1h"));
    assertThat(fleet.api(0).get("/api/quote/MSFT").status()).isEqualTo(200);
    TestFleet.await("MSFT shared", Duration.ofSeconds(5),
        () -> fleet.redis.cli("EXISTS", "ocd:good:current_price:MSFT").equals("1"));
    fleet.redis.cli("COPY", "ocd:fresh:current_price:MSFT", "ocd:fresh:current_price:AAPL");
    fleet.redis.cli("COPY", "ocd:good:current_price:MSFT", "ocd:good:current_price:AAPL");
    Api.Response r = fleet.api(1).get("/api/quote/AAPL");
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.json().path("data").path("symbol").asText()).isEqualTo("AAPL");
  }

  @Test
  void anAnswerFetchedInTheFutureIsNotServed() {
    fleet = TestFleet.start(dir, 1, Map.of("breaker.current_price.fresh-for", "1h"));
    Instant future = Instant.now().plus(Duration.ofDays(10));
    Quote forged = new Quote("AAPL", "Apple Inc", "Q", "stock", 1.0, 0.0, 0.0, null, null, future, 1.0, 1.0, 1.0,
        null, 1.0, null, null, null, null, null, null);
    byte[] stored = new AnswerCodec<>("current_price", Quote.class, 1 << 20).encode(new Cached<>(forged, future))
        .orElseThrow();
    RedisClient client = RedisClient.create(fleet.redis.url());
    try (StatefulRedisConnection<String, byte[]> c = client.connect(RedisLink.CODEC)) {
      c.sync().set("ocd:fresh:current_price:AAPL", stored);
      c.sync().set("ocd:good:current_price:AAPL", stored);
    } finally {
      client.shutdown();
    }
    Api.Response r = fleet.api(0).get("/api/quote/AAPL");
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(Instant.parse(r.json().path("asOf").asText())).isBefore(Instant.now().plus(Duration.ofMinutes(1)));
    assertThat(r.json().path("data").path("last").asDouble()).isNotEqualTo(1.0);
  }

  @Test
  void aValueLargerThanAnyInstanceSharesIsNeitherSentNorRead() {
    TestFleet.requireRedis();
    try (RedisServer redis = RedisServer.start(dir)) {
      String key = "ocd:fresh:current_price:AAPL";
      redis.cli("SETRANGE", key, "3000000", "x"); // 3 MB where at most 2 MiB is shared
      String fresh = redis.cli("EVAL", Scripts.FRESH, "3", key, "ocd:lock:current_price:AAPL", Fleet.INSTANCES,
          "a", "5000", Integer.toString(2 * 1024 * 1024), "30000");
      assertThat(fresh.length()).as("the reply's length").isLessThan(100);
      assertThat(fresh).startsWith("2"); // this instance fetches the key itself
      assertThat(redis.cli("EVAL", Scripts.ANSWER, "1", key, Integer.toString(2 * 1024 * 1024))).isEmpty();
    }
  }

  @Test
  void aFetchLockOfNoLiveInstanceIsNotWaitedFor() {
    fleet = TestFleet.start(dir, 2, Map.of("breaker.current_price.request-timeout", "20s"));
    fleet.redis.cli("SET", "ocd:lock:current_price:AAPL", "ghost", "PX", "86400000"); // a day, no such instance
    fleet.redis.cli("SET", "ocd:lock:current_price:MSFT", "b", "PX", "86400000"); // b is there, but no lock is so long
    for (String symbol : java.util.List.of("AAPL", "MSFT")) {
      Api.Response r = fleet.api(0).get("/api/quote/" + symbol);
      assertThat(r.status()).as("%s", r).isEqualTo(200);
    }
    assertThat(fleet.metric(0, "fleet_answers_joined_total")).as("misses that waited for another instance")
        .isEqualTo(0);
  }
}
