package dev.optionchain.breaker;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A window over the last {@code size} calls of a CLOSED period.
 *
 * <p>Every counted call has a position: the number of calls counted in this period when it completed, read from the
 * window's striped counters (exact with one thread; under concurrency, exact up to the calls completing on other cores
 * at the same instant). Positions are grouped in buckets of {@code step} consecutive positions. Successes only add to
 * the counters. The window keeps, in a ring of {@code buckets + 1} slots, the cumulative failure and slow-call counts as
 * they stood when each bucket began; its failures are the current count minus the count at the start of its oldest
 * bucket. Only failures and slow calls (and readers) look at positions, so the snapshots are taken lazily, by the first
 * of them to reach a new bucket, before it counts itself: a bucket it skipped held only successes, so its snapshot is
 * exact. A snapshot is immutable and published with a compare-and-set on the last bucket index, as in
 * {@link TimeWindow}: no lock, and a failure costs a constant amount of work however large the window.
 *
 * <p>Up to {@value #MAX_BUCKETS} calls the step is 1 and the window is exactly the last {@code size} calls. A larger
 * window has {@code step = ceil(size / MAX_BUCKETS)} and slides a step at a time: it covers the last {@code size} to
 * {@code size + step - 1} calls, and its rates are computed over exactly the calls it covers.
 */
final class CountWindow extends RateWindow {

  /** Windows up to this many calls are exact. */
  static final int MAX_BUCKETS = 128;

  private final int size;
  private final long step;
  private final int buckets;
  private final AtomicLong lastIndex = new AtomicLong();
  private final AtomicReferenceArray<Snapshot> ring;

  /**
   * The cumulative failure and slow-call counts when each bucket of {@code first..last} began (the same for all: only
   * successes completed in the skipped ones). One object serves every slot of the span, so an observation allocates
   * one object however many buckets it covers.
   */
  private record Snapshot(long first, long last, long failures, long slow) {
    boolean covers(long index) {
      return first <= index && index <= last;
    }
  }

  CountWindow(TripPolicy.FailureRate rate, boolean slowTracked, int size) {
    super(rate, slowTracked);
    this.size = size;
    this.step = (size + MAX_BUCKETS - 1) / MAX_BUCKETS;
    this.buckets = (int) ((size + step - 1) / step);
    this.ring = new AtomicReferenceArray<>(buckets + 1);
    ring.set(0, new Snapshot(0, 0, 0, 0));
  }

  /**
   * Whether the window has held {@code minimumCalls} calls: from then on it always does (positions only grow, and a
   * window covers at least {@code size} calls once it has seen them), so a success can only lower its rates.
   */
  private volatile boolean warm;

  /** One increment once the window is warm; before, an evaluation, since this success may reach the minimum. */
  @Override
  String success(long now) {
    counts.increment(CALLS);
    return warm ? null : evaluate();
  }

  /**
   * The verdict on the window now, for an outcome that acts on it. Only such an evaluation marks the window warm: had
   * a reader marked it, a success counted just before the reader looked could skip the evaluation that trips.
   */
  private String evaluate() {
    long[] contents = contents(0L);
    String verdict = verdict(contents);
    if (!warm && contents[0] >= minimumCalls) {
      warm = true;
    }
    return verdict;
  }

  @Override
  String slowSuccess(long now) {
    counts.increment(CALLS);
    observe(bucket(counts.sum(CALLS)));
    counts.increment(SLOW);
    return evaluate();
  }

  @Override
  String failure(boolean slowCall, long now) {
    counts.increment(CALLS);
    observe(bucket(counts.sum(CALLS)));
    counts.increment(FAILURES);
    if (slowCall && tracksSlowCalls()) {
      counts.increment(SLOW);
    }
    return evaluate();
  }

  /**
   * The window at the current position. Failures and slow calls are read before the position: an outcome counts its
   * call first, so every failure read has its call within the position read after it, and a thread preempted between
   * the reads underestimates the rate (re-evaluated at the next failure) instead of tripping on failures whose calls
   * it did not see.
   */
  @Override
  long[] contents(long now) {
    long slow = counts.sum(SLOW);
    long failures = counts.sum(FAILURES);
    long position = counts.sum(CALLS);
    observe(bucket(position));
    return contentsAt(position, failures, slow);
  }

  private long bucket(long position) {
    return Math.max(0L, position - 1) / step;
  }

  /** The window ending at {@code position}: whole buckets back to the one holding {@code position - size + 1}. */
  private long[] contentsAt(long position, long failures, long slow) {
    if (position <= 0) {
      return contents(0, 0, 0);
    }
    long newest = bucket(position);
    long oldest = bucket(Math.max(1L, position - size + 1));
    Snapshot base = baseFor(oldest, newest);
    if (base == null) {
      return contents(position - oldest * step, 0, 0);
    }
    return contents(position - oldest * step, failures - base.failures, slow - base.slow);
  }

  /** Stores the snapshots of the buckets begun since the last one observed, up to {@code index}. */
  private void observe(long index) {
    for (;;) {
      long last = lastIndex.get();
      if (last >= index) {
        return;
      }
      if (lastIndex.compareAndSet(last, index)) {
        long first = Math.max(last + 1, index - buckets);
        Snapshot span = new Snapshot(first, index, counts.sum(FAILURES), counts.sum(SLOW));
        for (long j = first; j <= index; j++) {
          ring.set(slot(j), span);
        }
        return;
      }
    }
  }

  /** The snapshot of bucket {@code oldest}, or, while its writer is still storing it, the earliest later one. */
  private Snapshot baseFor(long oldest, long newest) {
    Snapshot exact = ring.get(slot(oldest));
    if (exact != null && exact.covers(oldest)) {
      return exact;
    }
    Snapshot best = null;
    for (int i = 0; i < ring.length(); i++) {
      Snapshot s = ring.get(i);
      if (s != null && s.last >= oldest && s.first <= newest && (best == null || s.first < best.first)) {
        best = s;
      }
    }
    return best;
  }

  private int slot(long index) {
    return (int) (index % (buckets + 1));
  }
}
