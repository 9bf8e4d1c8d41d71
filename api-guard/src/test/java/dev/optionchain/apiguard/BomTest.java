package dev.optionchain.apiguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The BOM manages exactly the published libraries, at the build's version. */
class BomTest {

  private static final List<String> PUBLISHED = List.of("breaker", "breaker-micrometer", "marketsim");

  @Test
  void bomManagesThePublishedLibrariesAtTheBuildsVersion() throws Exception {
    Path root = Path.of(System.getProperty("project.root"));
    Document bom = parse(root.resolve("bom/pom.xml"));
    Element project = bom.getDocumentElement();
    assertThat(child(project, "version")).isEqualTo(System.getProperty("project.version"));
    List<String> managed = new ArrayList<>();
    NodeList deps = project.getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      Element dep = (Element) deps.item(i);
      assertThat(child(dep, "groupId")).isEqualTo("dev.optionchain");
      assertThat(child(dep, "version")).isEqualTo("${project.version}");
      managed.add(child(dep, "artifactId"));
    }
    assertThat(managed).containsExactlyInAnyOrderElementsOf(PUBLISHED);
  }

  private static Document parse(Path file) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(file.toFile());
  }

  private static String child(Element parent, String name) {
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element && nodes.item(i).getNodeName().equals(name)) {
        return nodes.item(i).getTextContent().trim();
      }
    }
    return null;
  }
}
