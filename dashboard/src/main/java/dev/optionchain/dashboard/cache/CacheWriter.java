package dev.optionchain.dashboard.cache;

import dev.optionchain.dashboard.cache.MarketCache.Write;
import dev.optionchain.dashboard.logging.LogThrottle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes live answers to the cache off the request path: a request hands its answer over with {@link #submit} and
 * returns at once; one background thread ({@code cache-writer}) writes what has accumulated in batches, one
 * transaction per batch ({@link MarketCache#writeAll}).
 *
 * <p>Algorithm: pending writes sit in an insertion-ordered map keyed by (table, key). A newer answer for a key still
 * pending replaces the older one in place (it is never written: counted in {@link #superseded()}), so when the
 * database falls behind only the newest answer per key is written. The thread waits 20 ms after an answer arrives
 * (so that the request's answer goes out before the write takes a core, and answers arriving together share a
 * transaction), then takes up to {@code batchSize} entries, oldest first, and writes them in one transaction. If that fails it writes each entry in a transaction of its own,
 * so that one refused value (a chain with a contract of another expiration) cannot hold the others back; each entry
 * that failed is put back (unless a newer one arrived meanwhile) and retried after {@code retryBackoff} (a real-time
 * pause of this thread), up to {@code maxAttempts} attempts in all, then dropped and logged. Every failed attempt
 * counts in {@link #failures()}, every re-queued entry in {@link #retries()}, every entry given up or refused for a
 * full queue in {@link #dropped()}. Each of these kinds of failure is logged at most once every ten seconds, the line
 * saying how many more there were ({@link LogThrottle}), so a database that is down cannot flood the log. At most {@code capacity} keys wait; past that a new key's answer is dropped
 * (the answer was still returned to its request; only its cache copy is lost).
 *
 * <p>{@link #close} writes everything still pending before it returns, so a clean shutdown loses nothing; submits
 * after close are dropped. Once closing, the writer no longer pauses between attempts and makes one last attempt per
 * entry: what fails then is dropped, counted in {@link #dropped()} and logged in one line, so that a database that
 * keeps failing cannot hold a shutdown for {@code maxAttempts} pauses.
 *
 * <p>{@link #pending} sees an answer from its submit until it is committed (also while its batch is being written),
 * so a read of the cache never misses an answer that was accepted.
 *
 * <p>Thread-safe: {@link #submit} and {@link #pending} take one short lock and never wait on the database.
 */
public final class CacheWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CacheWriter.class);

  /** How long the writer waits after the first answer of a batch arrived before writing it (real time). */
  static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  /**
   * The writer's limits.
   *
   * @param batchSize most entries per transaction; at least 1 (default 256)
   * @param capacity most keys waiting; at least 1 (default 10 000)
   * @param maxAttempts attempts per entry, the first included; at least 1 (default 5)
   * @param retryBackoff pause after a failed batch before the next attempt; not negative (default 500 ms)
   */
  public record Settings(int batchSize, int capacity, int maxAttempts, Duration retryBackoff) {

    /** The defaults. */
    public static final Settings DEFAULTS = new Settings(256, 10_000, 5, Duration.ofMillis(500));

    /** Validates. */
    public Settings {
      if (batchSize < 1 || capacity < 1 || maxAttempts < 1) {
        throw new IllegalArgumentException("batchSize, capacity and maxAttempts must be at least 1, were "
            + batchSize + ", " + capacity + ", " + maxAttempts);
      }
      Objects.requireNonNull(retryBackoff, "retryBackoff");
      if (retryBackoff.isNegative()) {
        throw new IllegalArgumentException("retryBackoff must not be negative, was " + retryBackoff);
      }
    }
  }

  /** A pending write and its attempts so far. */
  private record Entry(Write<?, ?> write, int attempts) {}

  private final MarketCache cache;
  private final Settings settings;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final LinkedHashMap<List<Object>, Entry> pending = new LinkedHashMap<>();
  private final Thread thread;
  /** The batch being written: still readable through {@link #pending} until it is committed. */
  private Map<List<Object>, Entry> writing = Map.of();
  private int inFlight;
  private boolean closing;
  /** Entries given up because they failed while closing, and the last failure: the writer thread's own. */
  private int lostAtClose;
  private String lastCloseFailure;

  private final LongAdder written = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder superseded = new LongAdder();
  private final LogThrottle fullLog = new LogThrottle(LogThrottle.PERIOD);
  private final LogThrottle batchLog = new LogThrottle(LogThrottle.PERIOD);
  private final LogThrottle retryLog = new LogThrottle(LogThrottle.PERIOD);
  private final LogThrottle givenUpLog = new LogThrottle(LogThrottle.PERIOD);

  /**
   * Starts the writer's thread.
   *
   * @param cache where to write
   * @param settings the limits
   */
  public CacheWriter(MarketCache cache, Settings settings) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.thread = new Thread(this::run, "cache-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues a write; returns at once. A pending write of the same table and key is replaced when this one was
   * fetched at the same time or later.
   *
   * @param write the value to write
   * @return false if it was dropped (the queue is full or the writer closed)
   */
  public boolean submit(Write<?, ?> write) {
    Objects.requireNonNull(write, "write");
    List<Object> key = List.of(write.store().name(), write.key());
    lock.lock();
    try {
      if (closing) {
        dropped.increment();
        return false;
      }
      Entry old = pending.get(key);
      if (old != null) {
        if (!write.fetchedAt().isBefore(old.write().fetchedAt())) {
          pending.put(key, new Entry(write, 0)); // replaces in place: keeps its turn
        }
        superseded.increment();
        return true;
      }
      if (pending.size() >= settings.capacity()) {
        dropped.increment();
        long held = fullLog.admit();
        if (held >= 0) {
          LOG.warn("cache writer queue full ({} keys): not caching {} {}{}", settings.capacity(),
              write.store().name(), write.key(), fullLog.suffix(held));
        }
        return false;
      }
      pending.put(key, new Entry(write, 0));
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the value waiting to be written for a key, so that a read of the cache can see it before it is written.
   *
   * @param store the table
   * @param key the key
   * @param <K> the key's type
   * @param <V> the value's type
   * @return the pending value and when it was fetched, if one is waiting
   */
  @SuppressWarnings("unchecked")
  public <K, V> Optional<Cached<V>> pending(KeyedStore<K, V> store, K key) {
    lock.lock();
    try {
      List<Object> k = List.of(store.name(), key);
      Entry e = pending.get(k);
      if (e == null) {
        e = writing.get(k);
      }
      return e == null ? Optional.empty()
          : Optional.of(new Cached<>((V) e.write().value(), e.write().fetchedAt()));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until nothing is pending or being written.
   *
   * @param timeout how long to wait at most
   * @return true if idle, false on timeout
   * @throws InterruptedException if interrupted
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (!pending.isEmpty() || inFlight > 0) {
        if (left <= 0) {
          return false;
        }
        left = changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** @return entries written */
  public long written() {
    return written.sum();
  }

  /** @return transactions committed (batches and single retries) */
  public long batches() {
    return batches.sum();
  }

  /** @return failed write attempts (a failed batch, and each entry that then failed alone) */
  public long failures() {
    return failures.sum();
  }

  /** @return entries put back to be tried again */
  public long retries() {
    return retries.sum();
  }

  /** @return entries never written: given up after the last attempt, or refused for a full queue */
  public long dropped() {
    return dropped.sum();
  }

  /** @return answers replaced by a newer one of the same key before being written */
  public long superseded() {
    return superseded.sum();
  }

  /** @return keys waiting to be written */
  public int queued() {
    lock.lock();
    try {
      return pending.size();
    } finally {
      lock.unlock();
    }
  }

  /** Writes everything pending, then stops the thread. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      closing = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("interrupted while flushing the cache writer; {} keys not written", queued());
    }
  }

  private void run() {
    while (true) {
      List<Entry> batch = take();
      if (batch == null) {
        if (lostAtClose > 0) {
          LOG.error("cache writer closed: {} answers could not be written and are lost; last failure: {}",
              lostAtClose, lastCloseFailure);
        }
        return;
      }
      boolean failed = !write(batch);
      lock.lock();
      try {
        inFlight = 0;
        writing = Map.of();
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      if (failed && !settings.retryBackoff().isZero()) {
        pause();
      }
    }
  }

  /** The next batch, oldest first; null when closing with nothing left. */
  private List<Entry> take() {
    lock.lock();
    try {
      while (pending.isEmpty()) {
        if (closing) {
          return null;
        }
        changed.awaitUninterruptibly();
      }
      // linger a moment so that the answer which woke us goes out before the write takes a core, and so that
      // answers arriving together share a transaction
      long linger = LINGER_NANOS;
      while (!closing && pending.size() < settings.batchSize() && linger > 0) {
        try {
          linger = changed.awaitNanos(linger);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      List<Entry> batch = new ArrayList<>(Math.min(settings.batchSize(), pending.size()));
      Map<List<Object>, Entry> taken = new java.util.HashMap<>();
      Iterator<Map.Entry<List<Object>, Entry>> it = pending.entrySet().iterator();
      while (it.hasNext() && batch.size() < settings.batchSize()) {
        Map.Entry<List<Object>, Entry> next = it.next();
        batch.add(next.getValue());
        taken.put(next.getKey(), next.getValue());
        it.remove();
      }
      writing = taken;
      inFlight = batch.size();
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /** Writes a batch; returns false if any entry failed (and was retried or dropped). */
  private boolean write(List<Entry> batch) {
    try {
      cache.writeAll(batch.stream().map(Entry::write).toList());
      batches.increment();
      written.add(batch.size());
      return true;
    } catch (RuntimeException e) {
      failures.increment();
      if (batch.size() == 1) {
        requeue(batch.get(0), e);
        return false;
      }
      long held = batchLog.admit();
      if (held >= 0) {
        LOG.warn("cache write of a batch of {} failed, writing them one by one: {}{}", batch.size(), e.getMessage(),
            batchLog.suffix(held));
      }
    }
    boolean allWritten = true;
    for (Entry entry : batch) {
      try {
        cache.writeAll(List.of(entry.write()));
        batches.increment();
        written.increment();
      } catch (RuntimeException e) {
        failures.increment();
        requeue(entry, e);
        allWritten = false;
      }
    }
    return allWritten;
  }

  private void requeue(Entry entry, RuntimeException e) {
    Write<?, ?> w = entry.write();
    int attempts = entry.attempts() + 1;
    lock.lock();
    try {
      if (closing) { // the last attempt: no retry, one line for all of them when the writer stops
        dropped.increment();
        lostAtClose++;
        lastCloseFailure = w.store().name() + " " + w.key() + ": " + e.getMessage();
        return;
      }
    } finally {
      lock.unlock();
    }
    if (attempts >= settings.maxAttempts()) {
      dropped.increment();
      long held = givenUpLog.admit();
      if (held >= 0) {
        LOG.error("cache write of {} {} failed {} times, giving up: {}{}", w.store().name(), w.key(), attempts,
            e.getMessage(), givenUpLog.suffix(held));
      }
      return;
    }
    lock.lock();
    try {
      List<Object> key = List.of(w.store().name(), w.key());
      if (pending.containsKey(key)) {
        return; // a newer answer arrived meanwhile: it replaces this one
      }
      pending.put(key, new Entry(w, attempts));
      retries.increment();
      long held = retryLog.admit();
      if (held >= 0) {
        LOG.warn("cache write of {} {} failed (attempt {} of {}), retrying: {}{}", w.store().name(), w.key(),
            attempts, settings.maxAttempts(), e.getMessage(), retryLog.suffix(held));
      }
    } finally {
      lock.unlock();
    }
  }

  /** Waits {@code retryBackoff} before the next attempt; {@link #close} ends the wait. */
  private void pause() {
    long left;
    try {
      left = settings.retryBackoff().toNanos();
    } catch (ArithmeticException tooLong) {
      left = Long.MAX_VALUE;
    }
    lock.lock();
    try {
      while (!closing && left > 0) {
        left = changed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }
}
