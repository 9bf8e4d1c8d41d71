package dev.optionchain.dashboard.history;

import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.dashboard.cache.CacheException;
import dev.optionchain.dashboard.market.MarketObserver;
import dev.optionchain.dashboard.market.Sourced;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the breakers' history off the callers' threads: transitions are queued by the transition listener (which
 * runs under a breaker's lock, so it must not touch the disk) and request counts are added up in memory per minute;
 * one writer thread appends both to the {@link HistoryStore} every second. {@link #flush()} writes what is pending at
 * once, and {@link #close()} stops the writer after a last flush, so a clean shutdown loses nothing.
 *
 * <p>Thread-safe. If the database cannot keep up and {@value #QUEUE_CAPACITY} transitions are waiting, further ones
 * are dropped, counted and logged rather than blocking a request.
 */
public final class HistoryRecorder implements MarketObserver, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HistoryRecorder.class);

  static final int QUEUE_CAPACITY = 10_000;
  private static final long FLUSH_EVERY_MILLIS = 1_000;

  private final HistoryStore store;
  private final BreakerClock clock;
  private final BlockingQueue<TransitionRecord> transitions = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final ConcurrentHashMap<HistoryStore.MinuteKey, LongAdder[]> requests = new ConcurrentHashMap<>();
  private final AtomicLong lost = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread writer;

  /**
   * Starts the writer thread.
   *
   * @param store where the history goes
   * @param clock the clock of the minutes requests are counted in
   */
  public HistoryRecorder(HistoryStore store, BreakerClock clock) {
    this.store = store;
    this.clock = clock;
    this.writer = new Thread(this::writeLoop, "history-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * Queues a transition for writing. Never blocks.
   *
   * @param record the transition
   */
  public void record(TransitionRecord record) {
    if (transitions.offer(record)) {
      LockSupport.unpark(writer);
    } else {
      long n = lost.incrementAndGet();
      LOG.error("breaker history queue full: transition {} not persisted ({} lost so far)", record, n);
    }
  }

  @Override
  public void upstreamCall(String breaker, Duration elapsed, String outcome) {
    // the SLA report counts answers, not upstream calls
  }

  @Override
  public void served(String breaker, Sourced.Source source) {
    count(breaker, source == Sourced.Source.LIVE ? 0 : 1);
  }

  @Override
  public void unavailable(String breaker, Sourced.Cause cause) {
    count(breaker, 2);
  }

  private void count(String breaker, int column) {
    requests.computeIfAbsent(HistoryStore.MinuteKey.of(breaker, clock.now()), k -> newCounters())[column]
        .increment();
  }

  private static LongAdder[] newCounters() {
    return new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder()};
  }

  /**
   * Returns how many transitions could not be persisted because the queue was full.
   *
   * @return a count, normally 0
   */
  public long lost() {
    return lost.get();
  }

  /** Writes every queued transition and the request counts so far. */
  public synchronized void flush() {
    List<TransitionRecord> batch = new ArrayList<>();
    transitions.drainTo(batch);
    try {
      store.append(batch);
    } catch (CacheException e) {
      lost.addAndGet(batch.size());
      LOG.error("could not persist {} breaker transitions: {}", batch.size(), e.getMessage(), e);
    }
    Map<HistoryStore.MinuteKey, long[]> counts = new HashMap<>();
    for (HistoryStore.MinuteKey key : requests.keySet()) {
      LongAdder[] adders = requests.remove(key);
      if (adders != null) {
        counts.put(key, new long[] {adders[0].sum(), adders[1].sum(), adders[2].sum()});
      }
    }
    try {
      store.addRequests(counts);
    } catch (CacheException e) {
      LOG.error("could not persist request counts of {} breaker-minutes: {}", counts.size(), e.getMessage(), e);
    }
  }

  /** Writes what is pending every second, or as soon as a transition is queued. */
  private void writeLoop() {
    while (!closed.get()) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(FLUSH_EVERY_MILLIS));
      try {
        flush();
      } catch (RuntimeException e) {
        LOG.error("breaker history writer failed; retrying", e);
      }
    }
  }

  /** Stops the writer and writes everything still pending. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      LockSupport.unpark(writer);
      try {
        writer.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      flush();
    }
  }
}
