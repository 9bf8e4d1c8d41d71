package dev.optionchain.apiguard;

import static dev.optionchain.apiguard.Poms.child;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The BOM manages exactly the published libraries, at the build's version. */
class BomTest {

  static final List<String> PUBLISHED = List.of("breaker", "breaker-micrometer", "marketsim");

  @Test
  void bomManagesThePublishedLibrariesAtTheBuildsVersion() throws Exception {
    Element project = Poms.parse(Poms.root().resolve("bom/pom.xml"));
    assertThat(child(project, "version")).isEqualTo(System.getProperty("project.version"));
    List<String> managed = new ArrayList<>();
    for (Element dep : Poms.children(project, "dependencyManagement/dependencies/dependency")) {
      assertThat(child(dep, "groupId")).isEqualTo("dev.optionchain");
      assertThat(child(dep, "version")).isEqualTo("${project.version}");
      managed.add(child(dep, "artifactId"));
    }
    assertThat(managed).containsExactlyInAnyOrderElementsOf(PUBLISHED);
  }
}
