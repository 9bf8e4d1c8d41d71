package dev.optionchain.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
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
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A slowloris check of the dashboard: attacker processes hold thousands of connections to its main port, each
 * sending a request line and then one header line every few seconds (reconnecting whenever the server drops one),
 * while this process probes {@code GET /health/live} on a fresh connection every 250 ms, as a Kubernetes liveness
 * probe with a 1 s timeout would: on the main port, and on the management listener when there is one. Prints the
 * probes of each port on their own row, the server's open connections and file handles, and how many drip-feeders it
 * shed for prompt clients or cut at the read deadline, as Markdown.
 *
 * <p>The service runs as its own process ({@code dashboard.jar}, started here with its default settings, plus
 * {@code management.port=0} with {@code --management on}, unless {@code --set} says otherwise) and the attackers in
 * separate processes, {@code --processes} of them, because one process cannot hold 20,000 sockets under a 20,000
 * file-handle limit.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.optionchain.benchmarks.load.DripFeedCheck \
 *     [--connections 20000] [--processes 2] [--seconds 60] [--drip 3s] [--management off|on] \
 *     [--jar dashboard/target/dashboard.jar] [--set key=value ...]   # e.g. --set server.max-connections=2000
 * </pre>
 */
public final class DripFeedCheck {

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  private DripFeedCheck() {}

  /**
   * Runs the check.
   *
   * @param args the options above
   * @throws Exception if the service or an attacker cannot be started
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> o = ServiceProcess.options(args);
    int connections = Integer.parseInt(o.getOrDefault("connections", "20000"));
    int processes = Integer.parseInt(o.getOrDefault("processes", "2"));
    int seconds = Integer.parseInt(o.getOrDefault("seconds", "60"));
    Duration drip = ServiceProcess.duration(o.getOrDefault("drip", "3s"));
    boolean management = o.getOrDefault("management", "off").equals("on");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");

    List<String> sets = new ArrayList<>(management ? List.of("management.port=0") : List.of());
    sets.addAll(ServiceProcess.all(o, "set"));
    List<Process> attackers = new ArrayList<>();
    try (ServiceProcess service = ServiceProcess.start("drip-feed", o.getOrDefault("jar",
        "dashboard/target/dashboard.jar"), sets)) {
      System.out.printf("service pid %d: main port %d, management listener %s%n", service.pid(), service.port(),
          service.managementPort().map(String::valueOf).orElse("none"));
      int each = (connections + processes - 1) / processes;
      for (int i = 0; i < processes; i++) {
        Process a = new ProcessBuilder(java, "-Xmx256m", "-cp", classpath, Attacker.class.getName(),
            Integer.toString(service.port()), Integer.toString(Math.min(each, connections - i * each)),
            Long.toString(drip.toMillis())).redirectErrorStream(true).start();
        attackers.add(a);
      }
      Map<Process, String> attackerStats = new ConcurrentHashMap<>();
      for (Process a : attackers) {
        drain(a, line -> attackerStats.put(a, line));
      }
      Result r = probe(service, seconds, attackerStats);
      r.print(connections, processes, drip, seconds);
    } finally {
      for (Process a : attackers) {
        a.destroy();
      }
    }
  }

  /** What the probes and samples saw. */
  private static final class Result {
    LivenessProbe main;
    LivenessProbe management;
    long maxServerConnections;
    long maxServerFiles;
    long cut;
    long shed;
    int missedSamples;
    String attackers = "";

    void print(int connections, int processes, Duration drip, int seconds) {
      System.out.println();
      System.out.printf("%d drip-fed connections from %d processes (one header line every %d ms), %d s%n%n",
          connections, processes, drip.toMillis(), seconds);
      System.out.println(LivenessProbe.header(PROBE_TIMEOUT));
      System.out.println(main.row("main port", PROBE_TIMEOUT));
      if (management != null) {
        System.out.println(management.row("management listener", PROBE_TIMEOUT));
      }
      System.out.println();
      System.out.println("failed probes, by what failed: main port " + main.failures() + (management == null ? ""
          : ", management listener " + management.failures()));
      System.out.printf("service: at most %d connections open on the main port, at most %d file handles, %d "
          + "drip-feeders shed for newer connections, %d cut by the read deadline (%d samples of /metrics missed)%n",
          maxServerConnections, maxServerFiles, shed, cut, missedSamples);
      System.out.println("attackers (last report of each): " + attackers);
    }
  }

  /**
   * Probes each port every 250 ms, each on its own thread, and samples the service every second (its metrics on the
   * management listener when there is one, else on the main port).
   */
  private static Result probe(ServiceProcess service, int seconds, Map<Process, String> attackerStats)
      throws InterruptedException {
    Result r = new Result();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    r.main = new LivenessProbe(service.port(), Duration.ofMillis(250), PROBE_TIMEOUT).start("main-probe", end);
    service.managementPort().ifPresent(p -> r.management = new LivenessProbe(p, Duration.ofMillis(250),
        PROBE_TIMEOUT).start("management-probe", end));
    HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
    int metricsPort = service.managementPort().orElse(service.port());
    while (System.nanoTime() < end) {
      sample(http, metricsPort, r);
      r.maxServerFiles = Math.max(r.maxServerFiles, openFiles(service.pid()));
      r.attackers = attackerStats.values().toString();
      TimeUnit.SECONDS.sleep(1);
    }
    r.main.await();
    if (r.management != null) {
      r.management.await();
    }
    return r;
  }

  private static void sample(HttpClient http, int port, Result r) {
    try {
      String metrics = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
          .timeout(PROBE_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body();
      for (String line : metrics.split("\n")) {
        if (line.startsWith("http_server_connections ")) {
          r.maxServerConnections = Math.max(r.maxServerConnections, (long) value(line));
        } else if (line.startsWith("http_server_requests_cut_total ")) {
          r.cut = (long) value(line);
        } else if (line.startsWith("http_server_connections_shed_total ")) {
          r.shed = (long) value(line);
        }
      }
    } catch (IOException | InterruptedException e) {
      r.missedSamples++; // the probes count the failures that matter
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
