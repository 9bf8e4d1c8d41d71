package dev.optionchain.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The module exports only the API, depends on nothing, and keeps its implementation classes package-private. */
class ModuleDescriptorTest {

  private static final Path CLASSES = Paths.get("target/classes");

  private static ModuleDescriptor descriptor() throws IOException {
    try (InputStream in = Files.newInputStream(CLASSES.resolve("module-info.class"))) {
      return ModuleDescriptor.read(in);
    }
  }

  @Test
  void moduleIsNamedAfterItsPackage() throws IOException {
    assertThat(descriptor().name()).isEqualTo("dev.optionchain.breaker");
  }

  @Test
  void moduleExportsExactlyTheApiPackagesToEveryone() throws IOException {
    ModuleDescriptor module = descriptor();

    assertThat(module.exports())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder("dev.optionchain.breaker", "dev.optionchain.breaker.testing");
    assertThat(module.exports()).noneMatch(ModuleDescriptor.Exports::isQualified);
    assertThat(module.opens()).isEmpty();
    assertThat(module.isOpen()).isFalse();
  }

  @Test
  void moduleRequiresNothingButJavaBase() throws IOException {
    assertThat(descriptor().requires())
        .extracting(ModuleDescriptor.Requires::name)
        .containsExactly("java.base");
  }

  @Test
  void publicTopLevelTypesAreExactlyTheApi() throws Exception {
    assertThat(publicTopLevelTypes("dev.optionchain.breaker")).containsExactlyInAnyOrder(
        "BreakerClock",
        "CallTotals",
        "CancellationPolicy",
        "CircuitBreaker",
        "CircuitBreakerConfig",
        "CircuitBreakerException",
        "CircuitBreakerOpenException",
        "CircuitBreakerRegistry",
        "CircuitBreakerSnapshot",
        "CircuitBreakerState",
        "CircuitBreakerStatus",
        "SlidingWindow",
        "StateTransition",
        "Subscription",
        "TrialGate",
        "TripPolicy");
  }

  @Test
  void testingPackageExposesOnlyTheManualClock() throws Exception {
    assertThat(publicTopLevelTypes("dev.optionchain.breaker.testing")).containsExactly("ManualClock");
  }

  @Test
  void implementationClassesExistButArePackagePrivate() throws Exception {
    List<String> all = topLevelTypes("dev.optionchain.breaker");

    // adapted to the new implementation classes
    List<String> implementation = List.of("Period", "ClosedPeriod", "OpenPeriod", "HalfOpenPeriod", "Counters",
        "Outcomes", "Delivery", "Control", "Reading", "AsyncCall", "Rules", "SystemClock", "CoarseClock",
        "RateWindow", "CountWindow", "TimeWindow");
    assertThat(all).containsAll(implementation);
    assertThat(publicTopLevelTypes("dev.optionchain.breaker")).doesNotContainAnyElementsOf(implementation);
  }

  /** Simple names of the top-level classes compiled into {@code pkg}, found on disk under target/classes. */
  private static List<String> topLevelTypes(String pkg) throws IOException {
    Path dir = CLASSES.resolve(pkg.replace('.', '/'));
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(f -> f.endsWith(".class") && !f.contains("$") && !f.equals("module-info.class")
              && !f.equals("package-info.class"))
          .map(f -> f.substring(0, f.length() - ".class".length()))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static List<String> publicTopLevelTypes(String pkg) throws IOException, ClassNotFoundException {
    List<String> names = new ArrayList<>();
    ClassLoader loader = ModuleDescriptorTest.class.getClassLoader();
    for (String simple : topLevelTypes(pkg)) {
      Class<?> type = Class.forName(pkg + "." + simple, false, loader);
      if (Modifier.isPublic(type.getModifiers())) {
        names.add(simple);
      }
    }
    return names;
  }
}
