package dev.optionchain.benchmarks.load;

import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.dashboard.DashboardApp;
import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.config.Settings;
import dev.optionchain.marketsim.MarketSim;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fleet's figures (issue 12, item 9): three dashboards with the simulator's chains endpoint failing, as a fleet
 * on Redis against three independent instances, side by side in one run:
 * <ol>
 *   <li>upstream chain calls until every instance's {@code options_chain} breaker is open (requests round-robin);</li>
 *   <li>upstream chain calls per recovery (trial calls), over several recoveries of a still-failing endpoint, with
 *       every instance asked every 50 ms;</li>
 *   <li>upstream calls per minute with {@link PageViewers} spread over the three (healthy upstream enforcing
 *       Tradier's 120 a minute, each dashboard with {@code upstream.rate-limit-per-minute=120}), and the upstream's
 *       429s.</li>
 * </ol>
 * The CLOSED call cost with fleet mode on is the JMH benchmark {@code FleetClosed}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.optionchain.benchmarks.load.FleetFigures \
 *     [--recoveries 3] [--viewers 50] [--seconds 120]      # --viewers 0: the breaker figures only
 * </pre>
 * Needs {@code /usr/bin/redis-server}. Prints Markdown tables.
 */
public final class FleetFigures {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern DATE = Pattern.compile("\"dates\":\\[\"([0-9-]+)\"");

  private FleetFigures() {}

  /**
   * Runs the measurements.
   *
   * @param args {@code --recoveries N --viewers N --seconds N}
   * @throws Exception if a service cannot start
   */
  public static void main(String[] args) throws Exception {
    int recoveries = 3;
    int viewers = 50;
    int seconds = 120;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--recoveries" -> recoveries = Integer.parseInt(args[i + 1]);
        case "--viewers" -> viewers = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("fleet-figures");
    List<String> rows = new ArrayList<>();
    List<String> viewerRows = new ArrayList<>();
    try (RedisProcess redis = RedisProcess.start(dir)) {
      for (boolean fleet : new boolean[] {false, true}) {
        String mode = fleet ? "fleet (Redis)" : "3 independent";
        long[] trip = tripAndRecover(dir.resolve((fleet ? "fleet" : "alone") + "-trip"), fleet ? redis.url(1) : "",
            recoveries);
        rows.add(String.format("| %s | %d | %.2f | %d |", mode, trip[0], trip[1] / (double) recoveries, trip[1]));
        if (viewers > 0) {
          viewerRows.add(viewers(dir.resolve((fleet ? "fleet" : "alone") + "-viewers"), fleet ? redis.url(2) : "",
            viewers, seconds, mode));
        }
      }
    }
    System.out.println();
    System.out.println("Three dashboards, chains endpoint failing (outage), options_chain threshold 3, recovery 2 s");
    System.out.println();
    System.out.println("| instances | chain calls until all 3 are OPEN | trial calls per recovery | trial calls in "
        + recoveries + " recoveries |");
    System.out.println("|---|---:|---:|---:|");
    rows.forEach(System.out::println);
    System.out.println();
    System.out.printf("%d page viewers over the three for %d s; simulator enforcing 120/min; each dashboard's budget "
        + "120/min%n%n", viewers, seconds);
    System.out.println("| instances | requests | non-200 | upstream calls | upstream calls/min | upstream 429s |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    viewerRows.forEach(System.out::println);
  }

  private static List<DashboardApp> start(Path dir, String redisUrl, String upstream, Map<String, String> more)
      throws InterruptedException {
    List<DashboardApp> apps = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Map<String, String> m = new HashMap<>(more);
      m.put("server.port", "0");
      m.put("data.dir", dir.resolve("i" + i).toString());
      m.put("upstream.base-url", upstream);
      m.put("fleet.redis-url", redisUrl);
      m.put("fleet.instance-id", "i" + i);
      apps.add(DashboardApp.start(DashboardConfig.from(Settings.defaults().with(m, "fleet figures")),
          BreakerClock.system()));
    }
    for (DashboardApp app : apps) {
      Ready.await(app.url(), Duration.ofSeconds(30));
    }
    if (!redisUrl.isEmpty()) {
      await(() -> apps.stream().allMatch(a -> get(a.url(), "/api/health/circuit-breakers")
          .contains("\"connected\":true")), Duration.ofSeconds(10));
    }
    return apps;
  }

  /** {chain calls until all open, chain calls over the recoveries}. */
  private static long[] tripAndRecover(Path dir, String redisUrl, int recoveries) throws Exception {
    try (MarketSim sim = MarketSim.builder().seed(42L).start()) {
      List<DashboardApp> apps = start(dir, redisUrl, sim.baseUrl(), Map.of(
          "breaker.options_chain.recovery-timeout", "2s", "breaker.options_chain.fresh-for", "0s",
          "fleet.trial-lease", "4s", "upstream.rate-limit-per-minute", "0"));
      try {
        Matcher m = DATE.matcher(get(apps.get(0).url(), "/api/options/AAPL/expirations"));
        if (!m.find()) {
          throw new IllegalStateException("no expiration");
        }
        String chain = "/api/options/AAPL?expiration=" + m.group(1);
        for (DashboardApp a : apps) {
          get(a.url(), "/api/options/AAPL/expirations"); // each validates the expiration itself
        }
        post(sim.baseUrl() + "/sim/faults", "{\"endpoint\":\"chains\",\"mode\":\"outage\"}");
        long before = chainCalls(sim);
        int n = 0;
        while (!apps.stream().allMatch(a -> openNow(a))) {
          get(apps.get(n++ % 3).url(), chain);
        }
        long untilOpen = chainCalls(sim) - before;
        long recovering = chainCalls(sim);
        long end = System.nanoTime() + Duration.ofMillis(2_000L * recoveries + 1_000).toNanos();
        while (System.nanoTime() - end < 0) {
          for (DashboardApp a : apps) {
            get(a.url(), chain);
          }
          Thread.sleep(50);
        }
        return new long[] {untilOpen, chainCalls(sim) - recovering};
      } finally {
        apps.forEach(DashboardApp::close);
      }
    }
  }

  private static boolean openNow(DashboardApp a) {
    return a.breakers().get("options_chain").orElseThrow().isOpen();
  }

  private static String viewers(Path dir, String redisUrl, int viewers, int seconds, String mode) throws Exception {
    try (MarketSim sim = MarketSim.builder().seed(42L).rateLimit(120).start()) {
      List<DashboardApp> apps = start(dir, redisUrl, sim.baseUrl(), Map.of("upstream.rate-limit-per-minute", "120"));
      try {
        List<URI> bases = apps.stream().map(DashboardApp::url).toList();
        PageViewers.Result r = PageViewers.run(bases, viewers, seconds, 1);
        String stats = get(URI.create(sim.baseUrl()), "/sim/stats");
        long calls = sum(stats, "requests");
        long limited = sum(stats, "rateLimited");
        return String.format("| %s | %d | %d | %d | %.1f | %d |", mode, r.requests(), r.non200(), calls,
            calls / (seconds / 60.0), limited);
      } finally {
        apps.forEach(DashboardApp::close);
      }
    }
  }

  private static long chainCalls(MarketSim sim) {
    String stats = get(URI.create(sim.baseUrl()), "/sim/stats");
    Matcher m = Pattern.compile("\"chains\":\\{\"requests\":(\\d+)").matcher(stats);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static long sum(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
    long total = 0;
    while (m.find()) {
      total += Long.parseLong(m.group(1));
    }
    return total;
  }

  private static void await(java.util.function.BooleanSupplier done, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new IllegalStateException("timed out");
      }
      Thread.sleep(50);
    }
  }

  private static String get(URI base, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      return "";
    }
  }

  private static void post(String url, String json) throws Exception {
    HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
