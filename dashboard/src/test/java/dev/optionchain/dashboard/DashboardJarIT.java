package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.dashboard.cache.Database;
import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar the build leaves: starts, prints its URL, warms up (with the defaults, its recordings read from
 * the jar) and is then ready, serves, stops cleanly on SIGTERM (Ctrl-C's sibling).
 */
class DashboardJarIT {

  @Test
  void theJarStartsServesAndStopsCleanly(@TempDir Path dataDir) throws Exception {
    assertThat(Path.of("target", "dashboard.jar")).exists();
    JarProcess jar = JarProcess.start("--port", "0", "--data-dir", dataDir.toString());
    try {
      Api api = new Api(jar.url());
      assertThat(api.get("/health/live").status()).isEqualTo(200);
      WarmUpIntegrationTest.awaitReady(api);
      assertThat(api.get("/api/quote/AAPL").json().path("source").asText()).isEqualTo("live");
      // the page's files come from the jar, which the warm-up's throwaway server also served from, and stopped with
      for (String file : new String[] {"/", "/app.js"}) {
        Api.Response page = api.get(file);
        assertThat(page.status()).as(file).isEqualTo(200);
        assertThat(page.raw().body()).as(file).isNotBlank();
      }
      assertThat(api.get("/").raw().body()).containsIgnoringCase("<html");
    } finally {
      assertThat(jar.stop()).isTrue(); // SIGTERM: runs the shutdown hook, as Ctrl-C does
      jar.close();
    }
    assertThat(jar.process().exitValue()).as("exit after SIGTERM; output: %s", jar.output()).isIn(0, 143);
    // the default warm-up ran, its recordings read from the jar: all its requests, or (no timing assertion here) as
    // many as its time limit let a busy machine make, at least one of each kind, and without a warning
    int requests = DashboardConfig.from(Settings.defaults()).warmUpRequests();
    assertThat(jar.output()).as("the default warm-up ran, its recordings read from the jar")
        .anySatisfy(line -> assertThat(line).containsPattern("INFO .*(warmed up: " + requests + " requests"
            + "|warm-up stopped after ([5-9]|[1-9]\\d+) of " + requests + " requests in \\d+ ms: "
            + WarmUp.timeLimitPassed(DashboardApp.WARM_UP_LIMIT) + ")"))
        .noneSatisfy(line -> assertThat(line).containsPattern("(WARN|ERROR) +\\[(warm-up|recorded-tradier)"));
    try (Stream<Path> left = Files.list(dataDir)) {
      assertThat(left.map(p -> p.getFileName().toString())).as("the warm-up's directory is gone")
          .noneMatch(name -> name.startsWith(WarmUp.DIRECTORY_PREFIX));
    }
    Path file = dataDir.resolve(DashboardApp.DATABASE_FILE);
    assertThat(Files.exists(file)).isTrue();
    try (Database db = Database.open(file)) {
      assertThat(db.isOpen()).as("the stopped service released the cache's lock").isTrue();
    }
  }
}
