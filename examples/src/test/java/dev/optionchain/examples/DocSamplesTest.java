package dev.optionchain.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the docs' code true: every {@code ```java} block of {@code README.md} and {@code docs/*.md} must be, line for
 * line, a tagged region of this module's sources (between {@code // tag::name[]} and {@code // end::name[]}; a name may
 * mark several fragments, joined in order), and every tagged region must appear in the docs. The sources compile
 * against the published artifacts and {@link ExamplesTest} runs them, so a sample cannot rot.
 *
 * <p>Lines are compared without their leading and trailing spaces and without blank lines: a sample's code must match,
 * its layout may differ (a fragment taken from inside a method is indented differently from the block that shows it).
 */
class DocSamplesTest {

  private static final Pattern TAG = Pattern.compile("^\\s*// (tag|end)::([\\w-]+)\\[\\]\\s*$");
  private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).normalize();

  @Test
  void everyJavaBlockOfTheDocsIsATaggedSample() {
    Map<String, List<String>> samples = samples();
    Map<String, List<String>> blocks = docBlocks();
    assertThat(blocks).as("java blocks in the docs").isNotEmpty();
    List<String> missing = new ArrayList<>();
    blocks.forEach((where, block) -> {
      if (!samples.containsValue(block)) {
        missing.add(where + ":\n" + String.join("\n", block));
      }
    });
    assertThat(missing).as("doc blocks that are no sample of examples/ (copy the code from a tagged region, or tag "
        + "the code the block shows)").isEmpty();
  }

  @Test
  void everyTaggedSampleIsInTheDocs() {
    Map<String, List<String>> blocks = docBlocks();
    List<String> unused = samples().entrySet().stream()
        .filter(e -> !blocks.containsValue(e.getValue()))
        .map(Map.Entry::getKey)
        .collect(Collectors.toList());
    assertThat(unused).as("tagged samples no doc shows").isEmpty();
  }

  @Test
  void dependencyLinesOfTheDocsNameThisRelease() throws IOException {
    String release = System.getProperty("project.version", "").replace("-SNAPSHOT", "");
    Pattern maven = Pattern.compile("<artifactId>(breaker[\\w-]*|marketsim|optionchain-bom)</artifactId>\\s*"
        + "<version>([^<]+)</version>");
    Pattern gradle = Pattern.compile("dev\\.optionchain:([\\w-]+):([\\w.-]+)");
    int inReadme = 0;
    for (Path file : docFiles()) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      for (Pattern p : List.of(maven, gradle)) {
        Matcher m = p.matcher(text);
        while (m.find()) {
          assertThat(m.group(2)).as(ROOT.relativize(file) + ": version of " + m.group(1)).isEqualTo(release);
          inReadme += file.endsWith("README.md") ? 1 : 0;
        }
      }
    }
    assertThat(inReadme).as("dependency lines in README.md").isGreaterThanOrEqualTo(2);
  }

  /** README.md, then every docs/*.md. */
  static List<Path> docFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(f -> f.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    return files;
  }

  /** Tag name -> the joined, normalised fragments, from every source file of this module. */
  static Map<String, List<String>> samples() {
    Map<String, List<String>> samples = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(ROOT.resolve("examples/src"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().collect(Collectors.toList())) {
        Map<String, List<String>> open = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          Matcher m = TAG.matcher(line);
          if (m.matches()) {
            String name = m.group(2);
            if (m.group(1).equals("tag")) {
              open.put(name, new ArrayList<>());
            } else {
              List<String> fragment = open.remove(name);
              assertThat(fragment).as("end::" + name + " without tag:: in " + file).isNotNull();
              samples.computeIfAbsent(name, n -> new ArrayList<>()).addAll(normalise(fragment));
            }
          } else {
            open.values().forEach(fragment -> fragment.add(line));
          }
        }
        assertThat(open).as("tags never ended in " + file).isEmpty();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return samples;
  }

  /** "file#n" -> the normalised n-th java block of README.md and every docs/*.md. */
  static Map<String, List<String>> docBlocks() {
    Map<String, List<String>> blocks = new LinkedHashMap<>();
    try {
      for (Path file : docFiles()) {
        List<String> block = null;
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (block == null && line.strip().equals("```java")) {
            block = new ArrayList<>();
          } else if (block != null && line.strip().equals("```")) {
            blocks.put(ROOT.relativize(file) + "#" + ++n, normalise(block));
            block = null;
          } else if (block != null) {
            block.add(line);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return blocks;
  }

  /** Without leading and trailing spaces and without blank lines. */
  static List<String> normalise(List<String> lines) {
    return lines.stream().filter(l -> !l.isBlank()).map(String::strip).collect(Collectors.toList());
  }
}
