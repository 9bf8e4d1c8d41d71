package dev.optionchain.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns JMH JSON result files into the Markdown tables of {@code docs/benchmarks.md}: per scenario, ns/op at one
 * thread, total ops/µs at more, bytes allocated per operation, ratios against Resilience4j and Failsafe from the same
 * run, and the check of the speed targets.
 *
 * <p>Each figure is the median of the per-fork means (a noisy fork moves it less than it moves the mean); the ± is
 * JMH's 99.9% confidence half-width over all iterations. A one-thread figure is ns/op; a multi-thread figure is the
 * total throughput of all threads on the one shared breaker, in ops/µs. Results run in either mode are converted.
 *
 * <pre>
 * java -cp benchmarks.jar dev.optionchain.benchmarks.Report t1.json t2.json t8.json &gt; table.md
 * </pre>
 */
public final class Report {

  /** A scenario: one table. */
  private enum Scenario {
    CLOSED("CLOSED, every call succeeds", "CLOSED success", "Closed"),
    FAILING("CLOSED, 10% of calls fail (below every threshold)", "CLOSED 10% failures", "ClosedFailing"),
    LISTENER("CLOSED, every call succeeds, one state-transition listener subscribed", "CLOSED success + listener",
        "Closed"),
    OPEN("OPEN: rejection (call + catch)", "OPEN", "Open"),
    HALF_OPEN("HALF_OPEN with its trial in flight: rejection (call + catch)", "HALF_OPEN", "HalfOpen"),
    OTHER("Other benchmarks", "other", "");

    final String title;
    final String shortName;
    final String benchmarkClass;

    Scenario(String title, String shortName, String benchmarkClass) {
      this.title = title;
      this.shortName = shortName;
      this.benchmarkClass = benchmarkClass;
    }
  }

  private static final Map<String, String> LABELS = new LinkedHashMap<>();

  static {
    LABELS.put("baseline", "baseline: the bare call, no breaker");
    LABELS.put("oursConsecutive", "**ours**, consecutive mode");
    LABELS.put("oursCountRate", "**ours**, rate mode, last 100 calls");
    LABELS.put("oursTimeRate", "**ours**, rate mode, last 10 s");
    LABELS.put("ours", "**ours**");
    LABELS.put("oursException", "**ours**, consume the exception");
    LABELS.put("oursField", "**ours**, consume a field");
    LABELS.put("oursPreciseClockException", "ours without the coarse clock (`System.nanoTime()` per rejection)");
    LABELS.put("r4jDefault", "Resilience4j 2.4.0, defaults (COUNT_BASED 100, SYNCHRONIZED)");
    LABELS.put("r4jTime", "Resilience4j, TIME_BASED 10 s");
    LABELS.put("r4jLockFree", "Resilience4j, COUNT_BASED 100, LOCK_FREE");
    LABELS.put("r4jStackless", "Resilience4j, defaults + writableStackTraceEnabled(false)");
    LABELS.put("r4jDefaultException", "Resilience4j, defaults, consume the exception");
    LABELS.put("r4jDefaultField", "Resilience4j, defaults, consume a field");
    LABELS.put("r4jStacklessException", "Resilience4j, stackless, consume the exception");
    LABELS.put("r4jStacklessField", "Resilience4j, stackless, consume a field");
    LABELS.put("failsafe", "Failsafe 3.3.2");
    LABELS.put("failsafeException", "Failsafe 3.3.2, consume the exception");
    LABELS.put("failsafeField", "Failsafe 3.3.2, consume a field");
    LABELS.put("naiveLock", "ReentrantLock breaker (the seed's design)");
    LABELS.put("naiveException", "ReentrantLock breaker, consume the exception");
    LABELS.put("naiveField", "ReentrantLock breaker, consume a field");
  }

  /** Bytes per operation below which a row counts as allocation-free (JMH's own bookkeeping shows up as ~0.01). */
  private static final double ZERO_BYTES = 0.1;

  /** One measured figure: a row at one thread count. */
  private static final class Cell {
    /** ns/op at one thread, total ops/µs at more. */
    double value;
    double error;
    double bytesPerOp = Double.NaN;
    int forks;
  }

  private static final class Row {
    final Scenario scenario;
    final String method;
    final Map<Integer, Cell> byThreads = new LinkedHashMap<>();

    Row(Scenario scenario, String method) {
      this.scenario = scenario;
      this.method = method;
    }

    String label() {
      String label = LABELS.getOrDefault(method, method);
      if (scenario == Scenario.FAILING && method.equals("failsafe")) {
        return "Failsafe 3.3.2, 50 of the last 100";
      }
      if (scenario == Scenario.FAILING && method.equals("oursConsecutive")) {
        return label + " (1 000)";
      }
      return label;
    }

    boolean ours() {
      return method.startsWith("ours");
    }
  }

  private final Map<String, Row> rows = new LinkedHashMap<>();
  private final TreeSet<Integer> allThreads = new TreeSet<>();
  private String jvm = "";

  private Report() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: java -cp benchmarks.jar dev.optionchain.benchmarks.Report RESULT.json...");
      System.exit(2);
    }
    Report report = new Report();
    for (String file : args) {
      Object parsed = Json.parse(Files.readString(Path.of(file)));
      for (Object result : (List<?>) parsed) {
        report.add((Map<?, ?>) result);
      }
    }
    System.out.print(report.markdown());
  }

  // ------------------------------------------------------------------------------------------------ reading

  private void add(Map<?, ?> result) {
    String benchmark = (String) result.get("benchmark");
    String[] parts = benchmark.split("\\.");
    String method = parts[parts.length - 1];
    String cls = parts[parts.length - 2];
    Map<?, ?> params = (Map<?, ?>) result.get("params");
    boolean listener = params != null && "true".equals(params.get("listener"));
    Scenario scenario = Scenario.OTHER;
    for (Scenario s : Scenario.values()) {
      if (s.benchmarkClass.equals(cls)) {
        scenario = s;
        break;
      }
    }
    if (scenario == Scenario.CLOSED && listener) {
      scenario = Scenario.LISTENER;
    }
    if (scenario == Scenario.OTHER) {
      method = cls + "." + method + (params == null ? "" : " " + params);
    }
    int threads = (int) Json.number(result.get("threads"));
    String mode = (String) result.get("mode");
    if (jvm.isEmpty()) {
      jvm = result.get("vmName") + " " + result.get("vmVersion") + ", JMH " + result.get("jmhVersion");
    }

    Map<?, ?> primary = (Map<?, ?>) result.get("primaryMetric");
    String unit = (String) primary.get("scoreUnit");
    List<Double> forkMeans = forkMeans(primary.get("rawData"));
    double score = Json.number(primary.get("score"));
    double error = Json.number(primary.get("scoreError"));

    Cell cell = new Cell();
    cell.forks = forkMeans.size();
    double median = forkMeans.isEmpty() ? score : median(forkMeans);
    if (mode.equals("avgt") || mode.equals("sample") || mode.equals("ss")) {
      double nanos = median * nanosPer(unit.substring(0, unit.indexOf('/')));
      double relative = error / score;
      if (threads == 1) {
        cell.value = nanos;
      } else {
        cell.value = threads * 1_000.0 / nanos;
      }
      cell.error = cell.value * relative;
    } else {
      double opsPerMicro = median / (nanosPer(unit.substring(unit.indexOf('/') + 1)) / 1_000.0);
      double relative = error / score;
      if (threads == 1) {
        cell.value = 1_000.0 / opsPerMicro;
      } else {
        cell.value = opsPerMicro;
      }
      cell.error = cell.value * relative;
    }

    Map<?, ?> secondary = (Map<?, ?>) result.get("secondaryMetrics");
    if (secondary != null) {
      for (Map.Entry<?, ?> e : secondary.entrySet()) {
        String name = ((String) e.getKey()).replace("\u00b7", "");
        if (name.equals("gc.alloc.rate.norm")) {
          Map<?, ?> metric = (Map<?, ?>) e.getValue();
          List<Double> bytes = forkMeans(metric.get("rawData"));
          cell.bytesPerOp = bytes.isEmpty() ? Json.number(metric.get("score")) : median(bytes);
        }
      }
    }

    rows.computeIfAbsent(scenario + "/" + method, k -> new Row(scenario(k), method(k)))
        .byThreads.put(threads, cell);
    allThreads.add(threads);
  }

  private static Scenario scenario(String key) {
    return Scenario.valueOf(key.substring(0, key.indexOf('/')));
  }

  private static String method(String key) {
    return key.substring(key.indexOf('/') + 1);
  }

  private static List<Double> forkMeans(Object rawData) {
    List<Double> means = new ArrayList<>();
    if (rawData instanceof List) {
      for (Object fork : (List<?>) rawData) {
        double sum = 0;
        int n = 0;
        for (Object v : (List<?>) fork) {
          double d = Json.number(v);
          if (!Double.isNaN(d)) {
            sum += d;
            n++;
          }
        }
        if (n > 0) {
          means.add(sum / n);
        }
      }
    }
    return means;
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static double nanosPer(String unit) {
    switch (unit) {
      case "ns":
        return 1;
      case "us":
        return 1_000;
      case "ms":
        return 1_000_000;
      case "s":
        return 1_000_000_000;
      default:
        throw new IllegalArgumentException("unknown time unit " + unit);
    }
  }

  // ------------------------------------------------------------------------------------------------ lookups

  private Row row(Scenario scenario, String method) {
    return rows.get(scenario + "/" + method);
  }

  private Cell cell(Scenario scenario, String method, int threads) {
    Row r = row(scenario, method);
    return r == null ? null : r.byThreads.get(threads);
  }

  /** The baseline a scenario's overhead is measured against. */
  private Cell baseline(Scenario scenario, int threads) {
    switch (scenario) {
      case CLOSED:
      case LISTENER:
        return cell(Scenario.CLOSED, "baseline", threads);
      case FAILING:
        return cell(Scenario.FAILING, "baseline", threads);
      default:
        return null;
    }
  }

  /** The Resilience4j (peer = "r4j") or Failsafe (peer = "failsafe") row a row is compared with. */
  private static String reference(Scenario scenario, String method, String peer) {
    boolean r4j = peer.equals("r4j");
    switch (scenario) {
      case OPEN:
        String suffix = method.endsWith("Field") ? "Field" : "Exception";
        return (r4j ? "r4jDefault" : "failsafe") + suffix;
      case OTHER:
        return null;
      default:
        return r4j ? "r4jDefault" : "failsafe";
    }
  }

  /** How many times better {@code row} is than {@code ref}: cheaper at one thread, more throughput at more. */
  private static double ratio(Cell row, Cell ref, int threads) {
    if (row == null || ref == null) {
      return Double.NaN;
    }
    return threads == 1 ? ref.value / row.value : row.value / ref.value;
  }

  // ------------------------------------------------------------------------------------------------ writing

  private String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("<!-- generated by dev.optionchain.benchmarks.Report from JMH JSON; ").append(jvm).append(" -->\n\n");
    out.append("Figures: 1 thread = ns/op (lower is better); 2 and 8 threads = total ops/µs of all threads on one ")
        .append("shared breaker (higher is better). Each figure is the median of the per-fork means, ± JMH's 99.9% ")
        .append("confidence half-width. B/op = bytes allocated per call (`-prof gc`, `gc.alloc.rate.norm`). ")
        .append("\"vs\" columns: how many times cheaper (1 thread) or how many times the throughput (2, 8 threads) ")
        .append("the row is compared with Resilience4j's default configuration / Failsafe in the same scenario ")
        .append("and the same run.\n\n");
    for (Scenario scenario : Scenario.values()) {
      List<Row> inScenario = new ArrayList<>();
      for (String method : LABELS.keySet()) {
        Row r = row(scenario, method);
        if (r != null) {
          inScenario.add(r);
        }
      }
      for (Row r : rows.values()) {
        if (r.scenario == scenario && !inScenario.contains(r)) {
          inScenario.add(r);
        }
      }
      if (!inScenario.isEmpty()) {
        table(out, scenario, inScenario);
      }
    }
    targets(out);
    return out.toString();
  }

  private void table(StringBuilder out, Scenario scenario, List<Row> scenarioRows) {
    TreeSet<Integer> threads = new TreeSet<>();
    for (Row r : scenarioRows) {
      threads.addAll(r.byThreads.keySet());
    }
    boolean overhead = threads.contains(1) && baseline(scenario, 1) != null;
    boolean compare = scenario != Scenario.OTHER;
    String threadList = join(threads, " / ");

    out.append("### ").append(scenario.title).append("\n\n| |");
    for (int t : threads) {
      out.append(t == 1 ? " 1 thread: ns/op |" : " " + t + " threads: ops/µs |");
      if (t == 1 && overhead) {
        out.append(" over baseline |");
      }
    }
    out.append(" B/op (").append(threadList).append(" thr) |");
    if (compare) {
      out.append(" vs R4j (").append(threadList).append(" thr) | vs Failsafe (").append(threadList)
          .append(" thr) |");
    }
    out.append("\n|---|");
    for (int t : threads) {
      out.append("---:|");
      if (t == 1 && overhead) {
        out.append("---:|");
      }
    }
    out.append("---:|").append(compare ? "---:|---:|" : "").append('\n');

    for (Row r : scenarioRows) {
      out.append("| ").append(r.label()).append(" |");
      for (int t : threads) {
        Cell c = r.byThreads.get(t);
        out.append(' ').append(c == null ? "–" : num(c.value) + " ± " + num(c.error)).append(" |");
        if (t == 1 && overhead) {
          Cell base = baseline(scenario, 1);
          out.append(' ').append(c == null || r.method.equals("baseline") ? "" : signed(c.value - base.value))
              .append(" |");
        }
      }
      List<String> bytes = new ArrayList<>();
      for (int t : threads) {
        Cell c = r.byThreads.get(t);
        bytes.add(c == null ? "–" : bytes(c.bytesPerOp));
      }
      out.append(' ').append(String.join(" / ", bytes)).append(" |");
      if (compare && r.method.equals("baseline")) {
        out.append(" | |");
      } else if (compare) {
        for (String peer : List.of("r4j", "failsafe")) {
          String ref = reference(scenario, r.method, peer);
          List<String> ratios = new ArrayList<>();
          for (int t : threads) {
            ratios.add(times(ratio(r.byThreads.get(t), cell(scenario, ref, t), t)));
          }
          out.append(' ').append(String.join(" / ", ratios)).append(" |");
        }
      }
      out.append('\n');
    }
    out.append('\n');
  }

  private void targets(StringBuilder out) {
    List<String[]> lines = new ArrayList<>();
    String[] modes = {"oursConsecutive", "oursCountRate", "oursTimeRate"};

    // CLOSED success, 1 thread: overhead <= 3 ns and <= 1/25 of Resilience4j's overhead
    Cell base = baseline(Scenario.CLOSED, 1);
    Cell r4j = cell(Scenario.CLOSED, "r4jDefault", 1);
    for (String mode : modes) {
      Cell c = cell(Scenario.CLOSED, mode, 1);
      if (c == null || base == null) {
        continue;
      }
      double over = c.value - base.value;
      lines.add(new String[] {"CLOSED success, 1 thread: overhead over baseline ≤ 3 ns/op", label(mode),
          num(over) + " ns/op (" + num(c.value) + " − " + num(base.value) + ")", verdict(over <= 3.0)});
      if (r4j != null) {
        double r4jOver = r4j.value - base.value;
        double ratio = r4jOver / over;
        lines.add(new String[] {"CLOSED success, 1 thread: overhead ≤ 1/25 of Resilience4j defaults'", label(mode),
            times(ratio) + " less overhead (" + num(over) + " vs " + num(r4jOver) + " ns/op; totals "
                + times(r4j.value / c.value) + ")",
            verdict(ratio >= 25)});
      }
    }

    // CLOSED success, 2 and 8 threads: >= 100x Resilience4j and Failsafe
    for (int t : allThreads) {
      if (t == 1) {
        continue;
      }
      for (String mode : modes) {
        Cell c = cell(Scenario.CLOSED, mode, t);
        Cell vsR4j = cell(Scenario.CLOSED, "r4jDefault", t);
        Cell vsFs = cell(Scenario.CLOSED, "failsafe", t);
        if (c == null || vsR4j == null || vsFs == null) {
          continue;
        }
        double a = ratio(c, vsR4j, t);
        double b = ratio(c, vsFs, t);
        lines.add(new String[] {"CLOSED success, " + t + " threads: ≥ 100× Resilience4j's and Failsafe's throughput",
            label(mode), num(c.value) + " ops/µs: " + times(a) + " R4j (" + num(vsR4j.value) + "), " + times(b)
                + " Failsafe (" + num(vsFs.value) + ")",
            verdict(a >= 100 && b >= 100)});
      }
    }

    // allocation: 0 B/op in CLOSED, with or without listener
    for (Scenario s : List.of(Scenario.CLOSED, Scenario.FAILING, Scenario.LISTENER)) {
      double worst = -1;
      String where = "";
      for (String mode : modes) {
        Row r = row(s, mode);
        if (r == null) {
          continue;
        }
        for (Map.Entry<Integer, Cell> e : r.byThreads.entrySet()) {
          if (e.getValue().bytesPerOp > worst) {
            worst = e.getValue().bytesPerOp;
            where = label(mode) + ", " + e.getKey() + " thr";
          }
        }
      }
      if (worst >= 0) {
        lines.add(new String[] {"0 B/op, " + s.shortName, "all our modes, all thread counts",
            "max " + bytes(worst) + " B/op (" + where + ")", verdict(worst < ZERO_BYTES)});
      }
    }

    // OPEN rejection: <= 64 B/op, <= 30 ns/op at 1 thread
    for (String method : List.of("oursException", "oursField")) {
      Row r = row(Scenario.OPEN, method);
      if (r == null) {
        continue;
      }
      double worst = 0;
      for (Cell c : r.byThreads.values()) {
        worst = Math.max(worst, c.bytesPerOp);
      }
      lines.add(new String[] {"OPEN rejection ≤ 64 B/op", label(method), bytes(worst) + " B/op (worst thread count)",
          verdict(worst <= 64)});
      Cell one = r.byThreads.get(1);
      if (one != null) {
        lines.add(new String[] {"OPEN rejection ≤ 30 ns/op at 1 thread", label(method), num(one.value) + " ns/op",
            verdict(one.value <= 30)});
      }
    }

    // rate modes <= 3x the cost of consecutive mode (cost = overhead over the baseline, 1 thread)
    for (Scenario s : List.of(Scenario.CLOSED, Scenario.FAILING, Scenario.LISTENER)) {
      Cell b = baseline(s, 1);
      Cell consecutive = cell(s, "oursConsecutive", 1);
      if (b == null || consecutive == null) {
        continue;
      }
      double consecutiveCost = consecutive.value - b.value;
      for (String mode : List.of("oursCountRate", "oursTimeRate")) {
        Cell c = cell(s, mode, 1);
        if (c == null) {
          continue;
        }
        double cost = c.value - b.value;
        lines.add(new String[] {"rate mode ≤ 3× consecutive mode, " + s.shortName + ", 1 thread (over baseline)",
            label(mode), num(cost) + " vs " + num(consecutiveCost) + " ns/op = "
                + times(cost / consecutiveCost).replace("×", "") + "×",
            verdict(cost <= 3 * consecutiveCost)});
      }
    }

    if (lines.isEmpty()) {
      return;
    }
    out.append("### Targets\n\n| target | row | figure | |\n|---|---|---|---|\n");
    for (String[] l : lines) {
      out.append("| ").append(String.join(" | ", l)).append(" |\n");
    }
    out.append('\n');
  }

  private static String label(String method) {
    return LABELS.getOrDefault(method, method).replace("**", "");
  }

  private static String verdict(boolean met) {
    return met ? "met" : "**missed**";
  }

  // ------------------------------------------------------------------------------------------------ formatting

  static String num(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "–";
    }
    double a = Math.abs(v);
    if (a >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v).replace(',', ' ');
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String signed(double v) {
    return (v >= 0 ? "+" : "") + num(v);
  }

  private static String bytes(double b) {
    if (Double.isNaN(b)) {
      return "–";
    }
    if (b < 0.01) {
      return "0";
    }
    if (b < 10) {
      return String.format(Locale.ROOT, "%.2f", b);
    }
    return String.format(Locale.ROOT, "%.0f", b);
  }

  private static String times(double ratio) {
    if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
      return "–";
    }
    if (ratio >= 100) {
      return String.format(Locale.ROOT, "%.0f×", ratio);
    }
    if (ratio >= 10) {
      return String.format(Locale.ROOT, "%.0f×", ratio);
    }
    return String.format(Locale.ROOT, "%.2g×", ratio);
  }

  private static String join(Iterable<Integer> values, String sep) {
    List<String> s = new ArrayList<>();
    for (Integer v : values) {
      s.add(String.valueOf(v));
    }
    return String.join(sep, s);
  }
}
