package dev.optionchain.benchmarks;

/**
 * Nanosecond latencies in log-linear buckets: exact below 1,024 ns, then 64 buckets per power of two (within 1.6 %),
 * like HdrHistogram's with two significant digits. The mean is exact. Not thread-safe: fill it from one thread.
 */
final class Histogram {

  private static final int SUB = 64;
  private static final int EXACT = 1_024;
  private final long[] counts = new long[EXACT + SUB * 64];
  private long count;
  private double sum;
  private long max;

  void addAll(long[] values) {
    for (long v : values) {
      add(v);
    }
  }

  void add(long value) {
    long v = Math.max(0L, value);
    counts[index(v)]++;
    count++;
    sum += v;
    max = Math.max(max, v);
  }

  long count() {
    return count;
  }

  double mean() {
    return count == 0 ? Double.NaN : sum / count;
  }

  long max() {
    return max;
  }

  /** The smallest recorded bucket's upper value at or below which {@code percent} % of the values lie. */
  long percentile(double percent) {
    long rank = (long) Math.ceil(percent / 100.0 * count);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank && counts[i] > 0) {
        return Math.min(max, upper(i));
      }
    }
    return max;
  }

  private static int index(long v) {
    if (v < EXACT) {
      return (int) v;
    }
    int exp = 63 - Long.numberOfLeadingZeros(v); // >= 10
    int sub = (int) ((v >>> (exp - 6)) & (SUB - 1));
    return EXACT + (exp - 10) * SUB + sub;
  }

  private static long upper(int index) {
    if (index < EXACT) {
      return index;
    }
    int exp = (index - EXACT) / SUB + 10;
    int sub = (index - EXACT) % SUB;
    return ((long) (SUB + sub + 1) << (exp - 6)) - 1;
  }
}
