package dev.optionchain.breaker;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A window over the last {@code size} calls of a CLOSED period.
 *
 * <p>Every counted call has a position: the number of calls counted in this period when it completed, read from the
 * window's striped counters (exact with one thread; under concurrency, exact up to the calls completing on other cores
 * at the same instant). Successes only add to the counters. Failures and slow calls are also recorded in buckets of
 * consecutive positions: bucket {@code j} holds the positions {@code j*step+1 .. (j+1)*step}. Each bucket lives in a
 * ring slot as one {@code long} packing the bucket's index and its count, updated with a compare-and-set, so a stale
 * slot is recognised by its index and reset by the first outcome of its new bucket. No lock.
 *
 * <p>Up to {@value #MAX_BUCKETS} calls the step is 1 and the window is exactly the last {@code size} calls. A larger
 * window has {@code step = ceil(size / MAX_BUCKETS)} and slides a step at a time: it covers the last {@code size} to
 * {@code size + step - 1} calls, and its rates are computed over exactly the calls it covers.
 */
final class CountWindow extends RateWindow {

  /** Windows up to this many calls are exact. */
  static final int MAX_BUCKETS = 128;
  private static final int COUNT_BITS = 20;
  private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;

  private final int size;
  private final long step;
  private final PositionBuckets failures;
  private final PositionBuckets slow;

  CountWindow(TripPolicy.FailureRate rate, boolean slowTracked, int size) {
    super(rate, slowTracked);
    this.size = size;
    this.step = (size + MAX_BUCKETS - 1) / MAX_BUCKETS;
    int buckets = (int) ((size + step - 1) / step);
    this.failures = new PositionBuckets(buckets + 1);
    this.slow = slowTracked ? new PositionBuckets(buckets + 1) : null;
  }

  @Override
  String success(long now) {
    countSuccess();
    return null;
  }

  @Override
  String slowSuccess(long now) {
    counts.increment(CALLS);
    long position = counts.sum(CALLS);
    slow.add(bucket(position));
    return verdict(contentsAt(position));
  }

  @Override
  String failure(boolean slowCall, long now) {
    counts.increment(CALLS);
    long position = counts.sum(CALLS);
    failures.add(bucket(position));
    if (slowCall && slow != null) {
      slow.add(bucket(position));
    }
    return verdict(contentsAt(position));
  }

  @Override
  long[] contents(long now) {
    return contentsAt(counts.sum(CALLS));
  }

  private long bucket(long position) {
    return (position - 1) / step;
  }

  /** The window ending at {@code position}: whole buckets back to the one holding {@code position - size + 1}. */
  private long[] contentsAt(long position) {
    if (position <= 0) {
      return contents(0, 0, 0);
    }
    long newest = bucket(position);
    long oldest = bucket(Math.max(1L, position - size + 1));
    long calls = position - oldest * step;
    return contents(calls, failures.sum(oldest, newest), slow == null ? 0 : slow.sum(oldest, newest));
  }

  /** A ring of (bucket index, count) pairs packed into longs. */
  static final class PositionBuckets {
    private final AtomicLongArray slots;

    PositionBuckets(int length) {
      slots = new AtomicLongArray(length);
      for (int i = 0; i < length; i++) {
        slots.set(i, -1L << COUNT_BITS); // bucket index -1: empty
      }
    }

    void add(long bucket) {
      int i = (int) (bucket % slots.length());
      for (;;) {
        long v = slots.get(i);
        long held = v >> COUNT_BITS;
        long next;
        if (held == bucket) {
          if ((v & COUNT_MASK) == COUNT_MASK) {
            return; // saturated: more than a million outcomes at one position, only under absurd concurrency
          }
          next = v + 1;
        } else if (held < bucket) {
          next = (bucket << COUNT_BITS) | 1L;
        } else {
          return; // the slot holds a newer bucket: this one left the window already
        }
        if (slots.compareAndSet(i, v, next)) {
          return;
        }
      }
    }

    long sum(long oldest, long newest) {
      long sum = 0;
      for (int i = 0; i < slots.length(); i++) {
        long v = slots.get(i);
        long held = v >> COUNT_BITS;
        if (held >= oldest && held <= newest) {
          sum += v & COUNT_MASK;
        }
      }
      return sum;
    }
  }
}
