package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.dashboard.cache.Database;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar the build leaves: starts, prints its URL, serves, stops cleanly on SIGTERM (Ctrl-C's sibling). */
class DashboardJarIT {

  private static final Pattern LISTENING = Pattern.compile("Listening on (http://localhost:(\\d+))");

  @Test
  void theJarStartsServesAndStopsCleanly(@TempDir Path dataDir) throws Exception {
    Path jar = Path.of("target", "dashboard.jar");
    assertThat(jar).exists();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-jar", jar.toString(), "--port", "0", "--data-dir",
        dataDir.toString()).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String url = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (url == null && System.nanoTime() < deadline) {
        String line = out.readLine();
        if (line == null) {
          break;
        }
        lines.add(line);
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          url = m.group(1);
        }
      }
      assertThat(url).as("the jar printed its URL; output: %s", lines).isNotNull();
      Api api = new Api(url);
      assertThat(api.get("/health/live").status()).isEqualTo(200);
      assertThat(api.get("/api/quote/AAPL").json().path("source").asText()).isEqualTo("live");
      Thread drain = new Thread(() -> out.lines().forEach(lines::add));
      drain.setDaemon(true);
      drain.start();
    } finally {
      process.destroy(); // SIGTERM: runs the shutdown hook, as Ctrl-C does
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(process.exitValue()).as("exit after SIGTERM; output: %s", lines).isIn(0, 143);
    Path file = dataDir.resolve(DashboardApp.DATABASE_FILE);
    assertThat(Files.exists(file)).isTrue();
    try (Database db = Database.open(file)) {
      assertThat(db.isOpen()).as("the stopped service released the cache's lock").isTrue();
    }
  }
}
