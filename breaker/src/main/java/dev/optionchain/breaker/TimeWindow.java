package dev.optionchain.breaker;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A window over the calls of the last {@code length} of a CLOSED period, in {@code buckets} buckets.
 *
 * <p>Bucket {@code j} starts at {@code origin + j * bucketNanos}, the origin being the start of the period. Outcomes
 * add to the window's cumulative striped counters; the window keeps, in a ring of {@code buckets + 1} slots, the
 * cumulative counts as they stood when each bucket began, and its contents are the current counts minus those at the
 * start of its oldest bucket. The first outcome observed in a new bucket takes that snapshot: it wins a
 * compare-and-set on the last bucket index and stores one immutable snapshot for the buckets begun (a bucket in which nothing
 * completed gets the same snapshot as the next, which is exact because the counts did not change in it). Every outcome
 * reads the precise clock to find its bucket: that is what a time window costs over a count window. No lock.
 */
final class TimeWindow extends RateWindow {

  private final long origin;
  private final long bucketNanos;
  private final int buckets;
  /** Breaker-clock reading at which the next bucket begins; read on every outcome. */
  private volatile long nextBoundary;
  private final AtomicLong lastIndex = new AtomicLong();
  private final AtomicReferenceArray<Snapshot> ring;

  /**
   * The cumulative counts when each bucket of {@code first..last} began (the same for all: nothing completed in the
   * skipped ones). One object serves every slot of the span, so an observation allocates one object.
   */
  private record Snapshot(long first, long last, long calls, long failures, long slow) {
    boolean covers(long index) {
      return first <= index && index <= last;
    }
  }

  TimeWindow(TripPolicy.FailureRate rate, boolean slowTracked, SlidingWindow.Time window, long now) {
    super(rate, slowTracked);
    this.origin = now;
    this.bucketNanos = window.bucketNanos();
    this.buckets = window.buckets();
    this.ring = new AtomicReferenceArray<>(buckets + 1);
    ring.set(0, new Snapshot(0, 0, 0, 0, 0));
    this.nextBoundary = origin + bucketNanos;
    this.quietUntil = origin;
  }

  /**
   * A success evaluates the window only from this breaker-clock reading: the end of the bucket in which an evaluation
   * last found the window warm (holding {@code minimumCalls} calls). Within a bucket nothing expires, so a warm window
   * stays warm and a success only lowers its rates; a cold window leaves it in the past, so every success evaluates.
   * Racing writers only move it to a boundary at or before a warm window's next one: at worst an extra evaluation.
   */
  private volatile long quietUntil;

  @Override
  String success(long now) {
    observe(now);
    counts.increment(CALLS);
    if (now - quietUntil < 0) {
      return null;
    }
    long[] contents = contents(now);
    if (contents[0] >= minimumCalls) {
      quietUntil = origin + (index(now) + 1) * bucketNanos;
    }
    return verdict(contents);
  }

  @Override
  String slowSuccess(long now) {
    observe(now);
    counts.increment(CALLS);
    counts.increment(SLOW);
    return verdict(contents(now));
  }

  @Override
  String failure(boolean slowCall, long now) {
    observe(now);
    counts.increment(CALLS);
    counts.increment(FAILURES);
    if (slowCall && tracksSlowCalls()) {
      counts.increment(SLOW);
    }
    return verdict(contents(now));
  }

  @Override
  long[] contents(long now) {
    observe(now);
    long current = index(now);
    long oldest = current - buckets + 1;
    // failures before calls: a failure counts its call first, so every failure read has its call in the calls read
    // after it, and a thread preempted between the reads underestimates the rate (re-evaluated at the next failure)
    // instead of tripping on failures whose calls it did not see
    long slow = counts.sum(SLOW);
    long failures = counts.sum(FAILURES);
    long calls = counts.sum(CALLS);
    if (oldest <= 0) {
      return contents(calls, failures, slow);
    }
    Snapshot base = baseFor(oldest, current);
    if (base == null) {
      return contents(0, 0, 0);
    }
    return contents(calls - base.calls, failures - base.failures, slow - base.slow);
  }

  /** Takes the snapshots of the buckets begun since the last outcome, if {@code now} is in a new one. */
  private void observe(long now) {
    if (now - nextBoundary < 0) {
      return;
    }
    long index = index(now);
    for (;;) {
      long last = lastIndex.get();
      if (last >= index) {
        return;
      }
      if (lastIndex.compareAndSet(last, index)) {
        long first = Math.max(last + 1, index - buckets);
        // calls before failures here: a base read late can only lower the rate (see contents)
        Snapshot span = new Snapshot(first, index, counts.sum(CALLS), counts.sum(FAILURES), counts.sum(SLOW));
        for (long j = first; j <= index; j++) {
          ring.set(slot(j), span);
        }
        nextBoundary = origin + (index + 1) * bucketNanos;
        return;
      }
    }
  }

  /**
   * The snapshot at the start of bucket {@code oldest}, or, while the thread that won that bucket is still storing
   * it, the earliest later one (nothing completed in between, or the difference is in flight); null if none is left.
   */
  private Snapshot baseFor(long oldest, long current) {
    Snapshot exact = ring.get(slot(oldest));
    if (exact != null && exact.covers(oldest)) {
      return exact;
    }
    Snapshot best = null;
    for (int i = 0; i < ring.length(); i++) {
      Snapshot s = ring.get(i);
      if (s != null && s.last >= oldest && s.first <= current && (best == null || s.first < best.first)) {
        best = s;
      }
    }
    return best;
  }

  private long index(long now) {
    return Math.max(0L, (now - origin) / bucketNanos);
  }

  private int slot(long index) {
    return (int) (index % (buckets + 1));
  }
}
