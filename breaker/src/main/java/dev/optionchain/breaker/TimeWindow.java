package dev.optionchain.breaker;

/**
 * A window over the calls of the last {@code length} of a CLOSED period, in {@code buckets} buckets.
 *
 * <p>Bucket {@code j} starts at {@code origin + j * bucketNanos}. The window records the breaker's cumulative counts as
 * they stood when each bucket began, in a ring of {@code buckets + 1} snapshots; the contents of the window are the
 * current counts minus the snapshot at the start of its oldest bucket. A snapshot is taken by the first outcome
 * observed in a new bucket (one volatile read and one comparison per call decide whether that is needed); a bucket in
 * which no call completed gets the same snapshot as the next, which is exact because the counts did not change in it.
 * Time is the breaker's decision clock, which for the system clock is the millisecond-resolution coarse reading.
 */
final class TimeWindow extends RateWindow {

  private final long origin;
  private final long bucketNanos;
  private final int buckets;
  private final String length;

  /** Decision-clock reading at which the next bucket begins; read on every call. */
  private volatile long nextBoundary;

  // guarded by this
  private final long[] calls;
  private final long[] failures;
  private final long[] slow;
  private long lastIndex;
  private final long[] scratch = new long[CallCounters.KINDS];
  private final long[] contents = new long[3];

  TimeWindow(CallCounters counters, CircuitBreakerConfig config, SlidingWindow.Time window, long now) {
    super(counters, config);
    this.origin = now;
    this.bucketNanos = window.bucketNanos();
    this.buckets = window.buckets();
    this.length = window.length().toString();
    this.calls = new long[buckets + 1];
    this.failures = new long[buckets + 1];
    this.slow = new long[buckets + 1];
    counters.sumInto(scratch);
    store(0);
    this.nextBoundary = origin + bucketNanos;
  }

  @Override
  void beforeCount(long now) {
    if (now - nextBoundary >= 0) {
      synchronized (this) {
        advance(now);
      }
    }
  }

  @Override
  String onBadOutcome(boolean failure, boolean slowCall, long now) {
    synchronized (this) {
      long[] c = contentsLocked(now);
      return verdict(c[0], c[1], c[2]);
    }
  }

  @Override
  synchronized long[] contents(long now) {
    return contentsLocked(now).clone();
  }

  /** Fills and returns {@link #contents} (no allocation on the failure path); guarded by this. */
  private long[] contentsLocked(long now) {
    advance(now);
    int oldest = slot(Math.max(0L, lastIndex - buckets + 1));
    counters.sumInto(scratch);
    contents[0] = scratch[CallCounters.SUCCESSES] + scratch[CallCounters.FAILURES] - calls[oldest];
    contents[1] = scratch[CallCounters.FAILURES] - failures[oldest];
    contents[2] = scratch[CallCounters.SLOW] - slow[oldest];
    return contents;
  }

  /** Records snapshots for every bucket begun since the last one, up to the bucket holding {@code now}. */
  private void advance(long now) {
    if (now - nextBoundary < 0) {
      return;
    }
    long index = (now - origin) / bucketNanos;
    counters.sumInto(scratch);
    for (long j = Math.max(lastIndex + 1, index - buckets); j <= index; j++) {
      store(slot(j));
    }
    lastIndex = index;
    nextBoundary = origin + (index + 1) * bucketNanos;
  }

  private int slot(long index) {
    return (int) (index % (buckets + 1));
  }

  private void store(int slot) {
    calls[slot] = scratch[CallCounters.SUCCESSES] + scratch[CallCounters.FAILURES];
    failures[slot] = scratch[CallCounters.FAILURES];
    slow[slot] = scratch[CallCounters.SLOW];
  }

  @Override
  public String toString() {
    return "last " + length;
  }
}
