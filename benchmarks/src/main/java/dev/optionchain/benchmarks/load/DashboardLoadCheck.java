package dev.optionchain.benchmarks.load;

import dev.optionchain.dashboard.DashboardApp;
import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.config.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load check of the dashboard with its upstream down: how fast {@code GET /api/options/{symbol}} answers with the
 * circuit breakers on, and with them off (every request then waits for the upstream's timeout).
 *
 * <p>For each mode it starts the service with the embedded simulator on a fresh data directory, loads the chain once
 * (so the cache holds it), makes the simulator's chains endpoint hang ({@code latency} fault, far beyond the request
 * timeout), then runs {@code --threads} closed-loop clients for {@code --seconds} and prints latency percentiles,
 * throughput and status counts as a Markdown table.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.optionchain.benchmarks.load.DashboardLoadCheck \
 *     [--threads 16] [--seconds 30] [--timeout 2s]
 * </pre>
 */
public final class DashboardLoadCheck {

  private static final Pattern FIRST_DATE = Pattern.compile("\"dates\":\\[\"(\\d{4}-\\d{2}-\\d{2})\"");

  private DashboardLoadCheck() {}

  /** One mode's figures. */
  record Result(String mode, long requests, double seconds, long[] latenciesMicros, Map<Integer, Long> statuses) {
    double throughput() {
      return requests / seconds;
    }

    double percentileMillis(double p) {
      if (latenciesMicros.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.ceil(p / 100.0 * latenciesMicros.length) - 1;
      return latenciesMicros[Math.max(0, Math.min(latenciesMicros.length - 1, i))] / 1000.0;
    }
  }

  /**
   * Runs both modes and prints the table.
   *
   * @param args {@code --threads N --seconds N --timeout DURATION}
   * @throws Exception if the service cannot start
   */
  public static void main(String[] args) throws Exception {
    int threads = 16;
    int seconds = 30;
    String timeout = "2s";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--threads":
          threads = Integer.parseInt(args[i + 1]);
          break;
        case "--seconds":
          seconds = Integer.parseInt(args[i + 1]);
          break;
        case "--timeout":
          timeout = args[i + 1];
          break;
        default:
          throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<Result> results = new ArrayList<>();
    results.add(run("breakers on", true, threads, seconds, timeout));
    results.add(run("breakers off", false, threads, seconds, timeout));
    System.out.println();
    System.out.printf("Upstream down (chains endpoint hangs; request timeout %s), %d client threads, %d s per mode,"
        + " GET /api/options/AAPL?expiration=<nearest>%n%n", timeout, threads, seconds);
    System.out.println("| mode | requests | throughput (req/s) | p50 (ms) | p99 (ms) | max (ms) | statuses |");
    System.out.println("|---|---:|---:|---:|---:|---:|---|");
    for (Result r : results) {
      System.out.printf("| %s | %d | %.1f | %.2f | %.2f | %.2f | %s |%n", r.mode(), r.requests(), r.throughput(),
          r.percentileMillis(50), r.percentileMillis(99), r.percentileMillis(100), r.statuses());
    }
    Result on = results.get(0);
    Result off = results.get(1);
    System.out.printf("%nWith breakers: %.0fx the throughput, p50 %.0fx lower.%n", on.throughput() / off.throughput(),
        off.percentileMillis(50) / on.percentileMillis(50));
  }

  private static Result run(String mode, boolean breakers, int threads, int seconds, String timeout)
      throws Exception {
    Path dataDir = Files.createTempDirectory("loadcheck");
    DashboardConfig config = DashboardConfig.from(Settings.defaults().with(Map.of(
        "server.port", "0",
        "data.dir", dataDir.toString(),
        "breakers.enabled", Boolean.toString(breakers),
        "breaker.options_chain.request-timeout", timeout,
        // every request goes past memory to the (failing) upstream or the fallback: what this check measures
        "breaker.options_chain.fresh-for", "0s",
        "breaker.expirations.request-timeout", timeout), "load check"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (DashboardApp app = DashboardApp.start(config)) {
      URI base = app.url();
      Ready.await(base, Duration.ofSeconds(30));
      String expirations = get(http, base.resolve("/api/options/AAPL/expirations")).body();
      Matcher m = FIRST_DATE.matcher(expirations);
      if (!m.find()) {
        throw new IllegalStateException("no expiration in " + expirations);
      }
      URI chain = base.resolve("/api/options/AAPL?expiration=" + m.group(1));
      if (get(http, chain).statusCode() != 200) {
        throw new IllegalStateException("the chain could not be loaded while the upstream was healthy");
      }
      URI sim = URI.create(app.simulator().orElseThrow().baseUrl());
      HttpResponse<String> fault = http.send(HttpRequest.newBuilder(sim.resolve("/sim/faults"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"endpoint\":\"chains\",\"mode\":\"latency\",\"latencyMs\":60000}"))
          .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
      if (fault.statusCode() != 200) {
        throw new IllegalStateException("cannot inject the fault: " + fault.body());
      }
      System.err.printf("%s: %d threads for %d s against %s%n", mode, threads, seconds, chain);
      return load(mode, http, chain, threads, seconds);
    }
  }

  private static Result load(String mode, HttpClient http, URI uri, int threads, int seconds)
      throws InterruptedException {
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch start = new CountDownLatch(1);
    long[][] perThread = new long[threads][];
    List<Map<Integer, Long>> statuses = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    int[] counts = new int[threads];
    for (int t = 0; t < threads; t++) {
      Map<Integer, Long> byStatus = new TreeMap<>();
      statuses.add(byStatus);
      int index = t;
      Thread w = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        long[] latencies = new long[1 << 12];
        int n = 0;
        while (running.get()) {
          long begin = System.nanoTime();
          int status;
          try {
            status = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
          } catch (IOException e) {
            status = -1;
          } catch (InterruptedException e) {
            return;
          }
          if (n == latencies.length) {
            latencies = Arrays.copyOf(latencies, n * 2);
          }
          latencies[n++] = (System.nanoTime() - begin) / 1_000;
          byStatus.merge(status, 1L, Long::sum);
        }
        perThread[index] = latencies;
        counts[index] = n;
      }, "load-" + t);
      workers.add(w);
      w.start();
    }
    long begin = System.nanoTime();
    start.countDown();
    Thread.sleep(seconds * 1000L);
    running.set(false);
    for (Thread w : workers) {
      w.join();
    }
    double elapsed = (System.nanoTime() - begin) / 1e9;
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    Map<Integer, Long> byStatus = new TreeMap<>();
    for (int t = 0; t < threads; t++) {
      if (counts[t] > 0) {
        System.arraycopy(perThread[t], 0, all, at, counts[t]);
      }
      at += counts[t];
      statuses.get(t).forEach((k, v) -> byStatus.merge(k, v, Long::sum));
    }
    Arrays.sort(all);
    return new Result(mode, total, elapsed, all, byStatus);
  }

  private static HttpResponse<String> get(HttpClient http, URI uri) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
