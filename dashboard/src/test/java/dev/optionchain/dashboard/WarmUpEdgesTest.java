package dev.optionchain.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.dashboard.cache.Database;
import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.web.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up warm-up where it meets what is not its own: a data directory shared with other things, and the
 * directories of earlier runs. The warm-up itself runs for real (its recorded upstream, a DuckDB file).
 */
class WarmUpEdgesTest {

  private static final Duration LIMIT = Duration.ofMinutes(5);

  @TempDir
  Path dataDir;

  @TempDir
  Path elsewhere;

  @Test
  void leavesDirectoriesNamedLikeItsOwnThatItDidNotMake() throws Exception {
    Path notes = Files.createDirectories(dataDir.resolve("warm-up-notes"));
    Files.writeString(notes.resolve("plan.txt"), "the user's");
    Path numbered = Files.createDirectories(dataDir.resolve("warm-up-2024"));
    Files.writeString(numbered.resolve("laps.csv"), "the user's");
    Files.writeString(elsewhere.resolve("keep.txt"), "the user's");
    Path link = Files.createSymbolicLink(dataDir.resolve("warm-up-link"), elsewhere);

    WarmUp.Result r = WarmUp.run(config(), TestDashboards.clock(), Json.mapper(), 5, LIMIT);

    assertThat(r.stopped()).isEmpty();
    assertThat(notes.resolve("plan.txt")).hasContent("the user's");
    assertThat(numbered.resolve("laps.csv")).hasContent("the user's");
    assertThat(link).isSymbolicLink();
    assertThat(elsewhere.resolve("keep.txt")).hasContent("the user's");
  }

  @Test
  void deletesTheDirectoryOfARunThatWasKilled() throws Exception {
    Path leftover = WarmUp.createDirectory(dataDir);
    Database.open(leftover.resolve("warm-up.duckdb")).close();

    WarmUp.Result r = WarmUp.run(config(), TestDashboards.clock(), Json.mapper(), 5, LIMIT);

    assertThat(r.stopped()).isEmpty();
    assertThat(leftover).doesNotExist();
    try (var left = Files.list(dataDir)) {
      assertThat(left).as("its own directory is deleted at the end too").isEmpty();
    }
  }

  private DashboardConfig config() {
    return TestDashboards.config(dataDir, Map.of());
  }
}
