package dev.optionchain.dashboard.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.dashboard.Api;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No network on the call path: while Redis's {@code MONITOR} records every command it receives, memory hits on every
 * instance and the breaker's CLOSED calls send it nothing (only the heartbeats, once a second, are there).
 */
class CallPathTest {

  @TempDir
  Path dir;

  private TestFleet fleet;

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void memoryHitsAndTheBreakersCallPathSendNothingToRedis() throws Exception {
    fleet = TestFleet.start(dir, 3, Map.of("breaker.current_price.fresh-for", "1h"));
    for (int i = 0; i < 3; i++) {
      assertThat(fleet.api(i).get("/api/quote/AAPL").status()).isEqualTo(200); // now in every instance's memory
    }
    Path log = dir.resolve("monitor.log");
    Process monitor = new ProcessBuilder("redis-cli", "-p", Integer.toString(fleet.redis.port()), "MONITOR")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      TestFleet.await("MONITOR is on", Duration.ofSeconds(5), () -> read(log).contains("OK"));
      for (int n = 0; n < 300; n++) {
        Api.Response r = fleet.api(n % 3).get("/api/quote/AAPL");
        assertThat(r.json().path("source").asText()).isEqualTo("live");
      }
      // the breakers' own call paths, directly: CLOSED admission and outcome
      for (int i = 0; i < 3; i++) {
        var breaker = fleet.app(i).breakers().get("current_price").orElseThrow();
        for (int n = 0; n < 10_000; n++) {
          breaker.call(() -> 1);
        }
      }
      // the calls above can take less than a heartbeat's period: record until one has been seen
      TestFleet.await("a heartbeat in MONITOR's log", Duration.ofSeconds(10),
          () -> read(log).contains("ocd:instances"));
    } finally {
      monitor.destroy();
      monitor.waitFor(10, TimeUnit.SECONDS);
    }
    List<String> commands = read(log).lines()
        .filter(l -> l.contains("\""))                       // a command line, not MONITOR's own "OK"
        .filter(l -> !l.contains(" lua] "))                  // what a script does is in the script's own line
        .filter(l -> !l.contains("ocd:instances"))           // the heartbeat
        .collect(Collectors.toList());
    assertThat(commands).as("Redis commands sent by requests served from memory").isEmpty();
    assertThat(read(log)).as("the heartbeats were seen, so MONITOR did record").contains("ocd:instances");
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
