package dev.optionchain.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Diagnostics, not part of the comparison: a benchmark-local copy of our CLOSED success path, {@code acquire()} +
 * {@code onValue()}, with the per-call success counter swapped, to attribute the cost of {@code CircuitBreaker.call}.
 *
 * <ul>
 *   <li>{@code noCounter}: the state read and the gate, the call, the clear-failures read; no counting at all;
 *   <li>{@code threadLocalCell}: plus the library's counter: a {@link ThreadLocal} lookup of the thread's cell and an
 *       opaque increment (what the first design's {@code CallCounters.success()} did before its own table);
 *   <li>{@code threadLocalPadded}: the same with the cell padded to its own cache lines (no false sharing);
 *   <li>{@code identityTable}: the same cell found in the breaker's own table by the thread's identity hash;
 *   <li>{@code longAdder}: a {@link LongAdder} (striped, but a {@code lock xadd} per call);
 *   <li>{@code sharedAtomic}: one {@link AtomicLong} for all threads (the contended write per success);
 *   <li>{@code stripedAtomic}: cells found by {@code threadId & mask}, always incremented with {@code getAndAdd} (a
 *       {@code LongAdder} indexed by thread id: no registration, a {@code lock xadd} per call);
 *   <li>{@code ownedStripe}: the same cells, but the thread that owns its cell (the first to count there, until it
 *       dies) increments with a plain store; what {@code Counters} (the library's second design) does.
 * </ul>
 *
 * <p>{@code nanoTime} is the price of one {@link System#nanoTime()}, which Resilience4j reads twice per call and
 * which our breaker avoids on the hot path. And the price of false sharing, run at 2 threads: {@code adjacentCells} has each thread count in its own
 * unpadded cell, the two allocated back to back as a GC leaves them after copying them (so they share a cache line);
 * {@code paddedCells} is the same with padded cells.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HotPath {

  private static final VarHandle COUNT;
  private static final VarHandle PADDED_COUNT;

  static {
    try {
      COUNT = MethodHandles.lookup().findVarHandle(Cell.class, "successes", long.class);
      PADDED_COUNT = MethodHandles.lookup().findVarHandle(PaddedCell.class, "successes", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A copy of the CLOSED period's gate fields. */
  static final class Period {
    volatile int consecutiveFailures;
    volatile int admitLimit = 1_000;
  }

  /** One thread's counter, as in the first design's {@code CallCounters.Cell}. */
  static final class Cell {
    final Thread owner;
    long successes;

    Cell(Thread owner) {
      this.owner = owner;
    }
  }

  /** Cache-line padding before the counter (superclass fields are laid out first). */
  @SuppressWarnings("unused")
  static class PadBefore {
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
  }

  /** The counter. */
  static class PaddedValue extends PadBefore {
    long successes;
  }

  /** A cell alone on its cache lines (128 bytes each side: the adjacent-line prefetcher pulls pairs of lines). */
  @SuppressWarnings("unused")
  static final class PaddedCell extends PaddedValue {
    long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16;
  }

  @State(Scope.Benchmark)
  public static class Breaker {
    volatile Period state = new Period();
    final ThreadLocal<Cell> local = ThreadLocal.withInitial(() -> new Cell(Thread.currentThread()));
    final ThreadLocal<PaddedCell> paddedLocal = ThreadLocal.withInitial(PaddedCell::new);
    final AtomicLong shared = new AtomicLong();
    final LongAdder adder = new LongAdder();
    /** Cells indexed by thread id, as in {@code Counters}. */
    final StripeCell[] stripes = {new StripeCell(), new StripeCell(), new StripeCell(), new StripeCell()};
    /** Identity-hash-indexed cells; a slot that is empty or another thread's falls back to the slow path. */
    final Cell[] cells = new Cell[64];

    Period acquire() {
      Period s = state;
      if (s.consecutiveFailures < s.admitLimit) {
        return s;
      }
      throw new IllegalStateException("closed");
    }

    static void clearFailures(Period s) {
      int n = s.consecutiveFailures;
      if (n != 0) {
        s.consecutiveFailures = 0;
      }
    }

    Cell identityCell() {
      Thread t = Thread.currentThread();
      Cell[] table = cells;
      int i = System.identityHashCode(t) & (table.length - 1);
      Cell c = table[i];
      if (c != null && c.owner == t) {
        return c;
      }
      return register(t, i);
    }

    private synchronized Cell register(Thread t, int i) {
      Cell c = cells[i];
      if (c == null || c.owner != t) {
        // the diagnostic runs at most a few threads; a collision simply replaces the slot
        c = new Cell(t);
        cells[i] = c;
      }
      return c;
    }
  }

  /** A stripe: an owner with its plain count and a shared atomic count, 128 bytes of padding around each. */
  @SuppressWarnings("unused")
  static class StripePad {
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
  }

  /** The owned half. */
  static class StripeOwned extends StripePad {
    volatile Thread owner;
    long own;
  }

  /** Padding between the halves. */
  @SuppressWarnings("unused")
  static class StripeMid extends StripeOwned {
    long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16;
  }

  /** The shared half. */
  static class StripeShared extends StripeMid {
    long shared;
  }

  /** A whole stripe. */
  @SuppressWarnings("unused")
  static final class StripeCell extends StripeShared {
    long r01, r02, r03, r04, r05, r06, r07, r08, r09, r10, r11, r12, r13, r14, r15, r16;
  }

  private static final VarHandle OWNER;
  private static final VarHandle OWN;
  private static final VarHandle SHARED;

  static {
    try {
      OWNER = MethodHandles.lookup().findVarHandle(StripeOwned.class, "owner", Thread.class);
      OWN = MethodHandles.lookup().findVarHandle(StripeOwned.class, "own", long.class);
      SHARED = MethodHandles.lookup().findVarHandle(StripeShared.class, "shared", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Two cells per kind, one per thread; allocated back to back. */
  @State(Scope.Benchmark)
  public static class TwoCells {
    final Cell[] adjacent = {new Cell(null), new Cell(null)};
    final PaddedCell[] padded = {new PaddedCell(), new PaddedCell()};
  }

  private static void increment(Cell c) {
    COUNT.setOpaque(c, (long) COUNT.getOpaque(c) + 1L);
  }

  @Benchmark
  public Object noCounter(Breaker b, Upstream u) {
    Period s = b.acquire();
    Object v = u.ok.get();
    Breaker.clearFailures(s);
    return v;
  }

  @Benchmark
  public Object threadLocalCell(Breaker b, Upstream u) {
    Period s = b.acquire();
    Object v = u.ok.get();
    increment(b.local.get());
    Breaker.clearFailures(s);
    return v;
  }

  @Benchmark
  public Object threadLocalPadded(Breaker b, Upstream u) {
    Period s = b.acquire();
    Object v = u.ok.get();
    PaddedCell c = b.paddedLocal.get();
    PADDED_COUNT.setOpaque(c, (long) PADDED_COUNT.getOpaque(c) + 1L);
    Breaker.clearFailures(s);
    return v;
  }

  @Benchmark
  public Object identityTable(Breaker b, Upstream u) {
    Period s = b.acquire();
    Object v = u.ok.get();
    increment(b.identityCell());
    Breaker.clearFailures(s);
    return v;
  }

  @Benchmark
  public Object longAdder(Breaker b, Upstream u) {
    Period s = b.acquire();
    Object v = u.ok.get();
    b.adder.increment();
    Breaker.clearFailures(s);
    return v;
  }

  @Benchmark
  public Object sharedAtomic(Breaker b, Upstream u) {
    Period s = b.acquire();
    Object v = u.ok.get();
    b.shared.getAndIncrement();
    Breaker.clearFailures(s);
    return v;
  }

  /** The CLOSED path with a {@link LongAdder} as its counter; also run by {@link ThreadChurn} {@code --alternatives}. */
  static Object longAdderPath(Breaker b, Upstream.Constant fn) {
    Period s = b.acquire();
    Object v = fn.get();
    b.adder.increment();
    Breaker.clearFailures(s);
    return v;
  }

  /** The CLOSED path with owned stripes (the library's design); also run by {@link ThreadChurn}. */
  static Object ownedStripePath(Breaker b, Upstream.Constant fn) {
    Period s = b.acquire();
    Object v = fn.get();
    Thread t = Thread.currentThread();
    StripeCell c = b.stripes[(int) t.getId() & 3];
    if (c.owner == t) {
      OWN.setOpaque(c, (long) OWN.getOpaque(c) + 1L);
    } else if (c.owner == null && OWNER.compareAndSet(c, null, t)) {
      OWN.setOpaque(c, (long) OWN.getOpaque(c) + 1L);
    } else {
      SHARED.getAndAdd(c, 1L);
    }
    Breaker.clearFailures(s);
    return v;
  }

  /** The CLOSED path with thread-id stripes always incremented atomically; also run by {@link ThreadChurn}. */
  static Object stripedAtomicPath(Breaker b, Upstream.Constant fn) {
    Period s = b.acquire();
    Object v = fn.get();
    StripeCell c = b.stripes[(int) Thread.currentThread().getId() & 3];
    SHARED.getAndAdd(c, 1L);
    Breaker.clearFailures(s);
    return v;
  }

  @Benchmark
  public Object stripedAtomic(Breaker b, Upstream u) {
    Period s = b.acquire();
    Object v = u.ok.get();
    StripeCell c = b.stripes[(int) Thread.currentThread().getId() & 3];
    SHARED.getAndAdd(c, 1L);
    Breaker.clearFailures(s);
    return v;
  }

  @Benchmark
  public Object ownedStripe(Breaker b, Upstream u) {
    Period s = b.acquire();
    Object v = u.ok.get();
    Thread t = Thread.currentThread();
    StripeCell c = b.stripes[(int) t.getId() & 3];
    if (c.owner == t) {
      OWN.setOpaque(c, (long) OWN.getOpaque(c) + 1L);
    } else if (c.owner == null && OWNER.compareAndSet(c, null, t)) {
      OWN.setOpaque(c, (long) OWN.getOpaque(c) + 1L);
    } else {
      SHARED.getAndAdd(c, 1L);
    }
    Breaker.clearFailures(s);
    return v;
  }

  @Benchmark
  public Object adjacentCells(TwoCells cells, ThreadParams thread, Upstream u) {
    Object v = u.ok.get();
    increment(cells.adjacent[thread.getThreadIndex() & 1]);
    return v;
  }

  @Benchmark
  public Object paddedCells(TwoCells cells, ThreadParams thread, Upstream u) {
    Object v = u.ok.get();
    PaddedCell c = cells.padded[thread.getThreadIndex() & 1];
    PADDED_COUNT.setOpaque(c, (long) PADDED_COUNT.getOpaque(c) + 1L);
    return v;
  }

  /** The precise clock: what a breaker pays per reading of {@code System.nanoTime()}. */
  @Benchmark
  public long nanoTime() {
    return System.nanoTime();
  }
}
