package dev.optionchain.dashboard.config;

import dev.optionchain.dashboard.secrets.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Raw settings: every key of {@code dashboard-defaults.properties} with its value after the overrides, in order of
 * precedence: defaults, a properties file, environment variables ({@code OCD_} + upper-cased key with {@code .} and
 * {@code -} as {@code _}), explicit overrides (the command line). Unknown keys are rejected, so a typo never silently
 * means "the default". Immutable.
 */
public final class Settings {

  /** Prefix of the environment variables that override settings. */
  public static final String ENV_PREFIX = "OCD_";

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  /** A byte size as DuckDB writes it: a number and a unit, {@code KB} ... powers of 1000, {@code KiB} ... of 1024. */
  private static final Pattern SIZE = Pattern.compile("(\\d{1,9})\\s*([KMGT])(i?)B", Pattern.CASE_INSENSITIVE);

  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  /**
   * Returns the defaults shipped in {@code dashboard-defaults.properties}.
   *
   * @return the default settings
   */
  public static Settings defaults() {
    try (InputStream in = Settings.class.getResourceAsStream("/dashboard-defaults.properties")) {
      if (in == null) {
        throw new IllegalStateException("dashboard-defaults.properties is missing from the class path");
      }
      Properties p = new Properties();
      p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
      Map<String, String> m = new LinkedHashMap<>();
      for (String key : new TreeSet<>(p.stringPropertyNames())) {
        m.put(key, p.getProperty(key).trim());
      }
      return new Settings(m);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read dashboard-defaults.properties", e);
    }
  }

  /**
   * Returns these settings with the values of a properties file laid over them.
   *
   * @param file the file
   * @return the new settings
   * @throws IllegalArgumentException if the file cannot be read or names an unknown key
   */
  public Settings withFile(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new IllegalArgumentException("config file " + file + " cannot be read: " + e.getMessage(), e);
    }
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String key : p.stringPropertyNames()) {
      overrides.put(key, p.getProperty(key));
    }
    return with(overrides, "config file " + file);
  }

  /**
   * Returns these settings with the environment's {@code OCD_*} variables laid over them.
   *
   * @param env the environment, e.g. {@link System#getenv()}
   * @return the new settings
   */
  public Settings withEnvironment(Map<String, String> env) {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String key : values.keySet()) {
      String value = env.get(envName(key));
      if (value != null) {
        overrides.put(key, value);
      }
    }
    return with(overrides, "environment");
  }

  /**
   * Returns these settings with {@code overrides} laid over them.
   *
   * @param overrides key to value
   * @param source where the overrides come from, for error messages
   * @return the new settings
   * @throws IllegalArgumentException naming the key if a key is unknown
   */
  public Settings with(Map<String, String> overrides, String source) {
    Map<String, String> m = new LinkedHashMap<>(values);
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      if (!m.containsKey(e.getKey())) {
        throw new IllegalArgumentException("unknown setting '" + e.getKey() + "' in " + source
            + " (see dashboard-defaults.properties for the known ones)");
      }
      m.put(e.getKey(), e.getValue() == null ? "" : e.getValue().trim());
    }
    return new Settings(m);
  }

  /**
   * Returns the environment variable that overrides {@code key}.
   *
   * @param key a setting's key
   * @return e.g. {@code OCD_SERVER_PORT} for {@code server.port}
   */
  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * Returns all settings.
   *
   * @return key to value, sorted by key
   */
  public Map<String, String> asMap() {
    return values;
  }

  String string(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalStateException("no setting '" + key + "' in dashboard-defaults.properties");
    }
    return v;
  }

  int integer(String key, int min, int max) {
    String v = string(key);
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], was " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, was '" + v + "'", e);
    }
  }

  long longValue(String key) {
    String v = string(key);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, was '" + v + "'", e);
    }
  }

  boolean bool(String key) {
    String v = string(key).toLowerCase(Locale.ROOT);
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new IllegalArgumentException(key + " must be true or false, was '" + string(key) + "'");
  }

  /**
   * A byte size like {@code 64MB} or {@code 1GiB} (DuckDB's units: {@code KB}, {@code MB}, {@code GB}, {@code TB}
   * are powers of 1000, {@code KiB} ... {@code TiB} powers of 1024) of at least {@code min} bytes.
   */
  long bytes(String key, long min) {
    String v = string(key);
    long n = parseBytes(v);
    if (n < min) {
      throw new IllegalArgumentException(key + " must be a size like 64MB or 1GiB of at least " + min
          + " bytes, was '" + v + "'");
    }
    return n;
  }

  /**
   * Parses a byte size ({@link #bytes}).
   *
   * @param v the text, e.g. {@code 256MB}
   * @return the bytes; -1 when it is not a size, or one beyond a {@code long}
   */
  static long parseBytes(String v) {
    Matcher m = SIZE.matcher(v.trim());
    if (!m.matches()) {
      return -1;
    }
    long unit = m.group(3).isEmpty() ? 1000 : 1024;
    int power = "KMGT".indexOf(Character.toUpperCase(m.group(2).charAt(0))) + 1;
    long n = Long.parseLong(m.group(1)); // at most 9 digits
    try {
      for (int i = 0; i < power; i++) {
        n = Math.multiplyExact(n, unit);
      }
      return n;
    } catch (ArithmeticException tooLarge) {
      return -1; // beyond a long (8 EiB)
    }
  }

  /** A positive duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d} or ISO-8601. */
  Duration duration(String key) {
    String v = string(key);
    Duration d = parseDuration(v);
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be a positive duration like 500ms, 30s, 5m or PT30S "
          + "(at most 292 years), was '" + v + "'");
    }
    return d;
  }

  /** A duration that may be zero ({@code 0s} turns something off). */
  Duration durationOrZero(String key) {
    String v = string(key);
    Duration d = parseDuration(v);
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(key + " must be a duration like 0s, 500ms, 30s, 5m or PT30S "
          + "(at most 292 years), was '" + v + "'");
    }
    return d;
  }

  /** A fresh-for: a duration ({@code 0s} = off) or {@code next-close}. */
  FreshFor freshFor(String key) {
    String v = string(key);
    if (v.equalsIgnoreCase(FreshFor.NEXT_CLOSE)) {
      return new FreshFor(Duration.ZERO, true);
    }
    Duration d = parseDuration(v);
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(key + " must be a duration like 0s, 2s, 10m, 1d or 'next-close' "
          + "(at most 292 years), was '" + v + "'");
    }
    return FreshFor.of(d);
  }

  /**
   * Parses a duration; null when it is not one, or is too long to be held in nanoseconds (about 292 years), which
   * every timer of the service needs.
   */
  static Duration parseDuration(String v) {
    Duration d = parseAnyDuration(v);
    if (d == null) {
      return null;
    }
    try {
      d.toNanos();
      return d;
    } catch (ArithmeticException tooLong) {
      return null;
    }
  }

  private static Duration parseAnyDuration(String v) {
    Matcher m = DURATION.matcher(v.trim().toLowerCase(Locale.ROOT));
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
          case "ms":
            return Duration.ofMillis(n);
          case "s":
            return Duration.ofSeconds(n);
          case "m":
            return Duration.ofMinutes(n);
          case "h":
            return Duration.ofHours(n);
          default:
            return Duration.ofDays(n);
        }
      }
      return Duration.parse(v.trim());
    } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
      return null; // digits beyond a long, or a count of units beyond Duration
    }
  }

  @Override
  public String toString() {
    Map<String, String> shown = new LinkedHashMap<>(values);
    shown.replaceAll((k, v) -> v.isEmpty() ? v
        : k.endsWith("token") ? Secrets.MASK
        : k.equals("alerts.webhooks") ? Secrets.MASK
        : Secrets.none().redact(v));
    return shown.toString();
  }
}
