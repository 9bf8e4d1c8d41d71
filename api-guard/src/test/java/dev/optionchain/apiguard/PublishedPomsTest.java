package dev.optionchain.apiguard;

import static dev.optionchain.apiguard.Poms.child;
import static dev.optionchain.apiguard.Poms.childElement;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * What a user downloads with a library: a POM with the metadata a public repository requires, no logging backend
 * forced on them, and only the published set deployed. Checked on the POM files as written; a module inherits from
 * {@code optionchain-parent} what it does not declare.
 */
class PublishedPomsTest {

  private static final String PARENT = "optionchain-parent";
  /** Every artifact a release deploys: the libraries, their BOM, and the parent their POMs name. */
  private static final Set<String> DEPLOYED = Set.of(PARENT, "optionchain-bom", "breaker", "breaker-micrometer",
      "marketsim");
  private static final Set<String> LOGGING_BACKENDS = Set.of("logback-classic", "slf4j-simple", "slf4j-jdk14",
      "slf4j-reload4j", "slf4j-nop", "log4j-slf4j2-impl", "log4j-slf4j-impl", "log4j-core");

  @Test
  void everyPomNamesTheApacheLicenseItselfOrThroughTheParent() throws Exception {
    for (Path pom : Poms.all()) {
      Element project = Poms.parse(pom);
      String license = String.join(",", names(project, "licenses/license"));
      if (license.isEmpty()) {
        assertThat(parentOf(project)).as(pom + " names no license and has not the build's parent").isEqualTo(PARENT);
      } else {
        assertThat(license).as("license of " + pom).isEqualTo("Apache-2.0");
      }
    }
    assertThat(names(Poms.parse(Poms.root().resolve("pom.xml")), "licenses/license")).containsExactly("Apache-2.0");
  }

  @Test
  void onlyTheLibrariesTheirBomAndTheirParentAreDeployed() throws Exception {
    List<String> deployed = new ArrayList<>();
    for (Path pom : Poms.all()) {
      Element project = Poms.parse(pom);
      Element properties = childElement(project, "properties");
      boolean skipped = properties != null && "true".equals(child(properties, "maven.deploy.skip"));
      if (!skipped) {
        deployed.add(child(project, "artifactId"));
      }
    }
    assertThat(deployed).containsExactlyInAnyOrderElementsOf(DEPLOYED);
  }

  @Test
  void aDeployedPomCarriesNameDescriptionUrlLicenseScmAndDevelopers() throws Exception {
    Element parent = Poms.parse(Poms.root().resolve("pom.xml"));
    for (Path pom : Poms.all()) {
      Element project = Poms.parse(pom);
      String artifact = child(project, "artifactId");
      if (!DEPLOYED.contains(artifact)) {
        continue;
      }
      // name is not inherited; a description inherited from the parent would describe the wrong thing
      assertThat(child(project, "name")).as("name of " + artifact).isNotBlank();
      assertThat(child(project, "description")).as("description of " + artifact).isNotBlank();
      Element parentPom = PARENT.equals(parentOf(project)) ? parent : project;
      assertThat(child(declaring(project, parentPom, "url"), "url")).as("url of " + artifact).isNotBlank();
      assertThat(names(declaring(project, parentPom, "licenses"), "licenses/license")).as("license of " + artifact)
          .containsExactly("Apache-2.0");
      Element scm = childElement(declaring(project, parentPom, "scm"), "scm");
      assertThat(scm).as("scm of " + artifact).isNotNull();
      assertThat(child(scm, "url")).as("scm url of " + artifact).isNotBlank();
      assertThat(child(scm, "connection")).as("scm connection of " + artifact).startsWith("scm:git:");
      assertThat(names(declaring(project, parentPom, "developers"), "developers/developer")).as("developers of " + artifact).isNotEmpty();
    }
  }

  @Test
  void aPublishedLibraryForcesNoLoggingBackendOnItsUsers() throws Exception {
    for (String library : BomTest.PUBLISHED) {
      Element project = Poms.parse(Poms.root().resolve(library).resolve("pom.xml"));
      for (Element dep : Poms.children(project, "dependencies/dependency")) {
        if (LOGGING_BACKENDS.contains(child(dep, "artifactId"))) {
          boolean test = "test".equals(child(dep, "scope"));
          boolean optional = "true".equals(child(dep, "optional"));
          assertThat(test || optional).as(library + " depends on the logging backend " + child(dep, "artifactId")
              + ": it would reach every user's class path; make it optional or test-scoped").isTrue();
        }
      }
    }
  }

  @Test
  void aLibraryWithoutModuleInfoNamesItsModuleForTheModulePath() throws Exception {
    for (String library : BomTest.PUBLISHED) {
      if (Files.exists(Poms.root().resolve(library).resolve("src/main/java/module-info.java"))) {
        continue;
      }
      Element project = Poms.parse(Poms.root().resolve(library).resolve("pom.xml"));
      String name = null;
      for (Element plugin : Poms.children(project, "build/plugins/plugin")) {
        if ("maven-jar-plugin".equals(child(plugin, "artifactId"))) {
          name = Poms.children(plugin, "configuration/archive/manifestEntries/Automatic-Module-Name").stream()
              .map(e -> e.getTextContent().trim()).findFirst().orElse(null);
        }
      }
      assertThat(name).as("Automatic-Module-Name of " + library + " (without it, the module path names the module "
          + "after the jar's file name)").isEqualTo("dev.optionchain." + library.replace('-', '.'));
    }
  }

  /** The POM that gives the project its {@code element}: the project itself, or else its parent. */
  private static Element declaring(Element project, Element parentPom, String element) {
    return childElement(project, element) != null ? project : parentPom;
  }

  private static String parentOf(Element project) {
    Element parent = childElement(project, "parent");
    return parent == null ? null : child(parent, "artifactId");
  }

  private static List<String> names(Element project, String path) {
    List<String> names = new ArrayList<>();
    Poms.children(project, path).forEach(e -> names.add(child(e, "name")));
    return names;
  }
}
