package dev.optionchain.benchmarks;

import dev.failsafe.FailsafeExecutor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What a call through each breaker costs on the threads users have today: a new (virtual) thread per call, and many
 * live threads. Not JMH: JMH reuses a few long-lived threads, which is exactly what this measures the absence of.
 *
 * <ul>
 *   <li><b>churn</b>: every call runs on a new thread, and about {@code --alive} (1,000) threads are alive at any
 *       moment: thread i makes its call, then lives until thread i + alive has made its own.
 *   <li><b>steady</b>: {@code --threads} (10,000) threads are started, released together, and each makes
 *       {@code --per-thread} calls in a row.
 * </ul>
 *
 * The time of each call is read inside the thread, around the call only ({@code System.nanoTime()} before and after,
 * whose own cost is in every row, the bare call's included), and every subject runs in the same JVM, in rotating
 * order, round after round: the bare supplier, our breaker, Resilience4j and Failsafe, configured as in the JMH suite
 * ({@link Breakers}). Virtual threads need Java 21 or later (run it on the Temurin 25 JDK); on an older JDK it uses
 * platform threads and says so. The library itself stays {@code --release 17}.
 *
 * <pre>
 * JAVA25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
 * $JAVA25 -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar dev.optionchain.benchmarks.ThreadChurn   # both modes
 * $JAVA25 -cp benchmarks/target/benchmarks.jar dev.optionchain.benchmarks.ThreadChurn --smoke         # seconds, CI
 * </pre>
 *
 * Options: {@code --mode churn|steady|both}, {@code --calls N} (churn, per subject and round), {@code --alive N},
 * {@code --threads N} and {@code --per-thread N} (steady), {@code --warmup N} and {@code --rounds N} (rounds),
 * {@code --platform} (platform threads even where virtual ones exist), {@code --alternatives} (adds benchmark-local
 * copies of our CLOSED path counting with a {@code LongAdder}, with thread-id stripes always incremented atomically,
 * and with owned stripes as the library does: the designs compared in {@code docs/benchmarks.md}), {@code --smoke}. Exits with status 1 if a
 * call fails or a breaker leaves CLOSED; the targets of issue 9 are printed, not enforced.
 */
public final class ThreadChurn {

  /** A breaker (or none) around the protected function. */
  interface Subject {
    Object call(Upstream.Constant fn) throws Throwable;
  }

  private final Map<String, Subject> subjects = new LinkedHashMap<>();
  private final Map<String, Histogram> churn = new LinkedHashMap<>();
  private final Map<String, Histogram> steady = new LinkedHashMap<>();
  private final Upstream.Constant fn = new Upstream().ok;
  private final dev.optionchain.breaker.CircuitBreaker ours = Breakers.oursConsecutive();
  private final io.github.resilience4j.circuitbreaker.CircuitBreaker r4j = Breakers.r4jDefault();
  private final dev.failsafe.CircuitBreaker<Object> failsafeBreaker = Breakers.failsafeDefault(null);
  private final ThreadStarter starter;
  private volatile Object sink;

  private ThreadChurn(boolean platform, boolean alternatives) throws Exception {
    FailsafeExecutor<Object> failsafe = Breakers.executor(failsafeBreaker);
    subjects.put("bare supplier", f -> f.get());
    subjects.put("ours", ours::call);
    subjects.put("Resilience4j 2.4.0", r4j::executeSupplier);
    subjects.put("Failsafe 3.3.2", failsafe::get);
    if (alternatives) {
      HotPath.Breaker copy = new HotPath.Breaker();
      subjects.put("alt: path copy + LongAdder", f -> HotPath.longAdderPath(copy, f));
      subjects.put("alt: path copy + striped atomics", f -> HotPath.stripedAtomicPath(copy, f));
      subjects.put("alt: path copy + owned stripes", f -> HotPath.ownedStripePath(copy, f));
    }
    for (String name : subjects.keySet()) {
      churn.put(name, new Histogram(3));
      steady.put(name, new Histogram(3));
    }
    this.starter = ThreadStarter.create(platform);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    boolean smoke = o.containsKey("smoke");
    String mode = o.getOrDefault("mode", "both");
    int calls = Integer.parseInt(o.getOrDefault("calls", smoke ? "5000" : "200000"));
    int alive = Integer.parseInt(o.getOrDefault("alive", smoke ? "200" : "1000"));
    int threads = Integer.parseInt(o.getOrDefault("threads", smoke ? "1000" : "10000"));
    int perThread = Integer.parseInt(o.getOrDefault("per-thread", smoke ? "5" : "20"));
    int warmup = Integer.parseInt(o.getOrDefault("warmup", smoke ? "1" : "3"));
    int rounds = Integer.parseInt(o.getOrDefault("rounds", smoke ? "1" : "5"));

    ThreadChurn bench = new ThreadChurn(o.containsKey("platform"), o.containsKey("alternatives"));
    System.out.printf("java %s (%s), %d cpus, %s threads, load %s%n", Runtime.version(),
        System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(), bench.starter.kind(),
        load());
    System.out.printf("churn: %,d calls per subject and round, ~%,d threads alive; steady: %,d live threads x %,d "
        + "calls; %d warm-up + %d measured rounds%n", calls, alive, threads, perThread, warmup, rounds);
    long start = System.nanoTime();
    List<String> order = new ArrayList<>(bench.subjects.keySet());
    for (int round = 0; round < warmup + rounds; round++) {
      boolean measured = round >= warmup;
      for (int i = 0; i < order.size(); i++) {
        String name = order.get((i + round) % order.size());
        if (!mode.equals("steady")) {
          bench.churn(name, calls, alive, measured ? bench.churn.get(name) : null);
        }
        if (!mode.equals("churn")) {
          bench.steady(name, threads, perThread, measured ? bench.steady.get(name) : null);
        }
      }
    }
    if (!mode.equals("steady")) {
      report("a new thread per call, ~" + alive + " alive", bench.churn);
    }
    if (!mode.equals("churn")) {
      report(threads + " live threads, " + perThread + " calls each", bench.steady);
    }
    Breakers.requireClosed("ours", bench.ours);
    Breakers.requireClosed("Resilience4j", bench.r4j);
    Breakers.requireClosed("Failsafe", bench.failsafeBreaker);
    System.out.printf("wall time %d s, load after %s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
        load());
  }

  /** Churn: a new thread per call; thread i lives until thread i + alive has made its call. */
  private void churn(String name, int calls, int alive, Histogram into) throws Exception {
    Subject subject = subjects.get(name);
    long[] samples = new long[calls];
    CountDownLatch[] called = new CountDownLatch[calls];
    for (int i = 0; i < calls; i++) {
      called[i] = new CountDownLatch(1);
    }
    Semaphore live = new Semaphore(2 * alive);
    CountDownLatch finished = new CountDownLatch(calls);
    Throwable[] failure = new Throwable[1];
    System.gc();
    for (int i = 0; i < calls; i++) {
      int n = i;
      live.acquire();
      starter.start(() -> {
        try {
          long t0 = System.nanoTime();
          Object result = subject.call(fn);
          long t1 = System.nanoTime();
          samples[n] = t1 - t0;
          sink = result;
          called[n].countDown();
          if (n + alive < calls) {
            called[n + alive].await();
          }
        } catch (Throwable t) {
          failure[0] = t;
        } finally {
          finished.countDown();
          live.release();
        }
      });
    }
    finished.await();
    check(name, failure[0]);
    if (into != null) {
      for (long sample : samples) {
        into.recordValue(Math.max(0L, sample));
      }
    }
  }

  /** Steady state: {@code threads} threads, released together, each making {@code perThread} calls. */
  private void steady(String name, int threads, int perThread, Histogram into) throws Exception {
    Subject subject = subjects.get(name);
    long[] samples = new long[threads * perThread];
    CountDownLatch started = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(threads);
    Throwable[] failure = new Throwable[1];
    System.gc();
    for (int i = 0; i < threads; i++) {
      int base = i * perThread;
      starter.start(() -> {
        try {
          started.countDown();
          go.await();
          for (int k = 0; k < perThread; k++) {
            long t0 = System.nanoTime();
            Object result = subject.call(fn);
            long t1 = System.nanoTime();
            samples[base + k] = t1 - t0;
            sink = result;
          }
        } catch (Throwable t) {
          failure[0] = t;
        } finally {
          finished.countDown();
        }
      });
    }
    started.await();
    go.countDown();
    finished.await();
    check(name, failure[0]);
    if (into != null) {
      for (long sample : samples) {
        into.recordValue(Math.max(0L, sample));
      }
    }
  }

  private static void check(String name, Throwable failure) {
    if (failure != null) {
      System.err.println(name + ": a call failed: " + failure);
      failure.printStackTrace();
      System.exit(1);
    }
  }

  private static void report(String title, Map<String, Histogram> results) {
    System.out.printf("%n### %s%n%n", title);
    System.out.println("| | calls | mean (ns) | p50 (ns) | p99 (ns) | p99.9 (ns) | max (ns) |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    for (Map.Entry<String, Histogram> e : results.entrySet()) {
      Histogram h = e.getValue();
      System.out.printf(Locale.ROOT, "| %s | %,d | %,.0f | %,d | %,d | %,d | %,d |%n", e.getKey(), h.getTotalCount(),
          h.getMean(), h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
          h.getMaxValue());
    }
    Histogram bare = results.get("bare supplier");
    Histogram ours = results.get("ours");
    Histogram r4j = results.get("Resilience4j 2.4.0");
    System.out.printf(Locale.ROOT, "%ntargets: mean <= R4j/5: %s (%.0f vs %.0f); p99 <= R4j's: %s (%d vs %d); "
            + "mean <= 4 x bare: %s (%.0f vs %.0f)%n",
        ours.getMean() <= r4j.getMean() / 5 ? "met" : "MISSED", ours.getMean(), r4j.getMean() / 5,
        ours.getValueAtPercentile(99) <= r4j.getValueAtPercentile(99) ? "met" : "MISSED",
        ours.getValueAtPercentile(99), r4j.getValueAtPercentile(99),
        ours.getMean() <= 4 * bare.getMean() ? "met" : "MISSED", ours.getMean(), 4 * bare.getMean());
  }

  private static String load() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return load < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", load);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      String key = args[i].substring(2);
      if (key.equals("smoke") || key.equals("platform") || key.equals("alternatives")) {
        o.put(key, "true");
      } else if (i + 1 < args.length) {
        o.put(key, args[++i]);
      } else {
        throw new IllegalArgumentException("--" + key + " needs a value");
      }
    }
    return o;
  }

  /** Starts each task on a new thread: virtual where the JDK has them (21+), platform otherwise. */
  interface ThreadStarter {
    void start(Runnable task) throws Exception;

    String kind();

    static ThreadStarter create(boolean platform) throws Exception {
      if (!platform && Runtime.version().feature() >= 21) {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Class<?> builderType = Class.forName("java.lang.Thread$Builder");
        MethodHandle start = MethodHandles.publicLookup()
            .findVirtual(builderType, "start", MethodType.methodType(Thread.class, Runnable.class))
            .bindTo(builder);
        return new ThreadStarter() {
          @Override
          public void start(Runnable task) throws Exception {
            try {
              Thread unused = (Thread) start.invokeExact(task);
            } catch (Exception | Error e) {
              throw e;
            } catch (Throwable t) {
              throw new IllegalStateException(t);
            }
          }

          @Override
          public String kind() {
            return "virtual";
          }
        };
      }
      return new ThreadStarter() {
        @Override
        public void start(Runnable task) {
          Thread t = new Thread(task);
          t.setDaemon(true);
          t.start();
        }

        @Override
        public String kind() {
          return "platform (virtual threads need Java 21+)";
        }
      };
    }
  }
}
