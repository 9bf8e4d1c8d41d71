package dev.optionchain.dashboard.cache;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A bounded in-memory copy of the most recently read cache entries, in front of DuckDB.
 *
 * <p>While a breaker is open every request for its data is answered from the cache, and reading a chain from DuckDB
 * costs about 10 ms of CPU (a query per statement, ~400 rows to rebuild); the same answer from memory costs
 * microseconds. Entries hold exactly what the database returned; a write forgets the keys it changes (after it has
 * committed), so the next read loads the new rows. Least recently used entries are evicted past {@code capacity}.
 * Thread-safe: one short lock per access.
 */
final class Memo {

  private final Map<Object, Cached<?>> entries;
  /** Bumped by every removal, so a load that raced with a write cannot store what it read before the write. */
  private long version;

  Memo(int capacity) {
    this.entries = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Object, Cached<?>> eldest) {
        return size() > capacity;
      }
    };
  }

  /**
   * Returns the remembered entry of {@code key}, or loads it (outside the lock) and remembers what was found, unless a
   * write changed the memo meanwhile.
   */
  @SuppressWarnings("unchecked")
  <T> Optional<Cached<T>> get(Object key, Supplier<Optional<Cached<T>>> load) {
    long before;
    synchronized (entries) {
      Cached<?> hit = entries.get(key);
      if (hit != null) {
        return Optional.of((Cached<T>) hit);
      }
      before = version;
    }
    Optional<Cached<T>> loaded = load.get();
    loaded.ifPresent(c -> {
      synchronized (entries) {
        if (version == before) {
          entries.putIfAbsent(key, c);
        }
      }
    });
    return loaded;
  }

  /** Forgets every key matching {@code test}. */
  void removeIf(Predicate<List<?>> test) {
    synchronized (entries) {
      version++;
      entries.keySet().removeIf(k -> k instanceof List && test.test((List<?>) k));
    }
  }

  /** Returns whether {@code key} is remembered. */
  boolean contains(Object key) {
    synchronized (entries) {
      return entries.containsKey(key);
    }
  }

  /** Forgets a key whose data was removed from the database. */
  void remove(Object key) {
    synchronized (entries) {
      version++;
      entries.remove(key);
    }
  }

  /** Forgets everything (the database was closed). */
  void clear() {
    synchronized (entries) {
      version++;
      entries.clear();
    }
  }
}
