package dev.optionchain.benchmarks;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The naive baseline: a Java rendering of the seed's Python breaker ({@code threading.Lock} around every state access).
 *
 * <p>Like the seed, a call takes the lock to check the state (reading the clock, {@link System#nanoTime()}, only when
 * OPEN, as the seed compares {@code datetime.now()} with the last failure), releases it, runs the function outside
 * the lock, then takes the lock again to record the outcome: a success sets the failure count to 0 (and closes a
 * HALF_OPEN breaker), a failure stamps the time and counts toward the threshold. A rejection raises a new exception
 * with a formatted message and a stack trace, as a Python {@code raise} builds a traceback. Two liberties, neither on
 * a CLOSED path: HALF_OPEN admits one trial at a time (the seed's "next call allowed to test service"), and
 * transitions are not logged.
 */
final class NaiveLockBreaker {

  enum State { CLOSED, OPEN, HALF_OPEN }

  private final ReentrantLock lock = new ReentrantLock();
  private final String name;
  private final int failureThreshold;
  private final long recoveryNanos;

  // guarded by lock
  private State state = State.CLOSED;
  private int failureCount;
  private long lastFailureNanos;
  private boolean trialInFlight;

  NaiveLockBreaker(String name, int failureThreshold, long recoveryNanos) {
    this.name = name;
    this.failureThreshold = failureThreshold;
    this.recoveryNanos = recoveryNanos;
  }

  <T> T call(Supplier<T> fn) {
    lock.lock();
    try {
      if (state == State.OPEN) {
        if (System.nanoTime() - lastFailureNanos >= recoveryNanos) {
          state = State.HALF_OPEN;
        } else {
          throw new RejectedException("CircuitBreaker '" + name + "' is OPEN", State.OPEN);
        }
      }
      if (state == State.HALF_OPEN) {
        if (trialInFlight) {
          throw new RejectedException("CircuitBreaker '" + name + "' is HALF_OPEN", State.HALF_OPEN);
        }
        trialInFlight = true;
      }
    } finally {
      lock.unlock();
    }
    T result;
    try {
      result = fn.get();
    } catch (RuntimeException e) {
      onFailure();
      throw e;
    }
    onSuccess();
    return result;
  }

  private void onSuccess() {
    lock.lock();
    try {
      if (state == State.HALF_OPEN) {
        state = State.CLOSED;
        trialInFlight = false;
      }
      failureCount = 0;
    } finally {
      lock.unlock();
    }
  }

  private void onFailure() {
    lock.lock();
    try {
      failureCount++;
      lastFailureNanos = System.nanoTime();
      if (state == State.HALF_OPEN) {
        state = State.OPEN;
        trialInFlight = false;
      } else if (failureCount >= failureThreshold) {
        state = State.OPEN;
      }
    } finally {
      lock.unlock();
    }
  }

  State state() {
    lock.lock();
    try {
      return state;
    } finally {
      lock.unlock();
    }
  }

  /** The naive breaker's rejection: a message built per call, and a stack trace. */
  static final class RejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final State state;

    RejectedException(String message, State state) {
      super(message);
      this.state = state;
    }
  }
}
