package dev.optionchain.dashboard.market;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bulkhead of one kind of data: how many request threads may wait for its upstream at once, and how many upstream
 * calls of it may be in flight. A request that finds no room is refused at once, never queued, so a slow upstream
 * holds at most {@code maxWaiting} of the server's worker threads however many clients ask, and the rest keep
 * answering probes, metrics, static files and answers from memory.
 *
 * <p>Two counts, both taken with a non-blocking {@link Semaphore#tryAcquire()}: a <b>waiting</b> place for every
 * request that would wait for the upstream (the one making the call and those sharing it through the single flight;
 * an answer already fresh in memory takes none), and within those a <b>call</b> place for each upstream call in
 * flight (one per resource being loaded). Thread-safe and lock-free on the way in and out.
 */
final class Bulkhead {

  private final int maxWaiting;
  private final int maxCalls;
  private final Semaphore waiting;
  private final Semaphore calls;
  private final LongAdder refused = new LongAdder();

  /**
   * Creates the bulkhead.
   *
   * @param maxCalls upstream calls in flight at once, at least 1
   * @param maxWaiting request threads waiting at once, at least {@code maxCalls}
   */
  Bulkhead(int maxCalls, int maxWaiting) {
    if (maxCalls < 1 || maxWaiting < maxCalls) {
      throw new IllegalArgumentException("need 1 <= maxCalls <= maxWaiting, was maxCalls " + maxCalls
          + ", maxWaiting " + maxWaiting);
    }
    this.maxCalls = maxCalls;
    this.maxWaiting = maxWaiting;
    this.waiting = new Semaphore(maxWaiting);
    this.calls = new Semaphore(maxCalls);
  }

  /**
   * Takes a waiting place, if one is free; the caller must {@link #leave()} once it stops waiting.
   *
   * @return false when {@link #maxWaiting()} requests are already waiting (counted as refused)
   */
  boolean tryEnter() {
    return take(waiting);
  }

  /** Gives back a waiting place. */
  void leave() {
    waiting.release();
  }

  /**
   * Takes a call place, if one is free; the caller must {@link #endCall()} once the call is over.
   *
   * @return false when {@link #maxCalls()} upstream calls are already in flight (counted as refused)
   */
  boolean tryCall() {
    return take(calls);
  }

  /** Gives back a call place. */
  void endCall() {
    calls.release();
  }

  private boolean take(Semaphore places) {
    if (places.tryAcquire()) {
      return true;
    }
    refused.increment();
    return false;
  }

  /** @return request threads waiting for the upstream now */
  int waiting() {
    return maxWaiting - waiting.availablePermits();
  }

  /** @return upstream calls in flight now */
  int calls() {
    return maxCalls - calls.availablePermits();
  }

  /** @return requests refused since start, for want of a waiting or a call place */
  long refused() {
    return refused.sum();
  }

  /** @return the most request threads that wait at once */
  int maxWaiting() {
    return maxWaiting;
  }

  /** @return the most upstream calls in flight at once */
  int maxCalls() {
    return maxCalls;
  }
}
