package dev.optionchain.apiguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.micrometer.CircuitBreakerMetrics;
import dev.optionchain.marketsim.MarketSim;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every published library's public API must equal the description checked in beside it ({@code <module>/api/
 * <module>.api}), so that an API change is always deliberate and shows in review as a change of that file.
 *
 * <p>After a deliberate change: {@code mvn -pl api-guard -am verify -Dapi.update}, then commit the rewritten file in
 * the same commit as the change.
 */
class ApiSurfaceTest {

  static Stream<Arguments> libraries() {
    return Stream.of(
        Arguments.of("breaker", CircuitBreaker.class),
        Arguments.of("breaker-micrometer", CircuitBreakerMetrics.class),
        Arguments.of("marketsim", MarketSim.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("libraries")
  void publicApiMatchesTheCheckedInDescription(String module, Class<?> anchor) throws IOException {
    Path file = Path.of(System.getProperty("project.root"), module, "api", module + ".api").normalize();
    String actual = ApiSurface.describe(anchor);
    if (Boolean.parseBoolean(System.getProperty("api.update"))) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(file)) {
      fail("no API description at " + file + "; create it with: mvn -pl api-guard -am verify -Dapi.update");
    }
    String expected = Files.readString(file, StandardCharsets.UTF_8);
    if (!expected.equals(actual)) {
      fail("the public API of " + module + " differs from " + file + ":\n" + diff(expected, actual)
          + "\nIf the change is deliberate, run: mvn -pl api-guard -am verify -Dapi.update"
          + " and commit the rewritten file with the change.");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("libraries")
  void descriptionListsTheLibrarysOwnAnchorType(String module, Class<?> anchor) {
    assertThat(ApiSurface.describe(anchor)).contains("class " + anchor.getName());
  }

  @Test
  void aDiffNamesTheTypeOfEveryChangedLine() {
    String before = "package a\n\npublic final enum a.E\n  enum constants: X, Y\n";
    String after = "package a\n\npublic final enum a.E\n  enum constants: Y, X\n";
    assertThat(diff(before, after)).isEqualTo("  - a.E: enum constants: X, Y\n  + a.E: enum constants: Y, X\n");
  }

  /** Lines only in the file ({@code -}) and only in the code ({@code +}), each member line with its type's name. */
  static String diff(String expected, String actual) {
    List<String> want = qualified(expected);
    List<String> have = qualified(actual);
    StringBuilder out = new StringBuilder();
    want.stream().filter(l -> !have.contains(l)).forEach(l -> out.append("  - ").append(l).append('\n'));
    have.stream().filter(l -> !want.contains(l)).forEach(l -> out.append("  + ").append(l).append('\n'));
    return out.length() == 0 ? "  (same lines, different order)\n" : out.toString();
  }

  private static final Pattern TYPE = Pattern.compile("\\b(?:class|interface|enum|record) (\\S+)");

  /** The description's lines; a member's ("  ...") prefixed with its type's name ("Type: ..."). */
  private static List<String> qualified(String description) {
    List<String> lines = new ArrayList<>();
    String type = "";
    for (String line : description.lines().filter(l -> !l.isBlank()).toList()) {
      if (line.startsWith("  ")) {
        lines.add(type + ": " + line.strip());
      } else {
        Matcher m = TYPE.matcher(line);
        type = m.find() ? m.group(1) : line;
        lines.add(line);
      }
    }
    return lines;
  }
}
