package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpPrintsUsage() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--port", "--data-dir", "--config", "OCD_");
  }

  @Test
  void badArgumentsExitWithTwoAndSayWhy() {
    assertThat(run("--bogus")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--bogus");
    assertThat(run("--port")).isEqualTo(2);
    assertThat(run("--port", "eighty")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("server.port");
    assertThat(run("--set", "nonsense")).isEqualTo(2);
    assertThat(run("--set", "no.such.key=1")).isEqualTo(2);
    assertThat(run("--config", "/nonexistent.properties")).isEqualTo(2);
    assertThat(run("--port", "0", "--set", "cache.memory-limit=lots")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("cache.memory-limit must be a size like 64MB", "'lots'");
  }

  @Test
  void aPasswordWithARawAtSignInAnUnusableUrlIsNotPrintedInPart() {
    // a password pasted unencoded: the URL cannot be used, and the message saying so must not show what follows its @
    for (String setting : new String[] {"upstream.base-url=http://ocd:p@ssTailSecret9@127.0.0.1:1",
        "fleet.redis-url=redis://:p@ssTailSecret9@127.0.0.1:6379", "alerts.webhooks=http://u:p@ssTailSecret9@h/x"}) {
      assertThat(run("--port", "0", "--set", setting)).as(setting).isEqualTo(2);
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("upstream.base-url", "fleet.redis-url",
        "alerts.webhooks").doesNotContain("ssTailSecret9");
  }
}
