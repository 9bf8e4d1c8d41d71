package dev.optionchain.apiguard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of one library, as text: its exported packages, then every public type in them with its public and
 * protected members, one per line, sorted, so that a change shows as a readable diff in review.
 *
 * <p>Exported packages are the module descriptor's unqualified exports when the library is a JPMS module, otherwise
 * every package whose name has no {@code internal} segment. Types are found in the library's jar (or classes
 * directory) and loaded from the test class path. A type's line is written here, not by {@link Class#toGenericString()}
 * (whose output differs between JDKs: {@code sealed} appears from Java 19 on): its runtime-visible annotations
 * ({@code @FunctionalInterface}, {@code @Deprecated}) with their values, modifiers including {@code sealed} and
 * {@code non-sealed}, kind, name, type parameters, supertypes and permitted subclasses. Members are {@link Member}'s
 * {@code toGenericString()} after their annotations; an enum's constants are listed in declaration order (the order
 * is API: {@code ordinal()}, {@code compareTo}, {@code values()}) and a record's components with their names in order.
 * Public and protected members a type inherits from a supertype of the library that is not part of the API (a
 * package-private base class, an interface of a hidden package) are listed under the type too: they are callable on
 * it. Synthetic and bridge members are left out; a protected member of a final or sealed class is unreachable and left
 * out too. Values of constants are not compared.
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
    return describe(exportedPackages(location, classNames), classNames);
  }

  /**
   * Describes the public types of {@code exported} among {@code classNames}, the binary names of every class of a
   * library (the others are its hidden part).
   *
   * @param exported the exported packages
   * @param classNames every class of the library, by binary name
   * @return the description, ending with a newline
   */
  static String describe(Set<String> exported, List<String> classNames) {
    StringBuilder out = new StringBuilder();
    for (String pkg : new TreeSet<>(exported)) {
      out.append("package ").append(pkg).append('\n');
    }
    List<Class<?>> types = classNames.stream()
        .filter(n -> exported.contains(packageOf(n)))
        .map(ApiSurface::load)
        .filter(ApiSurface::isVisible)
        .sorted(Comparator.comparing(Class::getName))
        .collect(Collectors.toList());
    Set<String> api = types.stream().map(Class::getName).collect(Collectors.toSet());
    Predicate<Class<?>> hidden = c -> classNames.contains(c.getName()) && !api.contains(c.getName());
    for (Class<?> type : types) {
      out.append('\n').append(header(type)).append('\n');
      for (String line : typeDetails(type)) {
        out.append("  ").append(line).append('\n');
      }
      for (String member : members(type, hidden)) {
        out.append("  ").append(member).append('\n');
      }
    }
    return out.toString();
  }

  private static String header(Class<?> type) {
    StringBuilder h = new StringBuilder(annotations(type));
    String modifiers = Modifier.toString(type.getModifiers() & Modifier.classModifiers());
    h.append(modifiers).append(modifiers.isEmpty() ? "" : " ");
    if (type.isSealed()) {
      h.append("sealed ");
    } else if (isNonSealed(type)) {
      h.append("non-sealed ");
    }
    h.append(type.isAnnotation() ? "@interface" : type.isInterface() ? "interface" : type.isEnum() ? "enum"
        : type.isRecord() ? "record" : "class");
    h.append(' ').append(type.getName()).append(typeParameters(type.getTypeParameters()));
    Type superclass = type.getGenericSuperclass();
    if (superclass != null && superclass != Object.class && !type.isEnum() && !type.isRecord()) {
      h.append(" extends ").append(superclass.getTypeName());
    }
    String interfaces = Arrays.stream(type.getGenericInterfaces()).map(Type::getTypeName)
        .collect(Collectors.joining(", "));
    if (!interfaces.isEmpty() && !type.isAnnotation()) {
      h.append(type.isInterface() ? " extends " : " implements ").append(interfaces);
    }
    if (type.isSealed()) {
      h.append(" permits ").append(Arrays.stream(type.getPermittedSubclasses()).map(Class::getName).sorted()
          .collect(Collectors.joining(", ")));
    }
    return h.toString();
  }

  /** A class or interface that is neither sealed nor final but extends or implements a sealed type. */
  private static boolean isNonSealed(Class<?> type) {
    if (type.isSealed() || Modifier.isFinal(type.getModifiers()) || type.isEnum() || type.isRecord()) {
      return false;
    }
    return (type.getSuperclass() != null && type.getSuperclass().isSealed())
        || Arrays.stream(type.getInterfaces()).anyMatch(Class::isSealed);
  }

  private static String typeParameters(TypeVariable<?>[] parameters) {
    if (parameters.length == 0) {
      return "";
    }
    return Arrays.stream(parameters).map(v -> {
      String bounds = Arrays.stream(v.getBounds()).filter(b -> b != Object.class).map(Type::getTypeName)
          .collect(Collectors.joining(" & "));
      return bounds.isEmpty() ? v.getName() : v.getName() + " extends " + bounds;
    }).collect(Collectors.joining(",", "<", ">"));
  }

  /** Enum constants and record components, in declaration order. */
  private static List<String> typeDetails(Class<?> type) {
    List<String> details = new ArrayList<>();
    if (type.isEnum()) {
      details.add("enum constants: " + Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name())
          .collect(Collectors.joining(", ")));
    }
    if (type.isRecord()) {
      details.add("record components: (" + Arrays.stream(type.getRecordComponents())
          .map(c -> annotations(c) + c.getGenericType().getTypeName() + " " + c.getName())
          .collect(Collectors.joining(", ")) + ")");
    }
    return details;
  }

  /** The runtime-visible annotations, each with every element's value, sorted, each followed by a space. */
  static String annotations(AnnotatedElement element) {
    return Arrays.stream(element.getDeclaredAnnotations()).map(ApiSurface::annotation).sorted()
        .map(a -> a + " ").collect(Collectors.joining());
  }

  private static String annotation(Annotation a) {
    Method[] elements = a.annotationType().getDeclaredMethods();
    String values = Arrays.stream(elements).filter(m -> !m.isSynthetic())
        .sorted(Comparator.comparing(Method::getName))
        .map(m -> m.getName() + "=" + value(a, m))
        .collect(Collectors.joining(", "));
    return "@" + a.annotationType().getName() + (values.isEmpty() ? "" : "(" + values + ")");
  }

  private static String value(Annotation a, Method element) {
    try {
      element.setAccessible(true);
      Object v = element.invoke(a);
      if (v instanceof Object[]) {
        return Arrays.stream((Object[]) v).map(ApiSurface::scalar).collect(Collectors.joining(", ", "{", "}"));
      }
      if (v.getClass().isArray()) {
        return Arrays.deepToString(new Object[] {v});
      }
      return scalar(v);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot read " + element + " of " + a.annotationType().getName(), e);
    }
  }

  private static String scalar(Object v) {
    if (v instanceof Class) {
      return ((Class<?>) v).getName() + ".class";
    }
    if (v instanceof Annotation) {
      return annotation((Annotation) v);
    }
    if (v instanceof Enum) {
      return ((Enum<?>) v).getDeclaringClass().getName() + "." + ((Enum<?>) v).name();
    }
    return v instanceof String ? '"' + (String) v + '"' : String.valueOf(v);
  }

  /** The type's own members, then those it inherits from the library's hidden supertypes. */
  private static Set<String> members(Class<?> type, Predicate<Class<?>> hidden) {
    Set<String> members = new TreeSet<>(declaredMembers(type, type, true));
    Set<Class<?>> seen = new HashSet<>();
    Deque<Class<?>> supertypes = new ArrayDeque<>(supertypesOf(type));
    while (!supertypes.isEmpty()) {
      Class<?> s = supertypes.pop();
      if (hidden.test(s) && seen.add(s)) {
        members.addAll(declaredMembers(s, type, false));
        supertypes.addAll(supertypesOf(s));
      }
    }
    return members;
  }

  private static List<Class<?>> supertypesOf(Class<?> type) {
    List<Class<?>> supertypes = new ArrayList<>(Arrays.asList(type.getInterfaces()));
    if (type.getSuperclass() != null) {
      supertypes.add(type.getSuperclass());
    }
    return supertypes;
  }

  /**
   * Members of {@code declaring} visible through {@code owner}; an inherited set leaves out constructors and an
   * interface's static methods, which are not inherited.
   */
  private static List<String> declaredMembers(Class<?> declaring, Class<?> owner, boolean own) {
    List<String> members = new ArrayList<>();
    for (Field f : declaring.getDeclaredFields()) {
      if (!f.isSynthetic() && isVisible(owner, f.getModifiers())) {
        members.add(annotations(f) + f.toGenericString());
      }
    }
    if (own) {
      for (Constructor<?> c : declaring.getDeclaredConstructors()) {
        if (!c.isSynthetic() && isVisible(owner, c.getModifiers())) {
          members.add(annotations(c) + c.toGenericString());
        }
      }
    }
    for (Method m : declaring.getDeclaredMethods()) {
      boolean inheritable = own || !(declaring.isInterface() && Modifier.isStatic(m.getModifiers()));
      if (!m.isSynthetic() && !m.isBridge() && inheritable && isVisible(owner, m.getModifiers())) {
        members.add(annotations(m) + m.toGenericString());
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
