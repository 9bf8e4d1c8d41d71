package dev.optionchain.dashboard.market;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.dashboard.cache.Cached;
import dev.optionchain.dashboard.config.FreshFor;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * {@link FreshAnswers} in memory: a Caffeine {@link AsyncCache} of at most {@code cache.memory-entries} answers and
 * about {@code cache.memory-limit} bytes ({@link AnswerWeight}: a load in flight weighs nothing until it completes; an
 * answer heavier than the whole limit is served to its callers but not kept), each expiring
 * {@link FreshFor#after its fresh-for} after it was fetched ({@link Cached#fetchedAt()}: an answer another instance
 * of a fleet fetched a moment ago is fresh for what is left of its fresh-for, not for a whole one more), timed by the
 * service's monotonic clock (Caffeine's {@code Ticker}), so tests move freshness with a {@code ManualClock}.
 *
 * <p>Single flight is the cache's own: the first caller of a missing key puts an incomplete future in the cache
 * and completes it on its own thread (no hop to another pool); later callers find that future and wait for it. A
 * failure completes the future normally with an {@code Outcome} holding the exception (so that the cache does not
 * log every refused call as a failed load), which expires at once and is removed: the callers that waited for it
 * rethrow it, and it is never served from memory afterwards. With
 * {@code 0s} fresh-for an answer expires as it completes: callers still share a load in flight, but nothing is
 * kept. Cache maintenance runs on the callers' threads; the class starts no thread. Thread-safe.
 *
 * @param <K> the resource's key
 * @param <V> the answer's type
 */
final class MemoryFreshAnswers<K, V> implements FreshAnswers<K, V> {

  /** A load's result: the answer, or the exception every waiting caller rethrows. */
  private record Outcome<V>(Cached<V> answer, Throwable error) {}

  private final AsyncCache<K, Outcome<V>> cache;
  private final LongAdder hits = new LongAdder();
  private final LongAdder loads = new LongAdder();
  private final LongAdder joined = new LongAdder();

  MemoryFreshAnswers(AnswerWeight weight, FreshFor freshFor, BreakerClock clock) {
    this.cache = Caffeine.newBuilder()
        .maximumWeight(weight.limit())
        .<K, Outcome<V>>weigher((k, o) -> weight.weigh(o.error() != null ? null : o.answer().value()))
        .ticker(clock::nanoTime)
        .executor(Runnable::run)
        .expireAfter(new Expiry<K, Outcome<V>>() {
          @Override
          public long expireAfterCreate(K key, Outcome<V> value, long currentTime) {
            return value.error() != null ? 0 : nanos(freshFor, value.answer().fetchedAt(), clock);
          }

          @Override
          public long expireAfterUpdate(K key, Outcome<V> value, long currentTime, long currentDuration) {
            return value.error() != null ? 0 : nanos(freshFor, value.answer().fetchedAt(), clock);
          }

          @Override
          public long expireAfterRead(K key, Outcome<V> value, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .buildAsync();
  }

  /** What is left of the fresh-for of an answer fetched at {@code fetchedAt} (by this instance: all of it). */
  private static long nanos(FreshFor freshFor, Instant fetchedAt, BreakerClock clock) {
    try {
      Duration age = Duration.between(fetchedAt, clock.now());
      if (age.isNegative()) {
        age = Duration.ZERO; // fetched by an instance whose clock is a little ahead
      }
      return Math.max(0, freshFor.after(fetchedAt).minus(age).toNanos());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public Cached<V> get(K key, Function<K, Cached<V>> load) {
    CompletableFuture<Outcome<V>> mine = new CompletableFuture<>();
    CompletableFuture<Outcome<V>> shared = cache.get(key, (k, executor) -> mine);
    if (shared == mine) {
      loads.increment();
      try {
        mine.complete(new Outcome<>(load.apply(key), null));
      } catch (RuntimeException | Error e) {
        mine.complete(new Outcome<>(null, e));
        cache.asMap().remove(key, mine);
      }
    } else if (shared.isDone()) {
      hits.increment();
    } else {
      joined.increment();
    }
    Outcome<V> outcome = shared.join(); // completed normally, also by a failed load
    Throwable error = outcome.error();
    if (error instanceof RuntimeException r) {
      throw r;
    }
    if (error instanceof Error err) {
      throw err;
    }
    return outcome.answer();
  }

  @Override
  public Optional<Cached<V>> joinIfPresent(K key) {
    CompletableFuture<Outcome<V>> f = cache.getIfPresent(key);
    if (f == null) {
      return Optional.empty();
    }
    Outcome<V> outcome = f.join(); // completed normally, also by a failed load
    return outcome.error() != null ? Optional.empty() : Optional.of(outcome.answer());
  }

  @Override
  public Optional<Cached<V>> peek(K key) {
    CompletableFuture<Outcome<V>> f = cache.getIfPresent(key);
    if (f == null || !f.isDone() || f.join().error() != null) {
      return Optional.empty();
    }
    hits.increment();
    return Optional.of(f.join().answer());
  }

  /** @return the answers kept, after Caffeine's pending maintenance (evictions) */
  long size() {
    cache.synchronous().cleanUp();
    return cache.synchronous().estimatedSize();
  }

  /** @return the weight of the answers kept ({@link AnswerWeight}), after Caffeine's pending maintenance */
  long weightedSize() {
    cache.synchronous().cleanUp();
    return cache.synchronous().policy().eviction().orElseThrow().weightedSize().orElseThrow();
  }

  /** @return answers served from memory, by {@link #get} or {@link #peek} */
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
