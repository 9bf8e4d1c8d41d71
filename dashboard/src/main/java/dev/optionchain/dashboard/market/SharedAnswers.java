package dev.optionchain.dashboard.market;

import dev.optionchain.dashboard.cache.Cached;
import java.time.Instant;
import java.util.Optional;

/**
 * The answers of one kind of data shared with the other instances of a fleet ({@code docs/fleet.md}): a fresh answer
 * fetched by any instance, served by every instance within its fresh-for; the last good answer of every key as the
 * stale fallback; and one upstream call per resource across the fleet.
 *
 * <p>Every method is bounded: it answers within the fleet's command timeout (a few tens of milliseconds) or says
 * "nothing", except {@link #fresh}, which may also wait for another instance's upstream call of the same resource
 * (at most that call's request timeout). None runs on the breaker's admission or outcome path, nor on a memory hit:
 * the {@link Fetcher} asks only on a memory miss, before the upstream call, and after it. Without a fleet every method
 * answers "nothing" at once ({@link #none()}). Implementations are thread-safe.
 *
 * @param <K> the resource's key
 * @param <V> the answer's type
 */
public interface SharedAnswers<K, V> {

  /**
   * On a memory miss, before calling the upstream: another instance's answer of the key that is still within its
   * fresh-for; or, when another instance is fetching the key right now, that answer once it arrives. Empty when the
   * caller should call the upstream itself (then it is the fleet's one caller of the key until
   * {@link #fetched} or {@link #failed}).
   *
   * @param key the resource
   * @return a fresh answer and when it was fetched, or empty
   */
  Optional<Cached<V>> fresh(K key);

  /**
   * After this instance's upstream call answered: shares the answer (fresh for the other instances; the last good
   * answer too when {@code good}). Never blocks.
   *
   * @param key the resource
   * @param answer the answer and when it was fetched
   * @param good whether it is a good answer (not empty), worth keeping as a fallback
   */
  void fetched(K key, Cached<V> answer, boolean good);

  /**
   * After this instance's upstream call failed or was not made: lets the instances waiting for it make their own.
   * Never blocks.
   *
   * @param key the resource
   */
  void failed(K key);

  /**
   * The fleet's last good answer of the key, when it is newer than {@code local} (this instance's own). Consulted
   * only for a fallback, after the upstream call.
   *
   * @param key the resource
   * @param local when this instance's own last good answer was fetched, if it has one
   * @return a newer answer, or empty
   */
  Optional<Cached<V>> lastGood(K key, Optional<Instant> local);

  /**
   * Returns the answers of a single instance: nothing is shared.
   *
   * @param <K> the key
   * @param <V> the answer
   * @return answers "nothing" at once
   */
  static <K, V> SharedAnswers<K, V> none() {
    return new SharedAnswers<>() {
      @Override
      public Optional<Cached<V>> fresh(K key) {
        return Optional.empty();
      }

      @Override
      public void fetched(K key, Cached<V> answer, boolean good) {}

      @Override
      public void failed(K key) {}

      @Override
      public Optional<Cached<V>> lastGood(K key, Optional<Instant> local) {
        return Optional.empty();
      }
    };
  }
}
