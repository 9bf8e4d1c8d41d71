package dev.optionchain.apiguard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of one library, as text: its exported packages, then every public type in them with its public and
 * protected members, one per line, sorted, so that a change shows as a readable diff in review.
 *
 * <p>Exported packages are the module descriptor's unqualified exports when the library is a JPMS module, otherwise
 * every package whose name has no {@code internal} segment. Types are found in the library's jar (or classes
 * directory) and loaded from the test class path. Signatures are {@link Class#toGenericString()} and
 * {@link Member}'s {@code toGenericString()}, plus the supertypes and, for sealed types, the permitted subclasses.
 * Synthetic and bridge members are left out; a protected member of a final class is unreachable and left out too.
 */
final class ApiSurface {

  private ApiSurface() {}

  /**
   * Describes the library that holds {@code anchor}.
   *
   * @param anchor any class of the library
   * @return the description, ending with a newline
   */
  static String describe(Class<?> anchor) {
    Path location = locationOf(anchor);
    List<String> classNames = classNames(location);
    Set<String> exported = exportedPackages(location, classNames);
    StringBuilder out = new StringBuilder();
    for (String pkg : exported) {
      out.append("package ").append(pkg).append('\n');
    }
    List<Class<?>> types = classNames.stream()
        .filter(n -> exported.contains(packageOf(n)))
        .map(ApiSurface::load)
        .filter(ApiSurface::isVisible)
        .sorted(Comparator.comparing(Class::getName))
        .collect(Collectors.toList());
    for (Class<?> type : types) {
      out.append('\n').append(header(type)).append('\n');
      for (String member : members(type)) {
        out.append("  ").append(member).append('\n');
      }
    }
    return out.toString();
  }

  private static String header(Class<?> type) {
    StringBuilder h = new StringBuilder(type.toGenericString());
    java.lang.reflect.Type superclass = type.getGenericSuperclass();
    if (superclass != null && superclass != Object.class && !type.isEnum() && !type.isRecord()) {
      h.append(" extends ").append(superclass.getTypeName());
    }
    String interfaces = Arrays.stream(type.getGenericInterfaces()).map(t -> t.getTypeName())
        .collect(Collectors.joining(", "));
    if (!interfaces.isEmpty()) {
      h.append(type.isInterface() ? " extends " : " implements ").append(interfaces);
    }
    if (type.isSealed()) {
      h.append(" permits ").append(Arrays.stream(type.getPermittedSubclasses()).map(Class::getName).sorted()
          .collect(Collectors.joining(", ")));
    }
    return h.toString();
  }

  private static Set<String> members(Class<?> type) {
    Set<String> members = new TreeSet<>();
    for (Field f : type.getDeclaredFields()) {
      if (!f.isSynthetic() && isVisible(type, f.getModifiers())) {
        members.add(f.toGenericString());
      }
    }
    for (Constructor<?> c : type.getDeclaredConstructors()) {
      if (!c.isSynthetic() && isVisible(type, c.getModifiers())) {
        members.add(c.toGenericString());
      }
    }
    for (Method m : type.getDeclaredMethods()) {
      if (!m.isSynthetic() && !m.isBridge() && isVisible(type, m.getModifiers())) {
        members.add(m.toGenericString());
      }
    }
    return members;
  }

  private static boolean isVisible(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
      if (!Modifier.isPublic(c.getModifiers())) {
        return false;
      }
    }
    return !type.isSynthetic() && !type.isAnonymousClass() && !type.isLocalClass();
  }

  private static boolean isVisible(Class<?> owner, int modifiers) {
    if (Modifier.isPublic(modifiers)) {
      return true;
    }
    return Modifier.isProtected(modifiers) && !Modifier.isFinal(owner.getModifiers()) && !owner.isSealed();
  }

  private static Set<String> exportedPackages(Path location, List<String> classNames) {
    Optional<ModuleDescriptor> module = ModuleFinder.of(location).findAll().stream()
        .map(ModuleReference::descriptor).findFirst();
    Set<String> packages = new TreeSet<>();
    if (module.isPresent() && !module.get().isAutomatic()) {
      module.get().exports().stream().filter(e -> !e.isQualified()).forEach(e -> packages.add(e.source()));
    } else {
      classNames.stream().map(ApiSurface::packageOf)
          .filter(p -> !Arrays.asList(p.split("\\.")).contains("internal"))
          .forEach(packages::add);
    }
    return packages;
  }

  private static List<String> classNames(Path location) {
    List<String> entries = new ArrayList<>();
    try {
      if (Files.isDirectory(location)) {
        try (Stream<Path> files = Files.walk(location)) {
          files.filter(Files::isRegularFile).forEach(f -> entries.add(location.relativize(f).toString()
              .replace(location.getFileSystem().getSeparator(), "/")));
        }
      } else {
        try (JarFile jar = new JarFile(location.toFile())) {
          jar.stream().forEach(e -> entries.add(e.getName()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + location, e);
    }
    return entries.stream()
        .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class")
            && !n.endsWith("package-info.class"))
        .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
        .sorted()
        .collect(Collectors.toList());
  }

  private static Path locationOf(Class<?> anchor) {
    try {
      return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("no location for " + anchor, e);
    }
  }

  private static String packageOf(String className) {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? "" : className.substring(0, dot);
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, ApiSurface.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("cannot load " + name, e);
    }
  }
}
