package dev.optionchain.apiguard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The build's POM files, read as XML (no model building: what is written in each file). */
final class Poms {

  private Poms() {}

  /** {@return the repository's root} */
  static Path root() {
    return Path.of(System.getProperty("project.root")).normalize();
  }

  /** {@return the root POM and every {@code <dir>/pom.xml} beside it, whether a module of the build or a profile's} */
  static List<Path> all() throws Exception {
    try (Stream<Path> dirs = Files.list(root())) {
      List<Path> poms = new ArrayList<>();
      poms.add(root().resolve("pom.xml"));
      poms.addAll(dirs.map(d -> d.resolve("pom.xml")).filter(Files::isRegularFile).sorted()
          .collect(Collectors.toList()));
      return poms;
    }
  }

  /**
   * Parses one POM.
   *
   * @param file the POM
   * @return its {@code <project>} element
   * @throws Exception if it cannot be read
   */
  static Element parse(Path file) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
  }

  /**
   * The first child element of that name.
   *
   * @param parent where to look
   * @param name the element's name
   * @return the element, or null
   */
  static Element childElement(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element && n.getNodeName().equals(name)) {
        return (Element) n;
      }
    }
    return null;
  }

  /**
   * The trimmed text of the first child element of that name.
   *
   * @param parent where to look
   * @param name the element's name
   * @return its text, or null when there is no such element
   */
  static String child(Element parent, String name) {
    Element e = childElement(parent, name);
    return e == null ? null : e.getTextContent().trim();
  }

  /**
   * The child elements of that name of the element at {@code path} ({@code "dependencies/dependency"}).
   *
   * @param parent where to start
   * @param path names separated by {@code /}
   * @return the elements, in document order
   */
  static List<Element> children(Element parent, String path) {
    String[] names = path.split("/");
    List<Element> level = List.of(parent);
    for (String name : names) {
      List<Element> next = new ArrayList<>();
      for (Element e : level) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
          if (n instanceof Element && n.getNodeName().equals(name)) {
            next.add((Element) n);
          }
        }
      }
      level = next;
    }
    return level;
  }
}
