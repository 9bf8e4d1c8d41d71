package dev.optionchain.breaker;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The cumulative counts of a {@link RateWindow} as they stood when each of its recent buckets began, so that the
 * window's contents are the current counts minus those at the start of its oldest bucket.
 *
 * <p>The first outcome (or reader) that reaches a new bucket takes the snapshot: it wins a compare-and-set on the last
 * bucket index and stores one immutable {@link Snapshot} for every bucket begun since the last one taken (a skipped
 * bucket gets the same snapshot as the next: nothing it counts completed in it, which is what makes the snapshot
 * exact). The ring holds {@code buckets + 1} slots. No lock; an observation allocates one object however many buckets
 * it covers. Shared by {@link CountWindow} (buckets of positions) and {@link TimeWindow} (buckets of time).
 */
final class BucketSnapshots {

  /**
   * The cumulative counts when each bucket of {@code first..last} began (the same for all of them).
   *
   * @param first the first bucket
   * @param last the last bucket
   * @param calls counted calls ({@code 0} where the window derives them from positions)
   * @param failures counted failures
   * @param slow counted slow calls
   */
  record Snapshot(long first, long last, long calls, long failures, long slow) {
    boolean covers(long index) {
      return first <= index && index <= last;
    }
  }

  private final int buckets;
  private final AtomicLong lastIndex = new AtomicLong();
  private final AtomicReferenceArray<Snapshot> ring;

  BucketSnapshots(int buckets) {
    this.buckets = buckets;
    this.ring = new AtomicReferenceArray<>(buckets + 1);
    ring.set(0, new Snapshot(0, 0, 0, 0, 0));
  }

  /**
   * Takes the snapshot of the buckets begun since the last one taken, up to {@code index}, unless another thread
   * already has.
   *
   * @param index the current bucket
   * @param counts the window's cumulative counters
   * @param withCalls whether to read the call count ({@link RateWindow#CALLS}); it is read before the failures, so
   *     that a base read late can only lower the rate
   * @return whether this thread took it
   */
  boolean observe(long index, Counters counts, boolean withCalls) {
    for (;;) {
      long last = lastIndex.get();
      if (last >= index) {
        return false;
      }
      if (lastIndex.compareAndSet(last, index)) {
        long first = Math.max(last + 1, index - buckets);
        long calls = withCalls ? counts.sum(RateWindow.CALLS) : 0L;
        Snapshot span = new Snapshot(first, index, calls, counts.sum(RateWindow.FAILURES),
            counts.sum(RateWindow.SLOW));
        for (long j = first; j <= index; j++) {
          ring.set(slot(j), span);
        }
        return true;
      }
    }
  }

  /**
   * Returns the snapshot at the start of bucket {@code oldest}, or, while the thread that won that bucket is still
   * storing it, the earliest later one up to {@code newest} (nothing completed in between, or the difference is in
   * flight).
   *
   * @param oldest the window's oldest bucket
   * @param newest its current bucket
   * @return the snapshot, or null if none is left
   */
  Snapshot baseFor(long oldest, long newest) {
    Snapshot exact = ring.get(slot(oldest));
    if (exact != null && exact.covers(oldest)) {
      return exact;
    }
    Snapshot best = null;
    for (int i = 0; i < ring.length(); i++) {
      Snapshot s = ring.get(i);
      if (s != null && s.last() >= oldest && s.first() <= newest && (best == null || s.first() < best.first())) {
        best = s;
      }
    }
    return best;
  }

  private int slot(long index) {
    return (int) (index % (buckets + 1));
  }
}
