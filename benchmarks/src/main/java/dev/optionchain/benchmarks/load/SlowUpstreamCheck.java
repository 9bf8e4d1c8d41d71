package dev.optionchain.benchmarks.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 11's slow upstream: the embedded simulator answers quotes after {@code --latency} (2.5 s; the quote timeout is
 * 3 s) while {@code --clients} clients (300) each keep one quote request waiting, for symbols of the simulator's
 * universe, on keep-alive connections, asking again {@code --think} after each answer (0: at once, so 300 requests
 * are always outstanding); meanwhile {@code GET /health/live} is probed every 250 ms on a fresh connection, on the
 * main port and on the management listener when one is configured. Prints, as Markdown: the probes' latencies
 * against the 100 ms target, the clients' answers by status, source and reason with their latencies, the breakers
 * that opened, and the service's most JVM threads, requests waiting for quotes and upstream quote calls.
 *
 * <p>The service runs as its own process ({@code --jar}, default {@code dashboard/target/dashboard.jar}, with its
 * default settings plus any {@code --set key=value}); give the jar of an earlier build to compare in the same
 * conditions. The clients are one thread with non-blocking sockets, so that the load generator takes little of the
 * CPU the service needs. The symbols' quotes are fetched once before the latency is injected, so the cache has them.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.optionchain.benchmarks.load.SlowUpstreamCheck \
 *     [--clients 300] [--seconds 60] [--latency 2500ms] [--think 0ms] [--symbols 12] \
 *     [--jar dashboard/target/dashboard.jar] [--set key=value ...]    # e.g. --set management.port=0
 * </pre>
 */
public final class SlowUpstreamCheck {

  private static final Pattern SYMBOLS = Pattern.compile("\"symbol\":\"([A-Z0-9.\\-]+)\"");
  private static final Pattern SOURCE = Pattern.compile("\"source\":\"(\\w+)\"");
  private static final Pattern REASON = Pattern.compile("\"reason\":\"(\\w+)\"");
  private static final Pattern OPEN = Pattern.compile("circuitbreaker_state\\{name=\"(\\w+)\",state=\"open\"} 1");
  private static final Duration TARGET = Duration.ofMillis(100);

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private long maxThreads;
  private long maxWaiting;
  private final Set<String> opened = new TreeSet<>();

  private SlowUpstreamCheck(URI base) {
    this.base = base;
  }

  /**
   * Runs the check.
   *
   * @param args the options above
   * @throws Exception if the service cannot be started or set up
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> o = ServiceProcess.options(args);
    int clients = Integer.parseInt(o.getOrDefault("clients", "300"));
    int seconds = Integer.parseInt(o.getOrDefault("seconds", "60"));
    Duration latency = ServiceProcess.duration(o.getOrDefault("latency", "2500ms"));
    Duration think = ServiceProcess.duration(o.getOrDefault("think", "0ms"));
    int symbolCount = Integer.parseInt(o.getOrDefault("symbols", "12"));
    try (ServiceProcess service = ServiceProcess.start("slow-upstream",
        o.getOrDefault("jar", "dashboard/target/dashboard.jar"), ServiceProcess.all(o, "set"))) {
      SlowUpstreamCheck check = new SlowUpstreamCheck(URI.create("http://localhost:" + service.port()));
      List<String> symbols = check.symbols(symbolCount);
      for (String symbol : symbols) {
        check.get("/api/quote/" + symbol);
      }
      long quoteCallsBefore = check.quoteCalls();
      HttpResponse<String> fault = check.http.send(HttpRequest.newBuilder(check.base.resolve("/api/sim/faults"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
              "{\"endpoint\":\"quotes\",\"mode\":\"latency\",\"latencyMs\":" + latency.toMillis() + "}")).build(),
          HttpResponse.BodyHandlers.ofString());
      if (fault.statusCode() != 200) {
        throw new IllegalStateException("cannot inject the latency: " + fault.statusCode() + " " + fault.body());
      }
      System.out.printf("service pid %d on port %d (management listener %s): %d clients (think %d ms), %d symbols, "
          + "quotes %d ms late, %d s%n", service.pid(), service.port(),
          service.managementPort().map(String::valueOf).orElse("none"), clients, think.toMillis(), symbols.size(),
          latency.toMillis(), seconds);
      OptionalLong overflowsBefore = ListenQueue.overflows();
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      List<String> paths = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        paths.add("/api/quote/" + symbols.get(c % symbols.size()));
      }
      KeepAliveClients load = new KeepAliveClients(service.port(), paths, think);
      Thread loader = new Thread(() -> load.run(end), "clients");
      loader.start();
      LivenessProbe main = new LivenessProbe(service.port(), Duration.ofMillis(250), Duration.ofSeconds(10))
          .start("probe", end);
      LivenessProbe management = service.managementPort().map(p -> new LivenessProbe(p, Duration.ofMillis(250),
          Duration.ofSeconds(10)).start("management-probe", end)).orElse(null);
      while (System.nanoTime() < end) {
        check.sample();
        TimeUnit.SECONDS.sleep(1);
      }
      main.await();
      if (management != null) {
        management.await();
      }
      loader.join();
      double elapsed = (System.nanoTime() - start) / 1e9;
      System.out.println();
      System.out.println(LivenessProbe.header(TARGET));
      System.out.println(main.row("main port", TARGET));
      if (management != null) {
        System.out.println(management.row("management listener", TARGET));
      }
      main.slow().forEach(line -> System.out.println("slow probe, main port, " + line));
      if (management != null) {
        management.slow().forEach(line -> System.out.println("slow probe, management listener, " + line));
      }
      System.out.println(ListenQueue.since(overflowsBefore));
      System.out.println();
      System.out.println(load.report(elapsed));
      System.out.printf("service: at most %d JVM threads, at most %d requests waiting for quotes; %d upstream quote "
          + "calls in %.0f s; breakers seen OPEN: %s%n", check.maxThreads, check.maxWaiting,
          check.quoteCalls() - quoteCallsBefore, elapsed, check.opened.isEmpty() ? "none"
              : String.join(", ", check.opened));
    }
  }

  /** Reads the service's metrics (missing ones, as in a build before the bulkheads, stay 0). */
  private void sample() {
    try {
      String metrics = get("/metrics");
      for (String line : metrics.split("\n")) {
        if (line.startsWith("jvm_threads_live_threads ")) {
          maxThreads = Math.max(maxThreads, (long) value(line));
        } else if (line.startsWith("market_bulkhead_waiting_current_price ")) {
          maxWaiting = Math.max(maxWaiting, (long) value(line));
        }
        Matcher m = OPEN.matcher(line);
        if (m.find()) {
          opened.add(m.group(1));
        }
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      // a missed sample: the probes count what matters
    }
  }

  private List<String> symbols(int n) throws IOException, InterruptedException {
    List<String> out = new ArrayList<>();
    Matcher m = SYMBOLS.matcher(get("/api/sim/universe"));
    while (m.find() && out.size() < n) {
      if (!out.contains(m.group(1))) {
        out.add(m.group(1));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("the simulator lists no symbols");
    }
    return out;
  }

  private long quoteCalls() throws IOException, InterruptedException {
    Matcher m = Pattern.compile("\"quotes\":\\{\"requests\":(\\d+)").matcher(get("/api/sim/stats"));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private String get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  /**
   * The clients: one keep-alive connection each, one request outstanding each, on one thread with non-blocking
   * sockets. An answer is classified by its status and by the {@code source} and {@code reason} of its JSON; a
   * connection the server closes is reopened.
   */
  static final class KeepAliveClients {

    private final InetSocketAddress address;
    private final List<String> paths;
    private final long thinkNanos;
    private final Map<String, List<Long>> answers = new TreeMap<>();

    /** One client's connection. */
    private static final class Client {
      final String path;
      final ByteArrayOutputStream in = new ByteArrayOutputStream();
      ByteBuffer out;
      long sentAt;
      long nextAt;

      Client(String path) {
        this.path = path;
      }
    }

    KeepAliveClients(int port, List<String> paths, Duration think) {
      this.address = new InetSocketAddress("127.0.0.1", port);
      this.paths = paths;
      this.thinkNanos = think.toNanos();
    }

    void run(long end) {
      byte[] chunk = new byte[16384];
      ByteBuffer buffer = ByteBuffer.wrap(chunk);
      List<SelectionKey> thinking = new ArrayList<>();
      try (Selector selector = Selector.open()) {
        for (String path : paths) {
          open(selector, new Client(path));
        }
        while (System.nanoTime() < end) {
          selector.select(5);
          long now = System.nanoTime();
          for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            Client c = (Client) key.attachment();
            SocketChannel ch = (SocketChannel) key.channel();
            try {
              if (key.isConnectable()) {
                ch.finishConnect();
                send(key, c, now);
              } else if (key.isWritable()) {
                ch.write(c.out);
                if (!c.out.hasRemaining()) {
                  key.interestOps(SelectionKey.OP_READ);
                }
              } else if (key.isReadable()) {
                buffer.clear();
                int n = ch.read(buffer);
                if (n < 0) {
                  throw new IOException("closed by the server");
                }
                c.in.write(chunk, 0, n);
                String kind = complete(c.in.toByteArray());
                if (kind != null) {
                  record(kind, now - c.sentAt);
                  c.in.reset();
                  c.nextAt = now + thinkNanos;
                  if (thinkNanos == 0) {
                    send(key, c, now);
                  } else {
                    key.interestOps(0);
                    thinking.add(key);
                  }
                }
              }
            } catch (IOException e) {
              record("connection " + e.getMessage(), now - c.sentAt);
              key.cancel();
              close(ch);
              open(selector, new Client(c.path));
            }
          }
          for (Iterator<SelectionKey> it = thinking.iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            Client c = (Client) key.attachment();
            if (now - c.nextAt >= 0) {
              it.remove();
              try {
                send(key, c, now);
              } catch (IOException e) {
                record("connection " + e.getMessage(), 0);
                key.cancel();
                close((SocketChannel) key.channel());
                open(selector, new Client(c.path));
              }
            }
          }
        }
        for (SelectionKey key : selector.keys()) {
          close((SocketChannel) key.channel());
        }
      } catch (IOException e) {
        throw new IllegalStateException("the clients' selector failed", e);
      }
    }

    private void open(Selector selector, Client c) throws IOException {
      SocketChannel ch = SocketChannel.open();
      ch.configureBlocking(false);
      ch.connect(address);
      ch.register(selector, SelectionKey.OP_CONNECT, c);
    }

    private static void send(SelectionKey key, Client c, long now) throws IOException {
      c.out = ByteBuffer.wrap(("GET " + c.path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      c.sentAt = now;
      ((SocketChannel) key.channel()).write(c.out);
      key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    /** The answer's kind when {@code bytes} hold a whole response (headers and Content-Length body), else null. */
    private static String complete(byte[] bytes) {
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      int head = text.indexOf("\r\n\r\n");
      if (head < 0) {
        return null;
      }
      Matcher length = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(text.substring(0, head));
      if (!length.find() || bytes.length < head + 4 + Integer.parseInt(length.group(1))) {
        return null;
      }
      String body = text.substring(head + 4);
      return (text.substring(9, 12) + " " + first(SOURCE, body) + " " + first(REASON, body)).trim();
    }

    private void record(String kind, long nanos) {
      answers.computeIfAbsent(kind, k -> new ArrayList<>()).add(nanos / 1000);
    }

    String report(double seconds) {
      StringBuilder b = new StringBuilder("| clients' answers (status, source, reason) | answers | per second | p50 ms "
          + "| p99 ms |\n|---|---:|---:|---:|---:|\n");
      answers.forEach((kind, micros) -> {
        long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        b.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f |%n", kind, sorted.length,
            sorted.length / seconds, sorted[(int) Math.ceil(0.5 * sorted.length) - 1] / 1000.0,
            sorted[(int) Math.ceil(0.99 * sorted.length) - 1] / 1000.0));
      });
      return b.toString();
    }

    private static void close(SocketChannel ch) {
      try {
        ch.close();
      } catch (IOException e) {
        // gone already
      }
    }

    private static String first(Pattern p, String body) {
      Matcher m = p.matcher(body);
      return m.find() ? m.group(1) : "";
    }
  }
}
