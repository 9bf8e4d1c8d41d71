package dev.optionchain.apiguard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.apiguard.fixture.Shapes;
import dev.optionchain.apiguard.fixture.internal.Impl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the API description holds, on a fixture library ({@code fixture.Shapes}): each line below is one that a change
 * of the API must change, so that {@link ApiSurfaceTest} fails on it.
 */
class ApiSurfaceRulesTest {

  private static final String P = "dev.optionchain.apiguard.fixture.Shapes$";
  private static String api;

  @BeforeAll
  static void describeTheFixtureLibrary() {
    List<String> classNames = new ArrayList<>();
    classNames.add(Shapes.class.getName());
    Arrays.stream(Shapes.class.getDeclaredClasses()).map(Class::getName).forEach(classNames::add);
    classNames.add(Impl.class.getName());
    api = ApiSurface.describe(Set.of("dev.optionchain.apiguard.fixture"), classNames);
  }

  @Test
  void sealedAndNonSealedAreWrittenTheSameOnEveryJdk() {
    assertThat(api).contains("public abstract static sealed interface " + P + "Shape permits " + P + "Circle, " + P
        + "Open\n");
    assertThat(api).contains("public static non-sealed class " + P + "Open implements " + P + "Shape\n");
  }

  @Test
  void runtimeAnnotationsOfTypesAndMembersAreWrittenWithTheirValues() {
    assertThat(api).contains("@java.lang.FunctionalInterface public abstract static interface " + P + "Callback\n");
    assertThat(api).contains("  @java.lang.Deprecated(forRemoval=true, since=\"0.1\") public void " + P
        + "Exposed.old()\n");
  }

  @Test
  void enumConstantsAreWrittenInDeclarationOrder() {
    assertThat(api).contains("  enum constants: LOW, HIGH\n");
  }

  @Test
  void recordComponentsAreWrittenWithTheirNamesInOrder() {
    assertThat(api).contains("  record components: (long low, long high)\n");
  }

  @Test
  void membersInheritedFromHiddenSupertypesAreWrittenUnderThePublicType() {
    String exposed = section(P + "Exposed");
    assertThat(exposed).contains(
        "  public void dev.optionchain.apiguard.fixture.Shapes$HiddenBase.inheritedMethod()\n",
        "  public static void dev.optionchain.apiguard.fixture.Shapes$HiddenBase.inheritedStatic()\n",
        "  protected void dev.optionchain.apiguard.fixture.Shapes$HiddenBase.inheritedProtected()\n",
        "  public default void dev.optionchain.apiguard.fixture.Shapes$HiddenMixin.mixedIn()\n");
    assertThat(api).doesNotContain("notInherited").doesNotContain("class " + P + "HiddenBase")
        .doesNotContain("interface " + P + "HiddenMixin");
  }

  @Test
  void protectedMembersAreWrittenUnlessTheClassIsFinal() {
    assertThat(section(P + "Open")).contains("  protected " + P + "Open()\n", "  protected void " + P
        + "Open.extend()\n");
    assertThat(api).doesNotContain("unreachable");
  }

  @Test
  void defaultMethodsAndGenericSignaturesAreWritten() {
    assertThat(api).contains("  public default " + P + "Callback " + P + "Callback.andThen(" + P + "Callback)\n");
    assertThat(api).contains("  public static <T extends java.lang.Comparable<T>> T " + P + "Exposed.max(T,T)\n");
  }

  @Test
  void typesOfPackagesThatAreNotExportedAreLeftOut() {
    assertThat(api).startsWith("package dev.optionchain.apiguard.fixture\n\n").doesNotContain("Impl")
        .doesNotContain("notApi");
  }

  /** The lines of one type, from its header to the next blank line. */
  private static String section(String type) {
    int start = api.indexOf(" " + type + " ");
    start = start < 0 ? api.indexOf(" " + type + "\n") : start;
    assertThat(start).as("header of " + type).isNotNegative();
    int end = api.indexOf("\n\n", start);
    return api.substring(start, end < 0 ? api.length() : end + 1);
  }
}
