package dev.optionchain.breaker;

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
 * exact. The snapshots are {@link BucketSnapshots}, as in {@link TimeWindow}: no lock, and a failure costs a constant
 * amount of work however large the window.
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
  /** The failure and slow-call counts when each recent bucket began (calls are positions, not snapshotted). */
  private final BucketSnapshots snapshots;

  CountWindow(TripPolicy.FailureRate rate, boolean slowTracked, int size) {
    super(rate, slowTracked);
    this.size = size;
    this.step = (size + MAX_BUCKETS - 1) / MAX_BUCKETS;
    this.buckets = (int) ((size + step - 1) / step);
    this.snapshots = new BucketSnapshots(buckets);
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
    BucketSnapshots.Snapshot base = snapshots.baseFor(oldest, newest);
    if (base == null) {
      return contents(position - oldest * step, 0, 0);
    }
    return contents(position - oldest * step, failures - base.failures(), slow - base.slow());
  }

  /** Stores the snapshots of the buckets begun since the last one observed, up to {@code index}. */
  private void observe(long index) {
    snapshots.observe(index, counts, false);
  }
}
