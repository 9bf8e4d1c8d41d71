package dev.optionchain.breaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Exact call counters striped per thread, so that counting a call never writes a cache line another thread writes.
 *
 * <p>Each thread that records an outcome owns one {@link Cell}, found through a {@link ThreadLocal}; only the owner
 * writes it, with opaque stores (a plain {@code mov} on x86, no lock prefix), so increments are never lost and cost
 * about a nanosecond. Readers sum all cells with opaque loads; a sum is exact once the writers' stores are visible,
 * and may miss increments still in flight on other cores. When a new thread registers, cells of threads that have
 * terminated are folded into {@code retired} (their last writes are visible: {@link Thread#isAlive()} returning
 * false happens-after them), so short-lived threads do not grow the table without bound.
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

  private static final VarHandle SUCCESS;
  private static final VarHandle FAILURE;
  private static final VarHandle REJECTION;
  private static final VarHandle IGNORE;
  private static final VarHandle SLOW_CALL;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      SUCCESS = l.findVarHandle(Cell.class, "successes", long.class);
      FAILURE = l.findVarHandle(Cell.class, "failures", long.class);
      REJECTION = l.findVarHandle(Cell.class, "rejections", long.class);
      IGNORE = l.findVarHandle(Cell.class, "ignored", long.class);
      SLOW_CALL = l.findVarHandle(Cell.class, "slow", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** One thread's counts. Written only by {@link #owner}. */
  static final class Cell {
    final Thread owner;
    long successes;
    long failures;
    long rejections;
    long ignored;
    long slow;

    Cell(Thread owner) {
      this.owner = owner;
    }
  }

  /** An immutable view of the registered cells plus the counts of retired (dead-thread) cells. */
  private static final class Table {
    final Cell[] cells;
    final long[] retired;

    Table(Cell[] cells, long[] retired) {
      this.cells = cells;
      this.retired = retired;
    }
  }

  private final ThreadLocal<Cell> local = ThreadLocal.withInitial(this::register);
  private volatile Table table = new Table(new Cell[0], new long[KINDS]);

  void success() {
    Cell c = local.get();
    SUCCESS.setOpaque(c, (long) SUCCESS.getOpaque(c) + 1L);
  }

  void failure() {
    Cell c = local.get();
    FAILURE.setOpaque(c, (long) FAILURE.getOpaque(c) + 1L);
  }

  void rejection() {
    Cell c = local.get();
    REJECTION.setOpaque(c, (long) REJECTION.getOpaque(c) + 1L);
  }

  void ignored() {
    Cell c = local.get();
    IGNORE.setOpaque(c, (long) IGNORE.getOpaque(c) + 1L);
  }

  void slow() {
    Cell c = local.get();
    SLOW_CALL.setOpaque(c, (long) SLOW_CALL.getOpaque(c) + 1L);
  }

  /** Returns successes plus failures: the calls a rate window counts. */
  long calls() {
    Table t = table;
    long sum = t.retired[SUCCESSES] + t.retired[FAILURES];
    for (Cell c : t.cells) {
      sum += (long) SUCCESS.getOpaque(c) + (long) FAILURE.getOpaque(c);
    }
    return sum;
  }

  /** Writes the sum of each kind into {@code out}, indexed by the kind constants. */
  void sumInto(long[] out) {
    Table t = table;
    System.arraycopy(t.retired, 0, out, 0, KINDS);
    for (Cell c : t.cells) {
      out[SUCCESSES] += (long) SUCCESS.getOpaque(c);
      out[FAILURES] += (long) FAILURE.getOpaque(c);
      out[REJECTIONS] += (long) REJECTION.getOpaque(c);
      out[IGNORED] += (long) IGNORE.getOpaque(c);
      out[SLOW] += (long) SLOW_CALL.getOpaque(c);
    }
  }

  long[] sums() {
    long[] out = new long[KINDS];
    sumInto(out);
    return out;
  }

  /** Number of live cells, for tests. */
  int cellCount() {
    return table.cells.length;
  }

  private synchronized Cell register() {
    Cell mine = new Cell(Thread.currentThread());
    Table t = table;
    long[] retired = t.retired;
    Cell[] live = new Cell[t.cells.length + 1];
    int n = 0;
    for (Cell c : t.cells) {
      if (c.owner.isAlive()) {
        live[n++] = c;
      } else {
        if (retired == t.retired) {
          retired = retired.clone();
        }
        retired[SUCCESSES] += (long) SUCCESS.getOpaque(c);
        retired[FAILURES] += (long) FAILURE.getOpaque(c);
        retired[REJECTIONS] += (long) REJECTION.getOpaque(c);
        retired[IGNORED] += (long) IGNORE.getOpaque(c);
        retired[SLOW] += (long) SLOW_CALL.getOpaque(c);
      }
    }
    live[n++] = mine;
    table = new Table(n == live.length ? live : Arrays.copyOf(live, n), retired);
    return mine;
  }
}
