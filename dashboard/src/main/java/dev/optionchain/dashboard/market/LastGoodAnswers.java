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
 * most recently used, at most {@code cache.memory-entries} answers and about {@code cache.memory-limit} bytes,
 * {@link AnswerWeight}; Caffeine), then the answer still waiting in the {@link CacheWriter}, then
 * DuckDB; in a fleet, the fleet's last good answer when it is newer ({@link SharedAnswers#lastGood}). A live answer
 * goes into memory at once and to the writer, which stores it off the request path.
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
  private final SharedAnswers<K, V> shared;

  LastGoodAnswers(AnswerWeight weight, KeyedStore<K, V> store, CacheWriter writer, SharedAnswers<K, V> shared) {
    this.memory = Caffeine.newBuilder().maximumWeight(weight.limit())
        .<K, Cached<V>>weigher((k, c) -> weight.weigh(c.value())).executor(Runnable::run).build();
    this.store = store;
    this.writer = writer;
    this.shared = shared;
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

  /** @return the answers kept in memory, after Caffeine's pending maintenance (evictions) */
  long size() {
    memory.cleanUp();
    return memory.estimatedSize();
  }

  /** @return the weight of the answers kept in memory ({@link AnswerWeight}), after Caffeine's pending maintenance */
  long weightedSize() {
    memory.cleanUp();
    return memory.policy().eviction().orElseThrow().weightedSize().orElseThrow();
  }

  /**
   * Returns the last good answer: memory, else the writer's queue, else DuckDB (remembered in memory when found);
   * then, in a fleet, the fleet's when it is newer than that (remembered in memory too).
   *
   * @param key the key
   * @return the answer and when it was fetched; empty if none is known
   * @throws dev.optionchain.dashboard.cache.CacheException if DuckDB fails
   */
  Optional<Cached<V>> get(K key) {
    Optional<Cached<V>> found = Optional.ofNullable(memory.getIfPresent(key));
    if (found.isEmpty()) {
      found = writer.pending(store, key);
      if (found.isEmpty()) {
        found = store.get(key);
      }
      found.ifPresent(c -> memory.asMap().putIfAbsent(key, c));
    }
    Optional<Cached<V>> newer = shared.lastGood(key, found.map(Cached::fetchedAt));
    if (newer.isPresent()) {
      memory.put(key, newer.get());
      return newer;
    }
    return found;
  }
}
