package dev.optionchain.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A slowloris check of the dashboard: attacker processes hold thousands of connections to its main port, each
 * sending a request line and then one header line every few seconds (reconnecting whenever the server drops one),
 * while this process probes {@code GET /health/live} on a fresh connection every 250 ms, on the management listener
 * and on the main port, as a Kubernetes liveness probe with a 1 s timeout would. Prints the probes' latencies and
 * failures, the server's open connections and file handles, and how many connections it cut, as Markdown.
 *
 * <p>The service runs as its own process ({@code dashboard.jar}, started here with {@code management.port=0} unless
 * {@code --url} points at a running one) and the attackers in separate processes, {@code --processes} of them,
 * because one process cannot hold 20,000 sockets under a 20,000 file-handle limit.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.optionchain.benchmarks.load.DripFeedCheck \
 *     [--connections 20000] [--processes 2] [--seconds 60] [--drip 3s] [--jar dashboard/target/dashboard.jar] \
 *     [--set key=value ...]    # passed to the service, e.g. --set server.max-connections=2000
 * </pre>
 */
public final class DripFeedCheck {

  private static final Pattern LISTENING = Pattern.compile("Listening on http://localhost:(\\d+)");
  private static final Pattern MANAGEMENT = Pattern.compile("management listener .* on [^:]+:(\\d+)");
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  private DripFeedCheck() {}

  /**
   * Runs the check.
   *
   * @param args the options above
   * @throws Exception if the service or an attacker cannot be started
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    int connections = Integer.parseInt(o.getOrDefault("connections", "20000"));
    int processes = Integer.parseInt(o.getOrDefault("processes", "2"));
    int seconds = Integer.parseInt(o.getOrDefault("seconds", "60"));
    Duration drip = duration(o.getOrDefault("drip", "3s"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");

    List<String> command = new ArrayList<>(List.of(java, "-jar", o.getOrDefault("jar", "dashboard/target/dashboard.jar"),
        "--port", "0", "--data-dir", Files.createTempDirectory("drip-feed").toString(), "--set", "management.port=0"));
    for (String kv : o.getOrDefault("set", "").split("\u0000")) {
      if (!kv.isEmpty()) {
        command.add("--set");
        command.add(kv);
      }
    }
    Process service = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<Process> attackers = new ArrayList<>();
    try {
      int[] ports = ports(service);
      System.out.printf("service pid %d: main port %d, management port %d%n", service.pid(), ports[0], ports[1]);
      int each = (connections + processes - 1) / processes;
      for (int i = 0; i < processes; i++) {
        Process a = new ProcessBuilder(java, "-Xmx256m", "-cp", classpath, Attacker.class.getName(),
            Integer.toString(ports[0]), Integer.toString(Math.min(each, connections - i * each)),
            Long.toString(drip.toMillis())).redirectErrorStream(true).start();
        attackers.add(a);
      }
      Map<Process, String> attackerStats = new ConcurrentHashMap<>();
      for (Process a : attackers) {
        drain(a, line -> attackerStats.put(a, line));
      }
      Result r = probe(service, ports, seconds, attackerStats);
      r.print(connections, processes, drip, seconds);
    } finally {
      for (Process a : attackers) {
        a.destroy();
      }
      service.destroy();
      if (!service.waitFor(30, TimeUnit.SECONDS)) {
        service.destroyForcibly();
      }
    }
  }

  /** What the probes and samples saw. */
  private static final class Result {
    final List<Long> management = new ArrayList<>();
    final List<Long> main = new ArrayList<>();
    volatile int managementFailed;
    volatile int mainFailed;
    long maxServerConnections;
    long maxServerFiles;
    long cut;
    String attackers = "";

    void print(int connections, int processes, Duration drip, int seconds) {
      System.out.println();
      System.out.printf("%d drip-fed connections from %d processes (one header line every %d ms), %d s%n%n",
          connections, processes, drip.toMillis(), seconds);
      System.out.println("| probe `GET /health/live` (fresh connection, 1 s timeout) | probes | within 1 s | p50 ms "
          + "| p99 ms | max ms |");
      System.out.println("|---|---:|---:|---:|---:|---:|");
      row("management listener", management, managementFailed);
      row("main port", main, mainFailed);
      System.out.println();
      System.out.printf("service: at most %d connections open on the main port, at most %d file handles, %d "
          + "connections cut by the read deadline%n", maxServerConnections, maxServerFiles, cut);
      System.out.println("attackers (last report of each): " + attackers);
    }

    private static void row(String name, List<Long> micros, int failed) {
      long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
      int total = sorted.length + failed;
      System.out.printf(Locale.ROOT, "| %s | %d | %d (%.1f %%) | %s | %s | %s |%n", name, total, sorted.length,
          total == 0 ? 0.0 : 100.0 * sorted.length / total, ms(sorted, 50), ms(sorted, 99),
          sorted.length == 0 ? "-" : String.format(Locale.ROOT, "%.1f", sorted[sorted.length - 1] / 1000.0));
    }

    private static String ms(long[] sorted, double p) {
      if (sorted.length == 0) {
        return "-";
      }
      int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
      return String.format(Locale.ROOT, "%.1f", sorted[Math.max(0, i)] / 1000.0);
    }
  }

  /** Probes both ports every 250 ms, each on its own thread, and samples the service every second. */
  private static Result probe(Process service, int[] ports, int seconds, Map<Process, String> attackerStats)
      throws InterruptedException {
    Result r = new Result();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Thread mainProber = new Thread(() -> probeLoop(ports[0], end, r.main, () -> r.mainFailed++), "main-probe");
    mainProber.start();
    Thread managementProber = new Thread(() -> probeLoop(ports[1], end, r.management, () -> r.managementFailed++),
        "management-probe");
    managementProber.start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
    while (System.nanoTime() < end) {
      sample(http, ports[1], r);
      r.maxServerFiles = Math.max(r.maxServerFiles, openFiles(service.pid()));
      r.attackers = attackerStats.values().toString();
      TimeUnit.SECONDS.sleep(1);
    }
    mainProber.join();
    managementProber.join();
    return r;
  }

  private static void probeLoop(int port, long end, List<Long> ok, Runnable failed) {
    while (System.nanoTime() < end) {
      long started = System.nanoTime();
      long micros = probeOnce(port);
      synchronized (ok) {
        if (micros < 0) {
          failed.run();
        } else {
          ok.add(micros);
        }
      }
      long left = TimeUnit.MILLISECONDS.toNanos(250) - (System.nanoTime() - started);
      if (left > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** One liveness probe on a fresh connection: microseconds to a 200, or -1 past the 1 s timeout or on error. */
  private static long probeOnce(int port) {
    long start = System.nanoTime();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), (int) PROBE_TIMEOUT.toMillis());
      s.setSoTimeout((int) Math.max(1, PROBE_TIMEOUT.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime()
          - start)));
      OutputStream out = s.getOutputStream();
      out.write("GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
      long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
      return status != null && status.startsWith("HTTP/1.1 200") && micros <= PROBE_TIMEOUT.toMillis() * 1000
          ? micros : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  private static void sample(HttpClient http, int managementPort, Result r) {
    try {
      String metrics = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/metrics"))
          .timeout(PROBE_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body();
      for (String line : metrics.split("\n")) {
        if (line.startsWith("http_server_connections ")) {
          r.maxServerConnections = Math.max(r.maxServerConnections, (long) value(line));
        } else if (line.startsWith("http_server_requests_cut_total ")) {
          r.cut = (long) value(line);
        }
      }
    } catch (IOException | InterruptedException e) {
      // a missed sample; the probes count the failures that matter
    }
  }

  private static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  private static long openFiles(long pid) {
    try (var files = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return files.count();
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    }
  }

  /** Reads the service's output until it says where it listens; the rest goes to drip-feed-service.log. */
  private static int[] ports(Process service) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8));
    int main = -1;
    int management = -1;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<String> seen = new ArrayList<>();
    while ((main < 0 || management < 0) && System.nanoTime() < deadline) {
      String line = out.readLine();
      if (line == null) {
        break;
      }
      seen.add(line);
      Matcher l = LISTENING.matcher(line);
      if (l.find()) {
        main = Integer.parseInt(l.group(1));
      }
      Matcher m = MANAGEMENT.matcher(line);
      if (m.find()) {
        management = Integer.parseInt(m.group(1));
      }
    }
    if (main < 0 || management < 0) {
      throw new IllegalStateException("the service did not start: " + seen);
    }
    OutputStream log = Files.newOutputStream(Path.of("drip-feed-service.log"));
    Thread t = new Thread(() -> {
      try (log) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          log.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        // the service stopped; its log is a convenience
      }
    }, "service-output");
    t.setDaemon(true);
    t.start();
    return new int[] {main, management};
  }

  private static void drain(Process p, Consumer<String> lastLine) {
    Thread t = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lastLine.accept(line);
        }
      } catch (IOException e) {
        // the attacker was stopped
      }
    }, "attacker-output");
    t.setDaemon(true);
    t.start();
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new TreeMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unknown argument " + args[i] + " in " + Arrays.toString(args));
      }
      String key = args[i].substring(2);
      o.merge(key, args[i + 1], (a, b) -> a + "\u0000" + b);
    }
    return o;
  }

  private static Duration duration(String v) {
    return v.endsWith("ms") ? Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)))
        : Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
  }

  /**
   * One attacker process: holds {@code connections} connections to {@code 127.0.0.1:port}, each having sent a
   * request line and sending one header line every {@code dripMillis} (with jitter), reopening any the server closes.
   * One thread, non-blocking sockets. Prints its counts every second.
   */
  public static final class Attacker {

    private Attacker() {}

    /**
     * Runs until killed.
     *
     * @param args port, connections, drip interval in milliseconds
     * @throws IOException if the selector cannot be opened
     */
    public static void main(String[] args) throws IOException {
      int port = Integer.parseInt(args[0]);
      int target = Integer.parseInt(args[1]);
      long dripNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[2]));
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
      ByteBuffer start = ByteBuffer.wrap("GET /health/live HTTP/1.1\r\nHost: localhost\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      ByteBuffer line = ByteBuffer.wrap("X-Drip: x\r\n".getBytes(StandardCharsets.US_ASCII));
      ByteBuffer sink = ByteBuffer.allocate(4096);
      SplittableRandom random = new java.util.SplittableRandom(port);
      Map<SocketChannel, Long> nextDrip = new HashMap<>();
      long opened = 0;
      long closedByServer = 0;
      long failedConnects = 0;
      long nextReport = System.nanoTime();
      long nextOpen = System.nanoTime();
      try (Selector selector = Selector.open()) {
        while (true) {
          long now = System.nanoTime();
          int budget = 200; // new connections per 20 ms round: up to 10,000 a second
          while (selector.keys().size() < target && budget-- > 0 && now >= nextOpen) {
            try {
              SocketChannel ch = SocketChannel.open();
              ch.configureBlocking(false);
              ch.connect(address);
              ch.register(selector, SelectionKey.OP_CONNECT);
              opened++;
            } catch (IOException e) {
              failedConnects++;
              nextOpen = now + TimeUnit.MILLISECONDS.toNanos(100); // out of handles or ports: back off
              break;
            }
          }
          selector.select(20);
          for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            SocketChannel ch = (SocketChannel) key.channel();
            try {
              if (key.isConnectable()) {
                ch.finishConnect();
                ch.write(start.duplicate());
                key.interestOps(SelectionKey.OP_READ);
                nextDrip.put(ch, now + (long) (dripNanos * random.nextDouble(0.5, 1.0)));
              } else if (key.isReadable()) {
                sink.clear();
                if (ch.read(sink) < 0) {
                  closedByServer++;
                  close(key, nextDrip);
                }
              }
            } catch (IOException e) {
              if (key.isConnectable()) {
                failedConnects++;
              } else {
                closedByServer++;
              }
              close(key, nextDrip);
            }
          }
          for (Iterator<Map.Entry<SocketChannel, Long>> it = nextDrip.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<SocketChannel, Long> e = it.next();
            if (now - e.getValue() >= 0) {
              try {
                e.getKey().write(line.duplicate());
                e.setValue(now + dripNanos);
              } catch (IOException closed) {
                closedByServer++;
                it.remove();
                SelectionKey key = e.getKey().keyFor(selector);
                if (key != null) {
                  key.cancel();
                }
                closeQuietly(e.getKey());
              }
            }
          }
          if (now >= nextReport) {
            nextReport = now + TimeUnit.SECONDS.toNanos(1);
            System.out.printf("held=%d connecting=%d opened=%d closedByServer=%d failedConnects=%d%n",
                nextDrip.size(), selector.keys().size() - nextDrip.size(), opened, closedByServer, failedConnects);
          }
        }
      }
    }

    private static void close(SelectionKey key, Map<SocketChannel, Long> nextDrip) {
      key.cancel();
      nextDrip.remove((SocketChannel) key.channel());
      closeQuietly((SocketChannel) key.channel());
    }

    private static void closeQuietly(SocketChannel ch) {
      try {
        ch.close();
      } catch (IOException e) {
        // already gone
      }
    }
  }
}
