package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.dashboard.cache.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar the build leaves: starts, prints its URL, serves, stops cleanly on SIGTERM (Ctrl-C's sibling). */
class DashboardJarIT {

  @Test
  void theJarStartsServesAndStopsCleanly(@TempDir Path dataDir) throws Exception {
    assertThat(Path.of("target", "dashboard.jar")).exists();
    JarProcess jar = JarProcess.start("--port", "0", "--data-dir", dataDir.toString());
    try {
      Api api = new Api(jar.url());
      assertThat(api.get("/health/live").status()).isEqualTo(200);
      assertThat(api.get("/api/quote/AAPL").json().path("source").asText()).isEqualTo("live");
    } finally {
      assertThat(jar.stop()).isTrue(); // SIGTERM: runs the shutdown hook, as Ctrl-C does
      jar.close();
    }
    assertThat(jar.process().exitValue()).as("exit after SIGTERM; output: %s", jar.output()).isIn(0, 143);
    Path file = dataDir.resolve(DashboardApp.DATABASE_FILE);
    assertThat(Files.exists(file)).isTrue();
    try (Database db = Database.open(file)) {
      assertThat(db.isOpen()).as("the stopped service released the cache's lock").isTrue();
    }
  }
}
