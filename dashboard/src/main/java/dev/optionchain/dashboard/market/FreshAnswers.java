package dev.optionchain.dashboard.market;

import dev.optionchain.dashboard.cache.Cached;
import java.util.Optional;
import java.util.function.Function;

/**
 * The upstream's answers while they are fresh, and one upstream call per key at a time (single flight).
 *
 * <p>{@link #get} answers from memory while the key's last answer is within its "fresh for"; otherwise the first
 * caller runs {@code load} and every caller that asks for the same key meanwhile waits for that one load and gets
 * its answer, or its exception. A successful answer is kept for its "fresh for"; a failure is not kept. The key is the
 * resource (a symbol's quote, a chain), not the route that asked, so {@code /api/dashboard} and {@code /api/quote}
 * share.
 *
 * <p>The service's implementation is in memory ({@link MemoryFreshAnswers}); a fleet can put another behind this
 * interface without touching the request path. Implementations are thread-safe.
 *
 * @param <K> the resource's key
 * @param <V> the answer's type
 */
public interface FreshAnswers<K, V> {

  /**
   * Returns the key's fresh answer, or loads it once for every concurrent caller.
   *
   * @param key the resource
   * @param load fetches the answer; runs on the calling thread of the first caller
   * @return the answer and when it was fetched from the upstream
   * @throws RuntimeException whatever {@code load} threw, to every caller that waited for it
   */
  Cached<V> get(K key, Function<K, Cached<V>> load);

  /**
   * Returns the key's answer if it is in memory and fresh; never waits and never starts a load.
   *
   * @param key the resource
   * @return the answer, or empty when none is fresh (also while one is being loaded)
   */
  Optional<Cached<V>> peek(K key);

  /**
   * Returns the key's answer if it is in memory and fresh, or else the answer of its load in flight, waiting for
   * it; never starts a load.
   *
   * @param key the resource
   * @return the answer, or empty when none is fresh nor being loaded, or the load in flight failed
   */
  Optional<Cached<V>> joinIfPresent(K key);
}
