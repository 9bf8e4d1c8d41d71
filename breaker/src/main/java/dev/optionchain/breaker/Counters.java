package dev.optionchain.breaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Exact event counters striped over a fixed number of cells, in the spirit of {@link java.util.concurrent.atomic
 * .LongAdder}, whose cost does not depend on how many threads exist or have ever counted.
 *
 * <p>The number of cells is fixed when the counters are created: the power of two at or above twice the number of
 * processors, between 4 and 64. A thread's cell is {@code cells[threadId & mask]}, found with one field load and no
 * registration. Each cell has two sets of counts:
 *
 * <ul>
 *   <li><b>owned</b>: written only by the thread that owns the cell, with a plain (opaque) read and store, no
 *       {@code lock} prefix: about a nanosecond. The first thread to count in an unowned cell claims it with one CAS.
 *   <li><b>shared</b>: for every other thread, an atomic {@code getAndAdd}, as a {@code LongAdder} cell does.
 * </ul>
 *
 * A cell changes owner only when its owner has terminated: every 256th shared increment checks
 * {@link Thread#isAlive()} of the owner, and a dead owner's cell is claimed by the counting thread. {@code isAlive()}
 * returning false happens-after the dead thread's last write (JLS 17.4.4), so the new owner continues from the exact
 * count and no increment is ever lost. So with a few long-lived threads (a thread pool, a benchmark) each thread soon
 * owns a cell and counts at the price of a plain store; with a new thread per call, most increments take the shared
 * path, at the price of one uncontended atomic add, however many threads have called.
 *
 * <p>A cell remembers its last owner: at most {@code cells} terminated {@code Thread} objects per counter set stay
 * reachable until another thread takes their cell over.
 *
 * <p>Owned counts sit between 128 bytes of padding on each side (the adjacent-line prefetcher pulls pairs of lines),
 * away from the shared counts, so that neither two owners nor an owner and the shared path write one cache line.
 * Readers sum every cell with opaque loads: a sum is exact once the writers' stores are visible and may miss increments
 * still in flight on other cores.
 */
final class Counters {

  /** Counted kinds; a counter set has {@value #KINDS} of them, whose meaning is its user's. */
  static final int KINDS = 5;

  private static final int MIN_CELLS = 4;
  private static final int MAX_CELLS = 64;
  /** Every 2^8-th shared increment of a cell checks whether its owner is still alive. */
  private static final long OWNER_CHECK_MASK = 0xFF;

  private static final VarHandle OWNER;
  private static final VarHandle OWN0;
  private static final VarHandle OWN1;
  private static final VarHandle OWN2;
  private static final VarHandle OWN3;
  private static final VarHandle OWN4;
  private static final VarHandle SHARED0;
  private static final VarHandle SHARED1;
  private static final VarHandle SHARED2;
  private static final VarHandle SHARED3;
  private static final VarHandle SHARED4;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      OWNER = l.findVarHandle(OwnedFields.class, "owner", Thread.class);
      OWN0 = l.findVarHandle(OwnedFields.class, "own0", long.class);
      OWN1 = l.findVarHandle(OwnedFields.class, "own1", long.class);
      OWN2 = l.findVarHandle(OwnedFields.class, "own2", long.class);
      OWN3 = l.findVarHandle(OwnedFields.class, "own3", long.class);
      OWN4 = l.findVarHandle(OwnedFields.class, "own4", long.class);
      SHARED0 = l.findVarHandle(SharedFields.class, "shared0", long.class);
      SHARED1 = l.findVarHandle(SharedFields.class, "shared1", long.class);
      SHARED2 = l.findVarHandle(SharedFields.class, "shared2", long.class);
      SHARED3 = l.findVarHandle(SharedFields.class, "shared3", long.class);
      SHARED4 = l.findVarHandle(SharedFields.class, "shared4", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Cell[] cells;

  Counters() {
    int n = Integer.highestOneBit(Math.max(1, 2 * Runtime.getRuntime().availableProcessors() - 1)) << 1;
    n = Math.max(MIN_CELLS, Math.min(MAX_CELLS, n));
    cells = new Cell[n];
    for (int i = 0; i < n; i++) {
      cells[i] = new Cell();
    }
  }

  /**
   * Adds one to {@code kind}. The kind is a constant at every call site, so after inlining the switch disappears.
   *
   * @param kind 0 to {@value #KINDS} - 1
   */
  void increment(int kind) {
    Thread t = Thread.currentThread();
    Cell[] cells = this.cells;
    Cell c = cells[(int) t.getId() & (cells.length - 1)];
    if (c.owner == t) {
      addOwned(c, kind);
      return;
    }
    incrementNotOwned(c, t, kind);
  }

  private static void incrementNotOwned(Cell c, Thread t, int kind) {
    Thread owner = c.owner;
    if (owner == null && OWNER.compareAndSet(c, null, t)) {
      addOwned(c, kind);
      return;
    }
    long n = addShared(c, kind);
    if ((n & OWNER_CHECK_MASK) == 0 && owner != null && !owner.isAlive()) {
      OWNER.compareAndSet(c, owner, t); // the dead owner's counts are visible from here on: keep counting on them
    }
  }

  /** The owner's increment: an opaque load and store (a plain {@code mov} each), never coalesced by the JIT. */
  private static void addOwned(Cell c, int kind) {
    switch (kind) {
      case 0:
        OWN0.setOpaque(c, (long) OWN0.getOpaque(c) + 1L);
        return;
      case 1:
        OWN1.setOpaque(c, (long) OWN1.getOpaque(c) + 1L);
        return;
      case 2:
        OWN2.setOpaque(c, (long) OWN2.getOpaque(c) + 1L);
        return;
      case 3:
        OWN3.setOpaque(c, (long) OWN3.getOpaque(c) + 1L);
        return;
      default:
        OWN4.setOpaque(c, (long) OWN4.getOpaque(c) + 1L);
    }
  }

  /** Another thread's increment: an atomic add; returns the cell's new shared count of {@code kind}. */
  private static long addShared(Cell c, int kind) {
    switch (kind) {
      case 0:
        return (long) SHARED0.getAndAdd(c, 1L) + 1L;
      case 1:
        return (long) SHARED1.getAndAdd(c, 1L) + 1L;
      case 2:
        return (long) SHARED2.getAndAdd(c, 1L) + 1L;
      case 3:
        return (long) SHARED3.getAndAdd(c, 1L) + 1L;
      default:
        return (long) SHARED4.getAndAdd(c, 1L) + 1L;
    }
  }

  private static long owned(Cell c, int kind) {
    switch (kind) {
      case 0:
        return (long) OWN0.getOpaque(c);
      case 1:
        return (long) OWN1.getOpaque(c);
      case 2:
        return (long) OWN2.getOpaque(c);
      case 3:
        return (long) OWN3.getOpaque(c);
      default:
        return (long) OWN4.getOpaque(c);
    }
  }

  private static long shared(Cell c, int kind) {
    switch (kind) {
      case 0:
        return (long) SHARED0.getOpaque(c);
      case 1:
        return (long) SHARED1.getOpaque(c);
      case 2:
        return (long) SHARED2.getOpaque(c);
      case 3:
        return (long) SHARED3.getOpaque(c);
      default:
        return (long) SHARED4.getOpaque(c);
    }
  }

  /** Returns the sum of {@code kind} over every cell. */
  long sum(int kind) {
    long sum = 0;
    for (Cell c : cells) {
      sum += owned(c, kind) + shared(c, kind);
    }
    return sum;
  }

  /** Returns the sums of every kind, indexed by kind. */
  long[] sums() {
    long[] out = new long[KINDS];
    for (int k = 0; k < KINDS; k++) {
      out[k] = sum(k);
    }
    return out;
  }

  /** Number of cells, for tests. */
  int cellCount() {
    return cells.length;
  }

  /** 128 bytes before the owned counts (superclass fields are laid out first). */
  @SuppressWarnings("unused")
  abstract static class PadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
  }

  /** The owner and its counts, written only by the owner. */
  abstract static class OwnedFields extends PadBefore {
    volatile Thread owner;
    long own0;
    long own1;
    long own2;
    long own3;
    long own4;
  }

  /** 128 bytes between the owned and the shared counts. */
  @SuppressWarnings("unused")
  abstract static class PadBetween extends OwnedFields {
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
  }

  /** Counts of the threads that do not own the cell; atomic adds only. */
  abstract static class SharedFields extends PadBetween {
    long shared0;
    long shared1;
    long shared2;
    long shared3;
    long shared4;
  }

  /** A cell, with 128 bytes after the shared counts. */
  @SuppressWarnings("unused")
  static final class Cell extends SharedFields {
    long r00, r01, r02, r03, r04, r05, r06, r07, r08, r09, r10, r11, r12, r13, r14, r15;
  }
}
