package dev.optionchain.benchmarks.load;

import dev.optionchain.dashboard.DashboardApp;
import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.config.Settings;
import dev.optionchain.marketsim.MarketSim;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load test of issue 10: simulated people with the dashboard page open, against the simulator enforcing Tradier's
 * rate limit ({@code --rate-limit 120}), through the dashboard with its default upstream budget (120 a minute).
 * It passes when the simulator answered no 429 and every viewer got only 200s (live or from the cache).
 *
 * <p>A viewer does what the page's JavaScript does ({@code dashboard/src/main/resources/public/app.js}): on opening
 * it reads the breakers ({@code /api/health/circuit-breakers}), the transitions and the SLA once and keeps the event
 * stream ({@code /api/events}) open; loading a symbol asks for the quote, the ticker info, six months of daily bars
 * and the expirations at once, then the chain of the first expiration. The page has no polling; a person then acts
 * after a pause of 5 to 25 s: refresh everything ({@code r}: the five parts again, 50%), pick another of the first
 * six expirations (25%), another symbol (15%, the popular ones more often) or another chart range (10%, with its
 * interval and start date). Choices come from a seeded generator, one per viewer.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.optionchain.benchmarks.load.PageViewers \
 *     [--viewers 50] [--seconds 120] [--rate-limit 120] [--seed 1]
 * # smoke run: --seconds 20
 * </pre>
 * Prints a Markdown table; exits 1 when a 429 or a status other than 200 was seen.
 */
public final class PageViewers {

  /** The symbols viewers open, most popular first (weights 1/rank). */
  static final List<String> SYMBOLS = List.of("AAPL", "SPY", "NVDA", "TSLA", "QQQ", "MSFT", "SPX", "AMZN", "META",
      "AMD", "PLTR", "VIX");
  /** The page's chart ranges: days back and interval. */
  static final Map<String, Object[]> RANGES = Map.of("1M", new Object[] {31, "daily"}, "3M",
      new Object[] {92, "daily"}, "6M", new Object[] {183, "daily"}, "1Y", new Object[] {366, "daily"}, "5Y",
      new Object[] {5 * 366, "weekly"});
  private static final Pattern DATES = Pattern.compile("\"dates\":\\[([^\\]]*)\\]");

  private final List<URI> bases;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** Runs a page's parallel requests, as a browser does (several connections per host). */
  private final java.util.concurrent.ExecutorService browser = java.util.concurrent.Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "browser");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> sources = new ConcurrentHashMap<>();
  private final List<long[]> latencies = new ArrayList<>();
  private volatile boolean running = true;

  private PageViewers(List<URI> bases) {
    this.bases = List.copyOf(bases);
  }

  /**
   * What a run saw: the requests viewers made, those not answered 200, and the data answers by source.
   *
   * @param requests requests made
   * @param non200 requests not answered 200
   * @param bySource data answers by {@code source}
   * @param byStatus requests by status and route
   */
  public record Result(long requests, long non200, Map<String, Long> bySource, Map<String, Long> byStatus) {}

  /**
   * Runs {@code viewers} page viewers for {@code seconds} against running dashboards, viewer {@code v} on
   * {@code bases.get(v % bases.size())}: the page's pattern spread over a fleet behind a load balancer.
   *
   * @param bases the dashboards' base URLs
   * @param viewers how many
   * @param seconds how long
   * @param seed the viewers' choices
   * @return what they saw
   * @throws InterruptedException if interrupted
   */
  public static Result run(List<URI> bases, int viewers, int seconds, long seed) throws InterruptedException {
    PageViewers test = new PageViewers(bases);
    test.run(viewers, seconds, seed);
    Map<String, Long> byStatus = new TreeMap<>();
    test.statuses.forEach((k, v) -> byStatus.put(k, v.sum()));
    Map<String, Long> bySource = new TreeMap<>();
    test.sources.forEach((k, v) -> bySource.put(k, v.sum()));
    long requests = byStatus.values().stream().mapToLong(Long::longValue).sum();
    long non200 = byStatus.entrySet().stream().filter(e -> !e.getKey().startsWith("200 "))
        .mapToLong(Map.Entry::getValue).sum();
    return new Result(requests, non200, bySource, byStatus);
  }

  /**
   * Runs the test.
   *
   * @param args {@code --viewers N --seconds N --rate-limit N --seed N}
   * @throws Exception if the services cannot start
   */
  public static void main(String[] args) throws Exception {
    int viewers = 50;
    int seconds = 120;
    int rateLimit = 120;
    long seed = 1;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--viewers" -> viewers = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--rate-limit" -> rateLimit = Integer.parseInt(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dataDir = Files.createTempDirectory("page-viewers");
    try (MarketSim sim = MarketSim.builder().rateLimit(rateLimit).start()) {
      DashboardConfig config = DashboardConfig.from(Settings.defaults().with(Map.of(
          "server.port", "0",
          "data.dir", dataDir.toString(),
          "upstream.base-url", sim.baseUrl(),
          "upstream.rate-limit-per-minute", Integer.toString(rateLimit)), "page viewers"));
      try (DashboardApp app = DashboardApp.start(config)) {
        Ready.await(app.url(), Duration.ofSeconds(30));
        PageViewers test = new PageViewers(List.of(app.url()));
        System.err.printf("%d viewers for %d s against %s (simulator %s, rate limit %d/min)%n", viewers, seconds,
            app.url(), sim.baseUrl(), rateLimit);
        long start = System.nanoTime();
        test.run(viewers, seconds, seed);
        double elapsed = (System.nanoTime() - start) / 1e9;
        HttpResponse<String> simStats = test.http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/sim/stats"))
            .build(), HttpResponse.BodyHandlers.ofString());
        long upstreamCalls = sum(simStats.body(), "requests");
        long rateLimited = sum(simStats.body(), "rateLimited");
        boolean ok = test.report(viewers, elapsed, upstreamCalls, rateLimited, rateLimit);
        System.exit(ok ? 0 : 1);
      }
    }
  }

  private void run(int viewers, int seconds, long seed) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int v = 0; v < viewers; v++) {
      long[] mine = new long[1 << 14];
      synchronized (latencies) {
        latencies.add(mine);
      }
      Random random = new Random(seed * 1_000_003L + v);
      URI base = bases.get(v % bases.size());
      Thread t = new Thread(() -> viewer(base, random, mine), "viewer-" + v);
      threads.add(t);
      t.start();
    }
    Thread.sleep(seconds * 1000L);
    running = false;
    for (Thread t : threads) {
      t.join();
    }
  }

  /** One person with the page open. */
  private void viewer(URI base, Random random, long[] mine) {
    viewerBase.set(base);
    List<CompletableFuture<HttpResponse<InputStream>>> events = new ArrayList<>();
    events.add(http.sendAsync(HttpRequest.newBuilder(base.resolve("/api/events"))
        .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream()));
    try {
      page(mine, "/api/health/circuit-breakers");
      page(mine, "/api/health/transitions?limit=50");
      page(mine, "/api/health/sla?window=24h");
      View view = new View(symbol(random), "6M");
      load(view, mine, random);
      while (running) {
        sleep(5_000 + random.nextInt(20_000));
        if (!running) {
          break;
        }
        double action = random.nextDouble();
        if (action < 0.50) {
          refresh(view, mine);
        } else if (action < 0.75) {
          if (!view.expirations.isEmpty()) {
            view.expiration = view.expirations.get(random.nextInt(Math.min(6, view.expirations.size())));
            page(mine, chainPath(view));
          }
        } else if (action < 0.90) {
          view = new View(symbol(random), view.range);
          load(view, mine, random);
        } else {
          view.range = List.of("1M", "3M", "6M", "1Y", "5Y").get(random.nextInt(5));
          page(mine, historyPath(view));
        }
      }
    } finally {
      events.forEach(e -> e.thenAccept(r -> {
        try {
          r.body().close();
        } catch (IOException ignored) {
          // closing the stream ends it
        }
      }));
    }
  }

  /** The dashboard the current viewer thread talks to (and the browser threads it starts). */
  private final ThreadLocal<URI> viewerBase = new ThreadLocal<>();

  /** What one page shows. */
  private static final class View {
    final String symbol;
    String range;
    List<String> expirations = List.of();
    String expiration;

    View(String symbol, String range) {
      this.symbol = symbol;
      this.range = range;
    }
  }

  private void load(View view, long[] mine, Random random) {
    List<CompletableFuture<String>> parts = List.of(
        CompletableFuture.supplyAsync(here(() -> page(mine, "/api/quote/" + view.symbol)), browser),
        CompletableFuture.supplyAsync(here(() -> page(mine, "/api/info/" + view.symbol)), browser),
        CompletableFuture.supplyAsync(here(() -> page(mine, historyPath(view))), browser));
    String expirations = page(mine, "/api/options/" + view.symbol + "/expirations");
    parts.forEach(CompletableFuture::join);
    Matcher m = DATES.matcher(expirations == null ? "" : expirations);
    if (m.find()) {
      view.expirations = Arrays.stream(m.group(1).split(",")).map(s -> s.replace("\"", "")).toList();
      view.expiration = view.expirations.get(0);
      page(mine, chainPath(view));
    }
  }

  private void refresh(View view, long[] mine) {
    List<CompletableFuture<String>> parts = new ArrayList<>();
    for (String path : List.of("/api/quote/" + view.symbol, "/api/info/" + view.symbol, historyPath(view),
        "/api/options/" + view.symbol + "/expirations")) {
      parts.add(CompletableFuture.supplyAsync(here(() -> page(mine, path)), browser));
    }
    if (view.expiration != null) {
      parts.add(CompletableFuture.supplyAsync(here(() -> page(mine, chainPath(view))), browser));
    }
    parts.forEach(CompletableFuture::join);
  }

  /** The supplier, run on a browser thread, talking to the calling viewer's dashboard. */
  private <T> java.util.function.Supplier<T> here(java.util.function.Supplier<T> s) {
    URI b = viewerBase.get();
    return () -> {
      viewerBase.set(b);
      return s.get();
    };
  }

  private static String historyPath(View view) {
    Object[] r = RANGES.get(view.range);
    LocalDate start = LocalDate.now(ZoneOffset.UTC).minusDays((Integer) r[0]);
    return "/api/history/" + view.symbol + "?interval=" + r[1] + "&start=" + start;
  }

  private static String chainPath(View view) {
    return "/api/options/" + view.symbol + "?expiration=" + view.expiration;
  }

  private static String symbol(Random random) {
    double total = 0;
    for (int i = 1; i <= SYMBOLS.size(); i++) {
      total += 1.0 / i;
    }
    double x = random.nextDouble() * total;
    for (int i = 1; i <= SYMBOLS.size(); i++) {
      x -= 1.0 / i;
      if (x <= 0) {
        return SYMBOLS.get(i - 1);
      }
    }
    return SYMBOLS.get(0);
  }

  /** One request of the page; records status, source and latency; returns the body. */
  private String page(long[] mine, String path) {
    long begin = System.nanoTime();
    HttpResponse<String> r = get(path);
    long micros = (System.nanoTime() - begin) / 1_000;
    String route = route(path);
    int status = r == null ? -1 : r.statusCode();
    statuses.computeIfAbsent(status + " " + route, k -> new LongAdder()).increment();
    if (r != null && r.body().startsWith("{\"source\":\"")) {
      String source = r.body().substring(11, r.body().indexOf('"', 11));
      sources.computeIfAbsent(source, k -> new LongAdder()).increment();
    }
    synchronized (mine) {
      int n = (int) mine[0] + 1;
      if (n < mine.length) {
        mine[n] = micros;
        mine[0] = n;
      }
    }
    return r == null ? null : r.body();
  }

  private HttpResponse<String> get(String path) {
    try {
      return http.send(HttpRequest.newBuilder(viewerBase.get().resolve(path)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static String route(String path) {
    String p = path.replaceAll("\\?.*", "");
    if (p.startsWith("/api/options/") && p.endsWith("/expirations")) {
      return "expirations";
    }
    if (p.startsWith("/api/options/")) {
      return "chain";
    }
    if (p.startsWith("/api/health/")) {
      return p.substring("/api/health/".length());
    }
    return p.replaceAll("^/api/([a-z]+)/.*", "$1");
  }

  private static long sum(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
    long total = 0;
    while (m.find()) {
      total += Long.parseLong(m.group(1));
    }
    return total;
  }

  private boolean report(int viewers, double seconds, long upstreamCalls, long rateLimited, int rateLimit) {
    long requests = statuses.values().stream().mapToLong(LongAdder::sum).sum();
    long non200 = statuses.entrySet().stream().filter(e -> !e.getKey().startsWith("200 "))
        .mapToLong(e -> e.getValue().sum()).sum();
    List<Long> all = new ArrayList<>();
    synchronized (latencies) {
      for (long[] l : latencies) {
        synchronized (l) {
          for (int i = 1; i <= l[0]; i++) {
            all.add(l[i]);
          }
        }
      }
    }
    all.sort(null);
    Map<String, Long> byStatus = new TreeMap<>();
    statuses.forEach((k, v) -> byStatus.put(k, v.sum()));
    Map<String, Long> bySource = new TreeMap<>();
    sources.forEach((k, v) -> bySource.put(k, v.sum()));
    System.out.println();
    System.out.printf("%d page viewers for %.0f s; simulator enforcing %d requests/min; dashboard budget %d/min%n%n",
        viewers, seconds, rateLimit, rateLimit);
    System.out.println("| requests | non-200 | data answers by source | upstream calls | upstream calls/min "
        + "| upstream 429s | p50 (ms) | p99 (ms) | max (ms) |");
    System.out.println("|---:|---:|---|---:|---:|---:|---:|---:|---:|");
    System.out.printf("| %d | %d | %s | %d | %.1f | %d | %.1f | %.1f | %.1f |%n", requests, non200, bySource,
        upstreamCalls, upstreamCalls / (seconds / 60.0), rateLimited, pct(all, 50), pct(all, 99), pct(all, 100));
    System.out.println();
    System.out.println("Statuses by route: " + byStatus);
    boolean ok = non200 == 0 && rateLimited == 0;
    System.out.println(ok ? "PASS: only 200s, no upstream 429" : "FAIL: see the statuses and 429s above");
    return ok;
  }

  private static double pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1000.0;
  }

  /** A person's pause, cut short when the test ends. */
  private void sleep(long millis) {
    long end = System.nanoTime() + millis * 1_000_000L;
    try {
      while (running && end - System.nanoTime() > 0) {
        Thread.sleep(Math.min(200, Math.max(1, (end - System.nanoTime()) / 1_000_000L)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
