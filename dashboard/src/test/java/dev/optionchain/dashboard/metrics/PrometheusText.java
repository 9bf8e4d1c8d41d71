package dev.optionchain.dashboard.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests, and lookups that fail with the series
 * that do exist.
 *
 * <pre>{@code
 * PrometheusText metrics = PrometheusText.parse(body);
 * assertThat(metrics.value("circuitbreaker_state", Map.of("name", "options_chain", "state", "open"))).isEqualTo(1.0);
 * }</pre>
 *
 * <p>It checks what Prometheus itself rejects or what would mislead a reader: metric and label names, label-value
 * escapes ({@code \\}, {@code \"}, {@code \n}), numbers ({@code NaN}, {@code +Inf}, {@code -Inf}, Java's
 * {@code 1.5E9}), optional integer timestamps, one {@code TYPE} per family given before its samples, each family's
 * lines in one group, no series twice, and for histograms: an {@code le} on every bucket, cumulative bucket counts,
 * a {@code +Inf} bucket equal to {@code _count}. A violation throws {@link IllegalArgumentException} naming the line.
 */
final class PrometheusText {

  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

  /**
   * One time series: a sample name and its labels.
   *
   * @param name the sample's name, e.g. {@code upstream_requests_seconds_bucket}
   * @param labels label names to values, sorted by name
   */
  record Series(String name, Map<String, String> labels) {
    Series {
      labels = Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    /** Whether every pair of {@code wanted} is among the labels. */
    boolean has(Map<String, String> wanted) {
      return labels.entrySet().containsAll(wanted.entrySet());
    }

    @Override
    public String toString() {
      return name + labels.entrySet().stream()
          .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
          .collect(Collectors.joining(",", "{", "}"));
    }
  }

  private final Map<Series, Double> samples;
  private final Map<String, String> types;
  private final Map<String, String> helps;

  private PrometheusText(Map<Series, Double> samples, Map<String, String> types, Map<String, String> helps) {
    this.samples = Collections.unmodifiableMap(samples);
    this.types = Collections.unmodifiableMap(types);
    this.helps = Collections.unmodifiableMap(helps);
  }

  /**
   * Parses an exposition.
   *
   * @param text the body of a {@code /metrics} answer
   * @return the parsed samples and metadata
   * @throws IllegalArgumentException at the first line that breaks the format
   */
  static PrometheusText parse(String text) {
    Parser p = new Parser();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (i == lines.length - 1 && line.isEmpty()) {
        break;                                          // the final newline
      }
      try {
        p.line(line);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage() + ": " + line, e);
      }
    }
    p.checkHistograms();
    return new PrometheusText(p.samples, p.types, p.helps);
  }

  /**
   * Returns every sample.
   *
   * @return series to value, in the order of the text
   */
  Map<Series, Double> samples() {
    return samples;
  }

  /**
   * Returns the declared type of a family.
   *
   * @param family the name in the {@code # TYPE} line, e.g. {@code circuitbreaker_calls_total}
   * @return {@code counter}, {@code gauge}, ..., or empty when not declared
   */
  Optional<String> type(String family) {
    return Optional.ofNullable(types.get(family));
  }

  /**
   * Returns the help text of a family, unescaped.
   *
   * @param family the name in the {@code # HELP} line
   * @return the text, or empty when there is none
   */
  Optional<String> help(String family) {
    return Optional.ofNullable(helps.get(family));
  }

  /**
   * Returns the series of a sample name.
   *
   * @param name the sample name
   * @return its series in text order, maybe none
   */
  List<Series> series(String name) {
    return samples.keySet().stream().filter(s -> s.name().equals(name)).collect(Collectors.toList());
  }

  /**
   * Returns whether any series has this sample name.
   *
   * @param name the sample name
   * @return whether it occurs
   */
  boolean has(String name) {
    return samples.keySet().stream().anyMatch(s -> s.name().equals(name));
  }

  /**
   * Returns the value of the one series of {@code name} whose labels include {@code labels}.
   *
   * @param name the sample name, e.g. {@code circuitbreaker_calls_total}
   * @param labels labels the series must have (it may have more)
   * @return its value
   * @throws AssertionError if no series or several match, listing the series of that name
   */
  double value(String name, Map<String, String> labels) {
    List<Series> matching = matching(name, labels);
    if (matching.size() != 1) {
      throw new AssertionError((matching.isEmpty() ? "no series " : matching.size() + " series match ") + name
          + labels + "; series of " + name + ": " + describe(name));
    }
    return samples.get(matching.get(0));
  }

  /**
   * As {@link #value(String, Map)} with labels given as name, value, name, value, ...
   *
   * @param name the sample name
   * @param labelPairs an even number of strings
   * @return its value
   */
  double value(String name, String... labelPairs) {
    return value(name, pairs(labelPairs));
  }

  /**
   * Returns the sum of the series of {@code name} whose labels include {@code labels}.
   *
   * @param name the sample name
   * @param labels labels the series must have
   * @return the sum
   * @throws AssertionError if no series matches
   */
  double sum(String name, Map<String, String> labels) {
    List<Series> matching = matching(name, labels);
    if (matching.isEmpty()) {
      throw new AssertionError("no series " + name + labels + "; series of " + name + ": " + describe(name));
    }
    return matching.stream().mapToDouble(samples::get).sum();
  }

  private List<Series> matching(String name, Map<String, String> labels) {
    return samples.keySet().stream().filter(s -> s.name().equals(name) && s.has(labels))
        .collect(Collectors.toList());
  }

  private String describe(String name) {
    List<String> found = samples.entrySet().stream().filter(e -> e.getKey().name().equals(name))
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.toList());
    return found.isEmpty() ? "none" : String.join(", ", found);
  }

  private static Map<String, String> pairs(String... labelPairs) {
    if (labelPairs.length % 2 != 0) {
      throw new IllegalArgumentException("labelPairs must be name, value pairs, was " + labelPairs.length
          + " strings");
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < labelPairs.length; i += 2) {
      m.put(labelPairs[i], labelPairs[i + 1]);
    }
    return m;
  }

  @Override
  public String toString() {
    return samples.size() + " samples of " + types.size() + " families";
  }

  /** The parsing state. */
  private static final class Parser {
    final Map<Series, Double> samples = new LinkedHashMap<>();
    final Map<String, String> types = new LinkedHashMap<>();
    final Map<String, String> helps = new LinkedHashMap<>();
    /** Families whose group of lines has ended. */
    final Set<String> finished = new HashSet<>();
    String current;

    void line(String line) {
      if (line.isBlank()) {
        return;
      }
      if (line.startsWith("#")) {
        comment(line);
      } else {
        sample(line);
      }
    }

    private void comment(String line) {
      String[] parts = line.split("[ \t]+", 4);
      if (parts.length < 3 || !parts[0].equals("#") || !(parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
        return;                                         // a plain comment
      }
      String family = parts[2];
      name(family);
      enter(family);
      String rest = parts.length > 3 ? parts[3] : "";
      if (parts[1].equals("TYPE")) {
        if (!TYPES.contains(rest)) {
          throw new IllegalArgumentException("unknown type '" + rest + "'");
        }
        if (types.putIfAbsent(family, rest) != null) {
          throw new IllegalArgumentException("second TYPE for " + family);
        }
        if (samples.keySet().stream().anyMatch(s -> familyOf(s.name()).equals(family))) {
          throw new IllegalArgumentException("TYPE after samples of " + family);
        }
      } else if (helps.putIfAbsent(family, unescapeHelp(rest)) != null) {
        throw new IllegalArgumentException("second HELP for " + family);
      }
    }

    private void sample(String line) {
      int i = 0;
      int n = line.length();
      while (i < n && line.charAt(i) != '{' && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
        i++;
      }
      String name = line.substring(0, i);
      name(name);
      Map<String, String> labels = new LinkedHashMap<>();
      if (i < n && line.charAt(i) == '{') {
        i = labels(line, i + 1, labels);
      }
      String[] rest = line.substring(i).trim().split("[ \t]+");
      if (rest.length < 1 || rest[0].isEmpty() || rest.length > 2) {
        throw new IllegalArgumentException("expected a value and an optional timestamp");
      }
      double value = number(rest[0]);
      if (rest.length == 2) {
        try {
          Long.parseLong(rest[1]);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad timestamp '" + rest[1] + "'", e);
        }
      }
      String family = familyOf(name);
      enter(family);
      if ("histogram".equals(types.get(family)) && name.endsWith("_bucket") && !labels.containsKey("le")) {
        throw new IllegalArgumentException("histogram bucket without le");
      }
      Series s = new Series(name, labels);
      if (samples.putIfAbsent(s, value) != null) {
        throw new IllegalArgumentException("series given twice: " + s);
      }
    }

    /** Parses {@code name="value",...}} from {@code i}; returns the index after the closing brace. */
    private static int labels(String line, int i, Map<String, String> into) {
      int n = line.length();
      for (;;) {
        i = skipSpaces(line, i);
        if (i < n && line.charAt(i) == '}') {
          return i + 1;
        }
        int start = i;
        while (i < n && line.charAt(i) != '=' && line.charAt(i) != ' ') {
          i++;
        }
        String label = line.substring(start, i);
        if (!LABEL_NAME.matcher(label).matches()) {
          throw new IllegalArgumentException("bad label name '" + label + "'");
        }
        i = skipSpaces(line, i);
        if (i + 1 >= n || line.charAt(i) != '=' || line.charAt(i + 1) != '"') {
          throw new IllegalArgumentException("expected =\" after label " + label);
        }
        i += 2;
        StringBuilder value = new StringBuilder();
        for (;;) {
          if (i >= n) {
            throw new IllegalArgumentException("unterminated value of label " + label);
          }
          char c = line.charAt(i++);
          if (c == '"') {
            break;
          }
          if (c == '\\') {
            if (i >= n) {
              throw new IllegalArgumentException("dangling backslash in label " + label);
            }
            char e = line.charAt(i++);
            switch (e) {
              case '\\':
                value.append('\\');
                break;
              case '"':
                value.append('"');
                break;
              case 'n':
                value.append('\n');
                break;
              default:
                throw new IllegalArgumentException("bad escape \\" + e + " in label " + label);
            }
          } else {
            value.append(c);
          }
        }
        if (into.put(label, value.toString()) != null) {
          throw new IllegalArgumentException("label " + label + " given twice");
        }
        i = skipSpaces(line, i);
        if (i < n && line.charAt(i) == ',') {
          i++;
        } else if (i >= n || line.charAt(i) != '}') {
          throw new IllegalArgumentException("expected , or } after label " + label);
        }
      }
    }

    private static int skipSpaces(String line, int i) {
      while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
        i++;
      }
      return i;
    }

    private static void name(String name) {
      if (!METRIC_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("bad metric name '" + name + "'");
      }
    }

    private static double number(String s) {
      switch (s) {
        case "NaN":
          return Double.NaN;
        case "+Inf":
          return Double.POSITIVE_INFINITY;
        case "-Inf":
          return Double.NEGATIVE_INFINITY;
        default:
          try {
            return Double.parseDouble(s);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad value '" + s + "'", e);
          }
      }
    }

    private static String unescapeHelp(String s) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\\' && i + 1 < s.length()) {
          char e = s.charAt(++i);
          if (e == 'n') {
            out.append('\n');
          } else if (e == '\\') {
            out.append('\\');
          } else {
            out.append('\\').append(e);
          }
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }

    /** The declared family a sample belongs to: its own name, or its name less a suffix of its family's type. */
    private String familyOf(String name) {
      if (types.containsKey(name)) {
        return name;
      }
      for (String suffix : List.of("_bucket", "_count", "_sum", "_created", "_total")) {
        if (name.endsWith(suffix)) {
          String base = name.substring(0, name.length() - suffix.length());
          String type = types.get(base);
          if (type != null && suffixFits(type, suffix)) {
            return base;
          }
        }
      }
      return name;
    }

    private static boolean suffixFits(String type, String suffix) {
      switch (type) {
        case "histogram":
          return !suffix.equals("_total");
        case "summary":
          return suffix.equals("_count") || suffix.equals("_sum") || suffix.equals("_created");
        case "counter":
          return suffix.equals("_total") || suffix.equals("_created");
        default:
          return false;
      }
    }

    /** Moves to {@code family}'s group of lines; a family whose group has ended may not come back. */
    private void enter(String family) {
      if (family.equals(current)) {
        return;
      }
      if (finished.contains(family)) {
        throw new IllegalArgumentException("lines of " + family + " are not in one group");
      }
      if (current != null) {
        finished.add(current);
      }
      current = family;
    }

    /** Buckets cumulative, with a +Inf bucket equal to _count. */
    void checkHistograms() {
      for (Map.Entry<String, String> t : types.entrySet()) {
        if (!t.getValue().equals("histogram")) {
          continue;
        }
        String family = t.getKey();
        Map<Map<String, String>, List<double[]>> buckets = new LinkedHashMap<>();
        for (Map.Entry<Series, Double> e : samples.entrySet()) {
          if (e.getKey().name().equals(family + "_bucket")) {
            Map<String, String> rest = new TreeMap<>(e.getKey().labels());
            double le = number(rest.remove("le"));
            buckets.computeIfAbsent(rest, k -> new ArrayList<>()).add(new double[] {le, e.getValue()});
          }
        }
        for (Map.Entry<Map<String, String>, List<double[]>> b : buckets.entrySet()) {
          List<double[]> sorted = new ArrayList<>(b.getValue());
          sorted.sort((x, y) -> Double.compare(x[0], y[0]));
          for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i)[1] < sorted.get(i - 1)[1]) {
              throw new IllegalArgumentException(family + b.getKey() + ": bucket le=" + sorted.get(i)[0]
                  + " counts less than le=" + sorted.get(i - 1)[0]);
            }
          }
          double[] last = sorted.get(sorted.size() - 1);
          if (last[0] != Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(family + b.getKey() + ": no +Inf bucket");
          }
          Double count = samples.get(new Series(family + "_count", b.getKey()));
          if (count == null || count != last[1]) {
            throw new IllegalArgumentException(family + b.getKey() + ": _count " + count + " differs from the +Inf "
                + "bucket " + last[1]);
          }
        }
      }
    }
  }
}
