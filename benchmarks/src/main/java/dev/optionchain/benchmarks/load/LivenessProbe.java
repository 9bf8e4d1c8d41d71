package dev.optionchain.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /health/live} every {@code period} on a fresh connection, as a Kubernetes liveness probe does, on its own
 * thread: records how long each took to a 200, or that it failed (no 200 within {@code timeout}, or an error).
 * Thread-safe to read after {@link #await()}.
 */
final class LivenessProbe {

  /** A probe slower than this is listed by {@link #slow()}: the target of issue 11. */
  static final long SLOW_MICROS = 100_000;

  private final int port;
  private final Duration period;
  private final Duration timeout;
  private final List<Long> micros = new ArrayList<>();
  private final Map<String, Integer> failures = new TreeMap<>();
  /** Probes slower than {@link #SLOW_MICROS}: when, and how long the TCP connect and the whole probe took. */
  private final List<String> slow = new ArrayList<>();
  private int failed;
  private long startedNanos;
  private Thread thread;

  LivenessProbe(int port, Duration period, Duration timeout) {
    this.port = port;
    this.period = period;
    this.timeout = timeout;
  }

  /**
   * Probes until {@code endNanos} ({@link System#nanoTime()}), on a new thread.
   *
   * @param name the thread's name
   * @param endNanos when to stop
   * @return this
   */
  LivenessProbe start(String name, long endNanos) {
    startedNanos = System.nanoTime();
    thread = new Thread(() -> loop(endNanos), name);
    thread.start();
    return this;
  }

  /** Waits for the probing to end. */
  void await() throws InterruptedException {
    thread.join();
  }

  private void loop(long end) {
    while (System.nanoTime() < end) {
      long started = System.nanoTime();
      String[] why = new String[1];
      long[] connected = new long[1];
      long took = once(why, connected);
      synchronized (this) {
        if (took < 0 || took > SLOW_MICROS) {
          slow.add(String.format(Locale.ROOT, "at %.1f s: connect %.1f ms, %s", (started - startedNanos) / 1e9,
              connected[0] / 1000.0, took < 0 ? "failed (" + why[0] + ")" : String.format(Locale.ROOT,
                  "answered in %.1f ms", took / 1000.0)));
        }
        if (took < 0) {
          failed++;
          failures.merge(why[0], 1, Integer::sum);
        } else {
          micros.add(took);
        }
      }
      long left = period.toNanos() - (System.nanoTime() - started);
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

  /**
   * One probe: microseconds to a 200, or -1 past the timeout or on an error, saying which in {@code why[0]}; the
   * microseconds the TCP connect took in {@code connected[0]}.
   */
  private long once(String[] why, long[] connected) {
    long start = System.nanoTime();
    why[0] = "connect";
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
      connected[0] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
      why[0] = "answer";
      s.setSoTimeout((int) Math.max(1, timeout.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime()
          - start)));
      OutputStream out = s.getOutputStream();
      out.write("GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
      long took = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
      if (status == null) {
        why[0] = "closed";
        return -1;
      }
      why[0] = status.startsWith("HTTP/1.1 200") ? "late" : status;
      return status.startsWith("HTTP/1.1 200") && took <= timeout.toNanos() / 1000 ? took : -1;
    } catch (SocketTimeoutException e) {
      why[0] = why[0] + " timed out";
      return -1;
    } catch (IOException e) {
      why[0] = why[0] + " " + e.getClass().getSimpleName();
      return -1;
    }
  }

  /** @return the failed probes by what failed: {@code connect timed out}, {@code answer timed out}, {@code closed} */
  synchronized Map<String, Integer> failures() {
    return new TreeMap<>(failures);
  }

  /**
   * Returns the probes slower than 100 ms, or failed: when each was made and how long its TCP connect took (about
   * 1,000 ms there is a handshake the kernel dropped and the client sent again a second later: the listen queue was
   * full, see {@link ListenQueue}).
   *
   * @return one line each, in order
   */
  synchronized List<String> slow() {
    return new ArrayList<>(slow);
  }

  /** The header of {@link #row}'s table. */
  static String header(Duration within) {
    return "| probe `GET /health/live` (fresh connection) | probes | within " + text(within)
        + " | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|";
  }

  /**
   * Returns one Markdown row: probes, how many answered within {@code within}, percentiles of those that answered.
   *
   * @param name the row's name
   * @param within the target
   * @return the row
   */
  synchronized String row(String name, Duration within) {
    long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
    int total = sorted.length + failed;
    long ok = java.util.Arrays.stream(sorted).filter(m -> m <= within.toNanos() / 1000).count();
    return String.format(Locale.ROOT, "| %s | %d | %d (%.1f %%) | %s | %s | %s |", name, total, ok,
        total == 0 ? 0.0 : 100.0 * ok / total, ms(sorted, 50), ms(sorted, 99),
        sorted.length == 0 ? "-" : String.format(Locale.ROOT, "%.1f", sorted[sorted.length - 1] / 1000.0));
  }

  private static String ms(long[] sorted, double p) {
    if (sorted.length == 0) {
      return "-";
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return String.format(Locale.ROOT, "%.1f", sorted[Math.max(0, i)] / 1000.0);
  }

  private static String text(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
