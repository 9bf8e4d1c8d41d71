package dev.optionchain.breaker;

import java.util.Arrays;

/**
 * A window over the last {@code size} calls of a CLOSED period.
 *
 * <p>Every counted call has a position: the number of calls counted in this period when it completed. The window keeps
 * the positions of its failures (and slow calls) in growable rings; a failure at position p is in the window while
 * {@code p > current - size}. Successes are not stored at all: their number is {@code min(size, current)} minus the
 * failures. The position of a call is read from the per-thread counters, so under concurrency it is exact up to the
 * calls completing on other cores at the same instant.
 */
final class CountWindow extends RateWindow {

  private final int size;
  private final long baseCalls;
  private final Positions failures;
  private final Positions slow;

  CountWindow(CallCounters counters, CircuitBreakerConfig config, int size) {
    super(counters, config);
    this.size = size;
    this.baseCalls = counters.calls();
    this.failures = new Positions(size);
    this.slow = new Positions(size);
  }

  @Override
  void beforeCount(long now) {
    // positions come from the counters; nothing to do before counting
  }

  @Override
  String onBadOutcome(boolean failure, boolean slowCall, long now) {
    long position = counters.calls() - baseCalls;
    synchronized (this) {
      if (failure) {
        failures.add(position);
      }
      if (slowCall && tracksSlowCalls()) {
        slow.add(position);
      }
      return verdict(evict(position), failures.count(), slow.count());
    }
  }

  @Override
  long[] contents(long now) {
    long position = counters.calls() - baseCalls;
    synchronized (this) {
      long calls = evict(position);
      return new long[] {calls, failures.count(), slow.count()};
    }
  }

  /** A window smaller than the minimum is acted on once full. */
  @Override
  long minimumCalls() {
    return Math.min(size, super.minimumCalls());
  }

  /** Drops positions that left the window and returns the number of calls in it. */
  private long evict(long position) {
    long oldestOut = position - size;
    failures.removeUpTo(oldestOut);
    slow.removeUpTo(oldestOut);
    return Math.min(size, Math.max(position, failures.count()));
  }

  /** Increasing call positions in a ring that grows up to {@code capacity}. Guarded by the window's lock. */
  static final class Positions {
    private final int capacity;
    private long[] ring = new long[8];
    private int head;
    private int count;
    private long last = Long.MIN_VALUE;

    Positions(int capacity) {
      this.capacity = capacity;
    }

    void add(long position) {
      long p = Math.max(position, last);
      last = p;
      if (count == ring.length) {
        if (ring.length < capacity) {
          grow();
        } else {
          head = (head + 1) % ring.length;
          count--;
        }
      }
      ring[(head + count) % ring.length] = p;
      count++;
    }

    void removeUpTo(long position) {
      while (count > 0 && ring[head] <= position) {
        head = (head + 1) % ring.length;
        count--;
      }
    }

    int count() {
      return count;
    }

    private void grow() {
      long[] bigger = new long[Math.min(capacity, ring.length * 2)];
      for (int i = 0; i < count; i++) {
        bigger[i] = ring[(head + i) % ring.length];
      }
      ring = bigger;
      head = 0;
    }

    @Override
    public String toString() {
      long[] out = new long[count];
      for (int i = 0; i < count; i++) {
        out[i] = ring[(head + i) % ring.length];
      }
      return Arrays.toString(out);
    }
  }
}
