package dev.optionchain.dashboard.market;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.dashboard.cache.Cached;
import dev.optionchain.dashboard.config.FreshFor;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * {@link FreshAnswers} in memory: a Caffeine {@link AsyncCache} of at most {@code maxEntries} answers, each expiring
 * {@link FreshFor#after its fresh-for} after it was fetched, timed by the service's monotonic clock (Caffeine's
 * {@code Ticker}), so tests move freshness with a {@code ManualClock}.
 *
 * <p>Single flight is the cache's own: the first caller of a missing key puts an incomplete future in the cache
 * and completes it on its own thread (no hop to another pool); later callers find that future and wait for it. A
 * future that completes exceptionally is removed by the cache, so a failure is never served from memory. With
 * {@code 0s} fresh-for an answer expires as it completes: callers still share a load in flight, but nothing is
 * kept. Cache maintenance runs on the callers' threads; the class starts no thread. Thread-safe.
 *
 * @param <K> the resource's key
 * @param <V> the answer's type
 */
final class MemoryFreshAnswers<K, V> implements FreshAnswers<K, V> {

  private final AsyncCache<K, Cached<V>> cache;
  private final LongAdder hits = new LongAdder();
  private final LongAdder loads = new LongAdder();
  private final LongAdder joined = new LongAdder();

  MemoryFreshAnswers(long maxEntries, FreshFor freshFor, BreakerClock clock) {
    this.cache = Caffeine.newBuilder()
        .maximumSize(maxEntries)
        .ticker(clock::nanoTime)
        .executor(Runnable::run)
        .expireAfter(new Expiry<K, Cached<V>>() {
          @Override
          public long expireAfterCreate(K key, Cached<V> value, long currentTime) {
            return nanos(freshFor, clock);
          }

          @Override
          public long expireAfterUpdate(K key, Cached<V> value, long currentTime, long currentDuration) {
            return nanos(freshFor, clock);
          }

          @Override
          public long expireAfterRead(K key, Cached<V> value, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .buildAsync();
  }

  private static long nanos(FreshFor freshFor, BreakerClock clock) {
    try {
      return Math.max(0, freshFor.after(clock.now()).toNanos());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public Cached<V> get(K key, Function<K, Cached<V>> load) {
    CompletableFuture<Cached<V>> mine = new CompletableFuture<>();
    CompletableFuture<Cached<V>> shared = cache.get(key, (k, executor) -> mine);
    if (shared == mine) {
      loads.increment();
      try {
        mine.complete(load.apply(key));
      } catch (RuntimeException | Error e) {
        mine.completeExceptionally(e);
      }
    } else if (shared.isDone()) {
      hits.increment();
    } else {
      joined.increment();
    }
    try {
      return shared.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  @Override
  public Optional<Cached<V>> peek(K key) {
    CompletableFuture<Cached<V>> f = cache.getIfPresent(key);
    if (f == null || !f.isDone() || f.isCompletedExceptionally()) {
      return Optional.empty();
    }
    return Optional.of(f.join());
  }

  /** @return answers served from memory */
  long hits() {
    return hits.sum();
  }

  /** @return loads started (each one upstream call at most) */
  long loads() {
    return loads.sum();
  }

  /** @return callers that waited for another caller's load instead of starting one */
  long joined() {
    return joined.sum();
  }
}
