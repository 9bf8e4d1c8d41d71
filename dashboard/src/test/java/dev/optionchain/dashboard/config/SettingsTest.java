package dev.optionchain.dashboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  @Test
  void defaultsReproduceTheSeedsFiveBreakers() {
    DashboardConfig c = DashboardConfig.from(Settings.defaults());
    assertThat(c.breakers().keySet())
        .containsExactly("current_price", "price_history", "options_chain", "ticker_info", "expirations");
    assertThat(c.breaker("current_price").failureThreshold()).isEqualTo(5);
    assertThat(c.breaker("current_price").recoveryTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.breaker("price_history").failureThreshold()).isEqualTo(5);
    assertThat(c.breaker("price_history").recoveryTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.breaker("options_chain").failureThreshold()).isEqualTo(3);
    assertThat(c.breaker("options_chain").recoveryTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.breaker("ticker_info").failureThreshold()).isEqualTo(5);
    assertThat(c.breaker("ticker_info").recoveryTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.breaker("expirations").failureThreshold()).isEqualTo(4);
    assertThat(c.breaker("expirations").recoveryTimeout()).isEqualTo(Duration.ofSeconds(75));
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(c.embeddedUpstream()).isTrue();
    assertThat(c.breakersEnabled()).isTrue();
    assertThat(c.adminToken()).isEmpty();
  }

  @Test
  void withListenerMovesTheMainListenerAndDropsTheManagementOneKeepingTheRest() {
    DashboardConfig c = DashboardConfig.from(Settings.defaults().with(Map.of("management.port", "9091",
        "server.host", "0.0.0.0", "server.port", "8080", "admin.token", "a-token-long-enough-123"), "test"));
    DashboardConfig moved = c.withListener("127.0.0.1", 0);
    assertThat(moved.host()).isEqualTo("127.0.0.1");
    assertThat(moved.port()).isZero();
    assertThat(moved.management()).isEmpty();
    assertThat(moved).isEqualTo(new DashboardConfig("127.0.0.1", 0, c.dataDir(), c.upstreamBaseUrl(),
        c.upstreamToken(), c.connectTimeout(), c.rateLimitPerMinute(), c.warmUpRequests(), c.simSeed(),
        c.breakersEnabled(), c.breakers(), c.adminToken(), c.alerts(), c.cache(), c.limits(),
        java.util.Optional.empty(), c.duckdb(), c.fleet()));
  }

  @Test
  void theLimitsHaveDocumentedDefaultsAndAreValidated() {
    DashboardConfig c = DashboardConfig.from(Settings.defaults());
    assertThat(c.limits()).isEqualTo(new ServerLimits(1000, Duration.ofSeconds(10), Duration.ofSeconds(30), 200));
    assertThat(c.management()).isEmpty();
    assertThat(c.duckdb()).isEqualTo(new DuckDbLimits("256MB", 2));
    DashboardConfig m = DashboardConfig.from(Settings.defaults().with(Map.of("management.port", "9091",
        "server.host", "0.0.0.0"), "test"));
    assertThat(m.management()).contains(new ManagementListener("0.0.0.0", 9091));
    assertThat(DashboardConfig.from(Settings.defaults().with(Map.of("management.port", "0", "management.host",
        "127.0.0.1"), "test")).management()).contains(new ManagementListener("127.0.0.1", 0));
    for (Map.Entry<String, String> bad : Map.of("server.max-connections", "0", "server.request-read-timeout", "0s",
        "server.idle-timeout", "soon", "events.max-clients", "-1", "management.port", "70000",
        "duckdb.memory-limit", "80%", "duckdb.threads", "1000").entrySet()) {
      assertThatThrownBy(() -> DashboardConfig.from(Settings.defaults().with(Map.of(bad.getKey(), bad.getValue()),
          "test"))).as(bad.toString()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad.getKey());
    }
  }

  @Test
  void slowCallsAndBulkheadsHaveDocumentedDefaultsAndAreValidated() {
    DashboardConfig c = DashboardConfig.from(Settings.defaults());
    assertThat(c.breaker("current_price").slowCallDuration()).as("two thirds of 3 s").contains(Duration.ofSeconds(2));
    assertThat(c.breaker("options_chain").slowCallDuration()).as("two thirds of 5 s")
        .contains(Duration.ofMillis(3333));
    for (BreakerSettings b : c.breakers().values()) {
      assertThat(b.maxConcurrentCalls()).as(b.name()).isEqualTo(8);
      assertThat(b.maxWaitingRequests()).as(b.name()).isEqualTo(20);
    }
    assertThat(from("breaker.current_price.request-timeout", "900ms").breaker("current_price").slowCallDuration())
        .as("follows a lower request timeout").contains(Duration.ofMillis(600));
    assertThat(from("breaker.current_price.slow-call-duration", "0s").breaker("current_price").slowCallDuration())
        .as("0s: off").isEmpty();
    assertThat(from("breaker.current_price.slow-call-duration", "1500ms").breaker("current_price").slowCallDuration())
        .contains(Duration.ofMillis(1500));
    assertThatThrownBy(() -> from("breaker.current_price.slow-call-duration", "3s"))
        .hasMessageContaining("breaker.current_price.slow-call-duration (3s)")
        .hasMessageContaining("breaker.current_price.request-timeout (3s)");
    assertThatThrownBy(() -> from("breaker.expirations.max-waiting-requests", "5"))
        .hasMessageContaining("breaker.expirations.max-waiting-requests (5)")
        .hasMessageContaining("breaker.expirations.max-concurrent-calls (8)");
    assertThatThrownBy(() -> from("breaker.expirations.max-concurrent-calls", "0"))
        .hasMessageContaining("breaker.expirations.max-concurrent-calls");
    assertThatThrownBy(() -> from("breaker.options_chain.max-waiting-requests", "71"))
        .as("five bulkheads of 20, 20, 71, 20, 20 waiting requests leave fewer than 50 of 200 worker threads")
        .hasMessageContaining("max-waiting-requests together must be at most 150").hasMessageContaining("was 151");
    assertThat(from("breaker.options_chain.max-waiting-requests", "70").breaker("options_chain").maxWaitingRequests())
        .isEqualTo(70);
  }

  @Test
  void secretsInUrlsNeverReachAMessageOrTheConfigurationsText() {
    Settings s = Settings.defaults().with(Map.of("upstream.base-url", "https://bob:hunter2pass@api.example.com",
        "alerts.webhooks", "https://hooks.slack.com/services/T0/B0/SLACKSECRET123"), "test");
    DashboardConfig c = DashboardConfig.from(s);
    assertThat(c.toString()).doesNotContain("hunter2pass").doesNotContain("SLACKSECRET123").doesNotContain("bob");
    assertThat(s.toString()).doesNotContain("hunter2pass").doesNotContain("SLACKSECRET123");
    assertThat(c.secrets().redact("x hunter2pass SLACKSECRET123 /services/T0/B0/SLACKSECRET123"))
        .isEqualTo("x **** **** ****");
    assertThatThrownBy(() -> DashboardConfig.from(Settings.defaults().with(Map.of("upstream.base-url",
        "ftp://bob:hunter2pass@x/y"), "test"))).hasMessageNotContaining("hunter2pass");
    assertThatThrownBy(() -> DashboardConfig.from(Settings.defaults().with(Map.of("alerts.webhooks",
        "https://hooks.example.com/a b/SLACKSECRET123"), "test"))).hasMessageNotContaining("SLACKSECRET123");
  }

  @Test
  void fleetModeIsOffByDefaultAndItsSettingsAreValidated() {
    FleetSettings off = DashboardConfig.from(Settings.defaults()).fleet();
    assertThat(off.enabled()).isFalse();
    assertThat(off.instanceId()).endsWith(":8080");
    assertThat(off.commandTimeout()).isEqualTo(Duration.ofMillis(50));
    assertThat(off.trialLease()).isEqualTo(Duration.ofSeconds(10));
    assertThat(off.lastGoodFor()).isEqualTo(Duration.ofDays(1));
    assertThat(DashboardConfig.from(Settings.defaults().with(Map.of("server.port", "0"), "test")).fleet()
        .instanceId()).matches(".+:" + ProcessHandle.current().pid() + "-[0-9a-f]+");
    FleetSettings on = DashboardConfig.from(Settings.defaults().with(Map.of("fleet.redis-url",
        "redis://127.0.0.1:6379/0", "fleet.instance-id", "web-1"), "test")).fleet();
    assertThat(on.enabled()).isTrue();
    assertThat(on.instanceId()).isEqualTo("web-1");
    for (Map.Entry<String, String> bad : Map.of("fleet.redis-url", "http://127.0.0.1:6379",
        "fleet.instance-id", "web 1", "fleet.command-timeout", "0s", "fleet.trial-lease", "soon",
        "fleet.max-answer-bytes", "12").entrySet()) {
      assertThatThrownBy(() -> DashboardConfig.from(Settings.defaults().with(Map.of(bad.getKey(), bad.getValue()),
          "test"))).as(bad.toString()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad.getKey());
    }
  }

  @Test
  void theRedisPasswordIsASecret() {
    Settings s = Settings.defaults().with(Map.of("fleet.redis-url", "redis://:r3disPassw0rd@cache.internal:6379/2"),
        "test");
    DashboardConfig c = DashboardConfig.from(s);
    assertThat(c.toString()).doesNotContain("r3disPassw0rd").contains("cache.internal");
    assertThat(s.toString()).doesNotContain("r3disPassw0rd");
    assertThat(c.secrets().redact("AUTH failed for r3disPassw0rd")).isEqualTo("AUTH failed for ****");
  }

  @Test
  void theMemoryTiersAreBoundedInBytesWithADocumentedDefaultAndAClearErrorForBadValues() {
    CacheSettings c = DashboardConfig.from(Settings.defaults()).cache();
    assertThat(c.memoryEntries()).isEqualTo(2_000);
    assertThat(c.memoryLimit()).as("32MB, DuckDB's units: powers of 1000").isEqualTo(32_000_000L);
    assertThat(from("cache.memory-limit", "64MiB").cache().memoryLimit()).isEqualTo(64L << 20);
    assertThat(from("cache.memory-limit", " 1 GB ").cache().memoryLimit()).isEqualTo(1_000_000_000L);
    assertThat(from("cache.memory-limit", "1000kb").cache().memoryLimit()).isEqualTo(CacheSettings.MIN_MEMORY_LIMIT);
    assertThat(from("cache.memory-limit", "8000000TiB").cache().memoryLimit()).isEqualTo(8_000_000L << 40);
    assertThat(DashboardConfig.from(Settings.defaults().withEnvironment(Map.of("OCD_CACHE_MEMORY_LIMIT", "8MB")))
        .cache().memoryLimit()).isEqualTo(8_000_000L);
    for (String bad : new String[] {"lots", "64", "-5MB", "0MB", "999KB", "1.5GB", "80%", "1PB", "1000000000MB",
        "999999999TiB", ""}) {
      assertThatThrownBy(() -> from("cache.memory-limit", bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cache.memory-limit").hasMessageContaining("'" + bad + "'")
          .hasMessageContaining("64MB");
    }
  }

  @Test
  void theWarmUpRunsFifteenHundredRequestsByDefaultAndItsCountIsValidated() {
    DashboardConfig c = DashboardConfig.from(Settings.defaults());
    assertThat(c.warmUpRequests()).isEqualTo(1500);
    assertThat(c.toString()).contains("warmUpRequests=1500");
    assertThat(from("upstream.warm-up-requests", "0").warmUpRequests()).as("0: none").isZero();
    assertThat(from("upstream.warm-up-requests", "100000").warmUpRequests()).isEqualTo(100_000);
    assertThat(Settings.envName("upstream.warm-up-requests")).isEqualTo("OCD_UPSTREAM_WARM_UP_REQUESTS");
    assertThat(DashboardConfig.from(Settings.defaults().withEnvironment(Map.of("OCD_UPSTREAM_WARM_UP_REQUESTS",
        "25"))).warmUpRequests()).isEqualTo(25);
    for (String bad : new String[] {"-1", "100001", "2147483648", "lots", "1.5", "3e2", ""}) {
      assertThatThrownBy(() -> from("upstream.warm-up-requests", bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("upstream.warm-up-requests")
          .hasMessageContaining(bad);
    }
  }

  @Test
  void environmentVariablesOverrideByTheirOcdNames() {
    assertThat(Settings.envName("server.port")).isEqualTo("OCD_SERVER_PORT");
    assertThat(Settings.envName("breaker.options_chain.recovery-timeout"))
        .isEqualTo("OCD_BREAKER_OPTIONS_CHAIN_RECOVERY_TIMEOUT");
    DashboardConfig c = DashboardConfig.from(Settings.defaults().withEnvironment(Map.of(
        "OCD_SERVER_PORT", "9090",
        "OCD_BREAKER_OPTIONS_CHAIN_RECOVERY_TIMEOUT", "2m",
        "OCD_ADMIN_TOKEN", "s3cret",
        "PATH", "/usr/bin")));
    assertThat(c.port()).isEqualTo(9090);
    assertThat(c.breaker("options_chain").recoveryTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.adminToken()).contains("s3cret");
    assertThat(c.toString()).doesNotContain("s3cret");
  }

  @Test
  void aFileOverridesDefaultsAndTheEnvironmentOverridesTheFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("dashboard.properties");
    Files.writeString(file, "server.port=7000\nupstream.base-url=https://sandbox.tradier.com/\nupstream.token=abc\n");
    DashboardConfig c = DashboardConfig.from(Settings.defaults().withFile(file)
        .withEnvironment(Map.of("OCD_SERVER_PORT", "7001")));
    assertThat(c.port()).isEqualTo(7001);
    assertThat(c.upstreamBaseUrl()).hasValueSatisfying(u -> assertThat(u.toString())
        .isEqualTo("https://sandbox.tradier.com"));
    assertThat(c.upstreamToken()).contains("abc");
    assertThat(c.embeddedUpstream()).isFalse();
  }

  @Test
  void eachCallHasItsOwnTimeoutsWithTheConnectTimeoutDefaultingToTheUpstreams() {
    DashboardConfig defaults = DashboardConfig.from(Settings.defaults());
    assertThat(defaults.breaker("options_chain").requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(defaults.breaker("options_chain").connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    DashboardConfig c = DashboardConfig.from(Settings.defaults().with(Map.of(
        "upstream.connect-timeout", "3s", "breaker.current_price.connect-timeout", "500ms"), "test"));
    assertThat(c.breaker("current_price").connectTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.breaker("expirations").connectTimeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void unknownKeysAreRejectedSoTyposNeverMeanTheDefault(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "breaker.options_chain.failure-treshold=2\n");
    assertThatThrownBy(() -> Settings.defaults().withFile(file))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failure-treshold");
  }

  @Test
  void invalidValuesNameTheKeyAndTheValue() {
    assertThatThrownBy(() -> from("server.port", "http")).hasMessageContaining("server.port").hasMessageContaining("http");
    assertThatThrownBy(() -> from("server.port", "70000")).hasMessageContaining("server.port");
    assertThatThrownBy(() -> from("breaker.current_price.failure-threshold", "0"))
        .hasMessageContaining("breaker.current_price.failure-threshold");
    assertThatThrownBy(() -> from("breaker.current_price.recovery-timeout", "soon"))
        .hasMessageContaining("recovery-timeout").hasMessageContaining("soon");
    assertThatThrownBy(() -> from("breaker.current_price.recovery-timeout", "0s"))
        .hasMessageContaining("recovery-timeout");
    assertThatThrownBy(() -> from("breakers.enabled", "yes")).hasMessageContaining("breakers.enabled");
    assertThatThrownBy(() -> from("upstream.base-url", "ftp://x")).hasMessageContaining("upstream.base-url");
    assertThatThrownBy(() -> from("data.dir", "")).hasMessageContaining("data.dir");
    assertThatThrownBy(() -> Settings.defaults().withFile(Path.of("/nonexistent/x.properties")))
        .hasMessageContaining("/nonexistent/x.properties");
  }

  @Test
  void aDurationTooLongToHoldIsRefusedNamingTheKey() {
    // digits beyond a long, a count of days beyond Duration's nanoseconds: an error naming the key, not a bare
    // NumberFormatException or ArithmeticException (nor a writer thread that dies on its first retry)
    for (String key : new String[] {"breaker.current_price.fresh-for", "breaker.current_price.recovery-timeout",
        "breaker.current_price.request-timeout", "cache.unknown-symbols-for", "cache.write-retry-backoff"}) {
      for (String value : new String[] {"99999999999999999999s", "9999999999999999d", "1000000d"}) {
        assertThatThrownBy(() -> from(key, value)).as("%s=%s", key, value)
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key).hasMessageContaining(value);
      }
    }
    assertThat(from("breaker.ticker_info.fresh-for", "3650d").breaker("ticker_info").freshFor())
        .isEqualTo(FreshFor.of(Duration.ofDays(3650)));
  }

  @Test
  void durationsTakeUnitsOrIso() {
    assertThat(Settings.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Settings.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Settings.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Settings.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Settings.parseDuration("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(Settings.parseDuration("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Settings.parseDuration("1 fortnight")).isNull();
  }

  @Test
  void everySettingIsDocumentedInTheDefaultsFile() {
    // the defaults file is the documentation: every key the code reads must be there with a value
    assertThat(Settings.defaults().asMap()).containsKeys("server.host", "server.port", "data.dir",
        "upstream.base-url", "upstream.token", "upstream.connect-timeout", "upstream.warm-up-requests", "sim.seed",
        "breakers.enabled", "admin.token");
  }

  private static DashboardConfig from(String key, String value) {
    return DashboardConfig.from(Settings.defaults().with(Map.of(key, value), "test"));
  }
}
