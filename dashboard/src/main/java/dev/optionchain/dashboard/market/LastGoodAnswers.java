package dev.optionchain.dashboard.market;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.optionchain.dashboard.cache.CacheWriter;
import dev.optionchain.dashboard.cache.Cached;
import dev.optionchain.dashboard.cache.KeyedStore;
import dev.optionchain.dashboard.cache.MarketCache;
import java.time.Instant;
import java.util.Optional;

/**
 * The last good answer of each key of one kind, the stale fallback when the upstream cannot be used: in memory (the
 * {@code maxEntries} most recently used, Caffeine), then the answer still waiting in the {@link CacheWriter}, then
 * DuckDB. A live answer goes into memory at once and to the writer, which stores it off the request path.
 *
 * <p>Reads of this class never run inside a breaker-protected call: the service asks it only after the upstream
 * call has returned or was refused. Thread-safe.
 *
 * @param <K> the key
 * @param <V> the value
 */
final class LastGoodAnswers<K, V> {

  private final Cache<K, Cached<V>> memory;
  private final KeyedStore<K, V> store;
  private final CacheWriter writer;

  LastGoodAnswers(long maxEntries, KeyedStore<K, V> store, CacheWriter writer) {
    this.memory = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build();
    this.store = store;
    this.writer = writer;
  }

  /**
   * Keeps a live answer: in memory now, in DuckDB when the writer gets to it.
   *
   * @param key the key
   * @param value the answer
   * @param fetchedAt when it was fetched
   */
  void put(K key, V value, Instant fetchedAt) {
    memory.put(key, new Cached<>(value, fetchedAt));
    writer.submit(new MarketCache.Write<>(store, key, value, fetchedAt));
  }

  /**
   * Tells, from memory only, whether a good answer of the key is known: an empty upstream answer for such a key is
   * a failure, not news.
   *
   * @param key the key
   * @return true if one is in memory
   */
  boolean knows(K key) {
    return memory.getIfPresent(key) != null;
  }

  /**
   * Returns the last good answer: memory, else the writer's queue, else DuckDB (remembered in memory when found).
   *
   * @param key the key
   * @return the answer and when it was fetched; empty if none is known
   * @throws dev.optionchain.dashboard.cache.CacheException if DuckDB fails
   */
  Optional<Cached<V>> get(K key) {
    Cached<V> hit = memory.getIfPresent(key);
    if (hit != null) {
      return Optional.of(hit);
    }
    Optional<Cached<V>> found = writer.pending(store, key);
    if (found.isEmpty()) {
      found = store.get(key);
    }
    found.ifPresent(c -> memory.asMap().putIfAbsent(key, c));
    return found;
  }
}
