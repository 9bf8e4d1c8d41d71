package dev.optionchain.breaker;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The breaker's specification as a plain, single-threaded reference model, written from the docs and not from the
 * implementation: eager (every transition due by time is made as the clock moves), with periods numbered so that an
 * outcome counts only in the period that admitted its call. {@link PeriodModelPropertyTest} runs random operation
 * sequences against both and compares what a user can observe.
 */
final class BreakerModel {

  enum Outcome { SUCCESS, FAILURE, IGNORED }

  /** What the model is configured with; the test builds the same configuration for the breaker. */
  record Params(int threshold, int windowCalls, long windowMs, int buckets, int minimumCalls, double percent,
      long slowMs, double slowPercent, int trialCalls, int successesToClose, long recoveryMs, long halfOpenMaxMs,
      double backoff, boolean cancelFails) {

    boolean rate() {
      return threshold == 0;
    }

    boolean timed() {
      return slowMs > 0;
    }

    boolean slowTracked() {
      return rate() && slowPercent > 0;
    }
  }

  /** A call admitted by the model and not yet completed or cancelled. */
  static final class Held {
    final int period;
    final long startMs;
    boolean settled;

    Held(int period, long startMs) {
      this.period = period;
      this.startMs = startMs;
    }
  }

  private record Counted(long atMs, boolean failed, boolean slow) {}

  final Params p;
  long now;
  CircuitBreakerState state = CircuitBreakerState.CLOSED;
  /** Incremented at every transition (and reset): the number of the current period. */
  int period;
  long enteredMs;
  int count;
  int failedRecoveries;
  long openMs;
  int inFlight;
  long busySinceMs;
  int successes;
  private final Deque<Counted> window = new ArrayDeque<>();
  /** Lifetime totals and since-reset counts, indexed by {@link Outcomes} kinds. */
  final long[] totals = new long[Counters.KINDS];
  final long[] sinceReset = new long[Counters.KINDS];

  BreakerModel(Params p) {
    this.p = p;
  }

  /** Moves the clock, making every transition that falls due, at the time it falls due. */
  void advance(long ms) {
    long target = now + ms;
    for (;;) {
      if (state == CircuitBreakerState.OPEN && enteredMs + openMs <= target) {
        enter(CircuitBreakerState.HALF_OPEN, enteredMs + openMs);
        inFlight = 0;
        successes = 0;
      } else if (state == CircuitBreakerState.HALF_OPEN && inFlight > 0 && busySinceMs + p.halfOpenMaxMs <= target) {
        count++; // the overdue trial counts as a failed one
        open(busySinceMs + p.halfOpenMaxMs, true);
      } else {
        break;
      }
    }
    now = target;
  }

  /** Tries to admit a call at the current time: returns the held call, or null when rejected. */
  Held admit() {
    switch (state) {
      case OPEN:
        count(Outcomes.REJECTED);
        return null;
      case HALF_OPEN:
        if (inFlight >= p.trialCalls) {
          count(Outcomes.REJECTED);
          return null;
        }
        if (inFlight++ == 0) {
          busySinceMs = now;
        }
        return new Held(period, now);
      default:
        return new Held(period, now);
    }
  }

  /** Records the outcome of a held call at the current time. */
  void complete(Held call, Outcome outcome) {
    if (call.settled) {
      return;
    }
    call.settled = true;
    boolean slow = outcome != Outcome.IGNORED && p.timed() && now - call.startMs >= p.slowMs;
    if (slow && !p.slowTracked() && outcome == Outcome.SUCCESS) {
      outcome = Outcome.FAILURE;
    }
    record(call, outcome, slow);
  }

  /** The caller cancelled a held call. */
  void cancel(Held call) {
    if (call.settled) {
      return;
    }
    call.settled = true;
    record(call, p.cancelFails ? Outcome.FAILURE : Outcome.IGNORED, false);
  }

  void reset() {
    java.util.Arrays.fill(sinceReset, 0);
    enter(CircuitBreakerState.CLOSED, now);
    count = 0;
    failedRecoveries = 0;
    window.clear();
  }

  private void record(Held call, Outcome outcome, boolean slow) {
    if (slow) {
      count(Outcomes.SLOW);
    }
    count(outcome == Outcome.SUCCESS ? Outcomes.SUCCESS
        : outcome == Outcome.FAILURE ? Outcomes.FAILURE : Outcomes.IGNORED);
    if (call.period != period) {
      return; // admitted in an earlier period: the lifetime totals only
    }
    if (state == CircuitBreakerState.HALF_OPEN) {
      if (outcome == Outcome.SUCCESS) {
        inFlight--;
        if (++successes >= p.successesToClose) {
          enter(CircuitBreakerState.CLOSED, now);
          count = 0;
          failedRecoveries = 0;
          window.clear();
        }
      } else if (outcome == Outcome.FAILURE) {
        count++;
        open(now, true);
      } else {
        inFlight--;
      }
      return;
    }
    if (outcome == Outcome.IGNORED) {
      return;
    }
    boolean failed = outcome == Outcome.FAILURE;
    count = failed ? count + 1 : 0;
    if (!p.rate()) {
      if (count >= p.threshold) {
        open(now, false);
      }
      return;
    }
    window.addLast(new Counted(now, failed, slow));
    if (p.windowCalls > 0 && window.size() > p.windowCalls) {
      window.removeFirst();
    }
    if (tripping()) { // at any counted outcome: a success can bring the window to its minimum, or follow expiries
      open(now, false);
    }
  }

  /** The window's contents now: {calls, failures, slow calls}. */
  long[] windowContents() {
    long calls = 0;
    long failed = 0;
    long slow = 0;
    long bucketMs = p.windowMs / Math.max(1, p.buckets);
    long oldest = p.windowCalls > 0 ? Long.MIN_VALUE : (now - enteredMs) / bucketMs - p.buckets + 1;
    for (Counted c : window) {
      if (p.windowCalls > 0 || (c.atMs - enteredMs) / bucketMs >= oldest) {
        calls++;
        failed += c.failed ? 1 : 0;
        slow += c.slow ? 1 : 0;
      }
    }
    return new long[] {calls, failed, slow};
  }

  private boolean tripping() {
    long[] w = windowContents();
    if (w[0] == 0 || w[0] < p.minimumCalls) {
      return false;
    }
    return w[1] * 100.0 / w[0] >= p.percent || p.slowTracked() && w[2] * 100.0 / w[0] >= p.slowPercent;
  }

  /** Opens at {@code at}; a failed recovery (from HALF_OPEN) grows the open time. */
  private void open(long at, boolean failedRecovery) {
    failedRecoveries = failedRecovery ? failedRecoveries + 1 : 0;
    openMs = (long) Math.min(p.recoveryMs * 4.0, p.recoveryMs * Math.pow(p.backoff, failedRecoveries));
    enter(CircuitBreakerState.OPEN, at);
  }

  private void enter(CircuitBreakerState to, long at) {
    state = to;
    enteredMs = at;
    period++;
  }

  private void count(int kind) {
    totals[kind]++;
    sinceReset[kind]++;
  }

  /** Retry time while OPEN, in model milliseconds. */
  long retryAtMs() {
    return enteredMs + openMs;
  }
}
