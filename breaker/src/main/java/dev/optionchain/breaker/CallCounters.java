package dev.optionchain.breaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Exact call counters striped per thread, so that counting a call never writes a cache line another thread writes.
 *
 * <p>Each thread that records an outcome owns one {@link Cell}; only the owner writes it, with opaque stores (a plain
 * {@code mov} on x86, no lock prefix), so increments are never lost and cost about a nanosecond. A thread finds its
 * cell in a small open-addressing table keyed by its thread id: the cell at {@code id & mask} (or one of the next
 * {@value #MAX_PROBES} slots) whose owner is the current thread. That is three dependent loads, about half the cost
 * of a {@code ThreadLocal} lookup. A thread without a cell registers one under a lock (once per thread and breaker):
 * the table is rebuilt copy-on-write, dropping the cells of threads that have terminated and folding their counts
 * into {@code retired} ({@link Thread#isAlive()} returning false happens-after the dead thread's last writes), and
 * grown until every live cell sits within {@value #MAX_PROBES} slots of its home.
 *
 * <p>Cells are padded to two cache lines apart, so that the garbage collector, which packs objects together when it
 * copies them, cannot put two threads' counters on one line. Readers sum all cells with opaque loads; a sum is exact
 * once the writers' stores are visible and may miss increments still in flight on other cores.
 *
 * <p>Counts are cumulative for the life of the breaker; "since reset" figures subtract a baseline.
 */
final class CallCounters {

  static final int SUCCESSES = 0;
  static final int FAILURES = 1;
  static final int REJECTIONS = 2;
  static final int IGNORED = 3;
  static final int SLOW = 4;
  static final int KINDS = 5;

  static final int MAX_PROBES = 4;

  private static final VarHandle SUCCESS;
  private static final VarHandle FAILURE;
  private static final VarHandle REJECTION;
  private static final VarHandle IGNORE;
  private static final VarHandle SLOW_CALL;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      SUCCESS = l.findVarHandle(CellFields.class, "successes", long.class);
      FAILURE = l.findVarHandle(CellFields.class, "failures", long.class);
      REJECTION = l.findVarHandle(CellFields.class, "rejections", long.class);
      IGNORE = l.findVarHandle(CellFields.class, "ignored", long.class);
      SLOW_CALL = l.findVarHandle(CellFields.class, "slow", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** 64 bytes before the counters (superclass fields are laid out first). */
  @SuppressWarnings("unused")
  abstract static class CellPadding {
    long p00;
    long p01;
    long p02;
    long p03;
    long p04;
    long p05;
    long p06;
    long p07;
  }

  /** One thread's counts. Written only by {@link #owner}. */
  abstract static class CellFields extends CellPadding {
    final Thread owner;
    long successes;
    long failures;
    long rejections;
    long ignored;
    long slow;

    CellFields(Thread owner) {
      this.owner = owner;
    }
  }

  /** A cell with 64 bytes after the counters. */
  @SuppressWarnings("unused")
  static final class Cell extends CellFields {
    long p10;
    long p11;
    long p12;
    long p13;
    long p14;
    long p15;
    long p16;
    long p17;

    Cell(Thread owner) {
      super(owner);
    }
  }

  /** An immutable table of the live cells plus the counts of retired (dead-thread) cells. */
  private static final class Table {
    final Cell[] slots;
    final long[] retired;

    Table(Cell[] slots, long[] retired) {
      this.slots = slots;
      this.retired = retired;
    }
  }

  /** Live cells and retired counts, replaced together; what readers sum. */
  private volatile Table table = new Table(new Cell[8], new long[KINDS]);
  /** The same slots as {@code table.slots}, one load closer for the hot path; written after {@code table}. */
  private volatile Cell[] slots = table.slots;

  /** Returns the calling thread's cell. */
  private Cell cell() {
    Thread t = Thread.currentThread();
    Cell[] slots = this.slots;
    int mask = slots.length - 1;
    int i = (int) t.getId() & mask;
    for (int probe = 0; probe < MAX_PROBES; probe++) {
      Cell c = slots[i];
      if (c == null) {
        break;
      }
      if (c.owner == t) {
        return c;
      }
      i = (i + 1) & mask;
    }
    return register(t);
  }

  void success() {
    Cell c = cell();
    SUCCESS.setOpaque(c, (long) SUCCESS.getOpaque(c) + 1L);
  }

  void failure() {
    Cell c = cell();
    FAILURE.setOpaque(c, (long) FAILURE.getOpaque(c) + 1L);
  }

  void rejection() {
    Cell c = cell();
    REJECTION.setOpaque(c, (long) REJECTION.getOpaque(c) + 1L);
  }

  void ignored() {
    Cell c = cell();
    IGNORE.setOpaque(c, (long) IGNORE.getOpaque(c) + 1L);
  }

  void slow() {
    Cell c = cell();
    SLOW_CALL.setOpaque(c, (long) SLOW_CALL.getOpaque(c) + 1L);
  }

  /** Returns successes plus failures: the calls a rate window counts. */
  long calls() {
    Table t = table;
    long sum = t.retired[SUCCESSES] + t.retired[FAILURES];
    for (Cell c : t.slots) {
      if (c != null) {
        sum += (long) SUCCESS.getOpaque(c) + (long) FAILURE.getOpaque(c);
      }
    }
    return sum;
  }

  /** Writes the sum of each kind into {@code out}, indexed by the kind constants. */
  void sumInto(long[] out) {
    Table t = table;
    System.arraycopy(t.retired, 0, out, 0, KINDS);
    for (Cell c : t.slots) {
      if (c != null) {
        add(out, c);
      }
    }
  }

  long[] sums() {
    long[] out = new long[KINDS];
    sumInto(out);
    return out;
  }

  /** Number of live cells, for tests. */
  int cellCount() {
    int n = 0;
    for (Cell c : table.slots) {
      if (c != null) {
        n++;
      }
    }
    return n;
  }

  /**
   * Adds a cell for {@code t}: rebuilds the table with the live cells and the new one, folding the cells of
   * terminated threads into {@code retired}. Each cell is judged alive or dead once, so none is dropped uncounted.
   */
  private synchronized Cell register(Thread t) {
    Table old = table;
    for (Cell c : old.slots) {
      if (c != null && c.owner == t) {
        return c; // registered by this thread under a table its probes did not reach; cannot happen, but harmless
      }
    }
    long[] retired = old.retired.clone();
    List<Cell> live = new ArrayList<>();
    live.add(new Cell(t));
    for (Cell c : old.slots) {
      if (c == null) {
        continue;
      }
      if (c.owner.isAlive()) {
        live.add(c);
      } else {
        add(retired, c);
      }
    }
    int size = 8;
    while (size < live.size() * 2) {
      size <<= 1;
    }
    Cell[] slots;
    while ((slots = place(live, size)) == null) {
      size <<= 1;
    }
    table = new Table(slots, retired);
    this.slots = slots;
    return live.get(0);
  }

  /** Builds a table of {@code size} slots, or returns null if a cell would land beyond its probes. */
  private static Cell[] place(List<Cell> cells, int size) {
    Cell[] slots = new Cell[size];
    for (Cell c : cells) {
      if (!insert(slots, c)) {
        return null;
      }
    }
    return slots;
  }

  private static boolean insert(Cell[] slots, Cell c) {
    int mask = slots.length - 1;
    int i = (int) c.owner.getId() & mask;
    for (int probe = 0; probe < MAX_PROBES; probe++) {
      if (slots[i] == null) {
        slots[i] = c;
        return true;
      }
      i = (i + 1) & mask;
    }
    return false;
  }

  private static void add(long[] out, Cell c) {
    out[SUCCESSES] += (long) SUCCESS.getOpaque(c);
    out[FAILURES] += (long) FAILURE.getOpaque(c);
    out[REJECTIONS] += (long) REJECTION.getOpaque(c);
    out[IGNORED] += (long) IGNORE.getOpaque(c);
    out[SLOW] += (long) SLOW_CALL.getOpaque(c);
  }
}
