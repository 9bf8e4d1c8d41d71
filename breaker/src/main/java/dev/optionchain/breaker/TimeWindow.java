package dev.optionchain.breaker;

/**
 * A window over the calls of the last {@code length} of a CLOSED period, in {@code buckets} buckets.
 *
 * <p>Bucket {@code j} starts at {@code origin + j * bucketNanos}, the origin being the start of the period. Outcomes
 * add to the window's cumulative striped counters; the window keeps, in a ring of {@code buckets + 1} slots, the
 * cumulative counts as they stood when each bucket began ({@link BucketSnapshots}), and its contents are the current
 * counts minus those at the start of its oldest bucket. The first outcome observed in a new bucket takes that snapshot.
 * Every outcome reads the precise clock to find its bucket: that is what a time window costs over a count window. No
 * lock.
 */
final class TimeWindow extends RateWindow {

  private final long origin;
  private final long bucketNanos;
  private final int buckets;
  /** Breaker-clock reading at which the next bucket begins; read on every outcome. */
  private volatile long nextBoundary;
  private final BucketSnapshots snapshots;

  TimeWindow(TripPolicy.FailureRate rate, boolean slowTracked, SlidingWindow.Time window, long now) {
    super(rate, slowTracked);
    this.origin = now;
    this.bucketNanos = window.bucketNanos();
    this.buckets = window.buckets();
    this.snapshots = new BucketSnapshots(buckets);
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
    BucketSnapshots.Snapshot base = snapshots.baseFor(oldest, current);
    if (base == null) {
      return contents(0, 0, 0);
    }
    return contents(calls - base.calls(), failures - base.failures(), slow - base.slow());
  }

  /** Takes the snapshots of the buckets begun since the last outcome, if {@code now} is in a new one. */
  private void observe(long now) {
    if (now - nextBoundary < 0) {
      return;
    }
    long index = index(now);
    if (snapshots.observe(index, counts, true)) {
      nextBoundary = origin + (index + 1) * bucketNanos;
    }
  }

  private long index(long now) {
    return Math.max(0L, (now - origin) / bucketNanos);
  }
}
