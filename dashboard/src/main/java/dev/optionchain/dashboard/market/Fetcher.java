package dev.optionchain.dashboard.market;

import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerOpenException;
import dev.optionchain.dashboard.cache.CacheException;
import dev.optionchain.dashboard.cache.Cached;
import dev.optionchain.dashboard.market.Sourced.Cause;
import dev.optionchain.dashboard.market.Sourced.Fallback;
import dev.optionchain.dashboard.upstream.UnknownSymbolException;
import dev.optionchain.dashboard.upstream.UpstreamBadRequestException;
import dev.optionchain.dashboard.upstream.UpstreamFailureException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kind of market data, fetched the same way for every kind. {@link #get} reads top to bottom:
 * <ol>
 *   <li><b>memory</b>: a fresh answer ({@link FreshAnswers}), with its real {@code asOf}; else</li>
 *   <li><b>bulkhead</b>: a place among the requests waiting for this kind's upstream ({@link Bulkhead}), or the
 *       fallback at once;</li>
 *   <li><b>single flight</b>: the first caller of the key loads it, the others wait for that load; in a fleet the
 *       loader first takes another instance's fresh answer, or waits for the one another instance is fetching
 *       ({@link SharedAnswers#fresh});</li>
 *   <li><b>breaker</b>: an OPEN breaker (or a HALF_OPEN one with its trial in flight) rejects, spending nothing;</li>
 *   <li><b>bulkhead, budget</b>: first things in the admitted call, no upstream call when this kind already has its
 *       most calls in flight ({@link Bulkhead}) or the upstream budget is spent ({@link UpstreamBudget}); the breaker
 *       ignores those refusals ({@link #isRefusal}), so a HALF_OPEN trial is not used up, and a trial is never made
 *       without a place and a permit;</li>
 *   <li><b>client</b>: {@code upstream.apply(key, timeout)};</li>
 *   <li><b>writer</b>: a good answer goes to memory and, off the request path, to DuckDB
 *       ({@link LastGoodAnswers#put}) and to the fleet ({@link SharedAnswers#fetched});</li>
 *   <li><b>fallback</b>, only when the upstream was not used or failed, after the call and outside the breaker: the
 *       last good answer, stale, with the reason; else {@link DataUnavailableException}.</li>
 * </ol>
 * Unknown symbols and bad requests are the caller's errors ({@link NotFoundException}, {@link InvalidRequestException})
 * and successes for the breaker; a call cut short by an interrupt of the calling thread (shutdown) is ignored by it.
 * An empty answer for a key whose good answer is in memory is an upstream failure ({@code EMPTY}) and never replaces
 * it. Thread-safe.
 *
 * @param <K> the key
 * @param <V> the answer
 */
final class Fetcher<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);

  /**
   * Pause after a 429 that named no wait, or a wait already over by our clock (a wall clock ahead of the upstream's:
   * it refused, so its window has not ended). Tradier's rate-limit window is one minute.
   */
  static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofSeconds(60);

  /** When a request refused by the bulkhead is told to ask again: a place frees up as soon as one call ends. */
  static final Duration BULKHEAD_RETRY_AFTER = Duration.ofSeconds(1);

  /**
   * Whether {@code t} is the fetcher's own refusal (the budget is spent, or the calling thread was interrupted): a
   * breaker must ignore it, neither a failure nor a success.
   *
   * @param t an exception thrown by a breaker-protected call
   * @return true for a refusal
   */
  static boolean isRefusal(Throwable t) {
    return t instanceof Refusal;
  }

  /** Why the upstream was not used or failed; shared by every caller waiting on the load. Stackless. */
  static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Fallback why;

    Refusal(Fallback why) {
      super(why.detail(), null, false, false);
      this.why = why;
    }
  }

  private final String name;
  private final CircuitBreaker breaker;
  private final Duration timeout;
  private final FreshAnswers<K, V> fresh;
  private final LastGoodAnswers<K, V> lastGood;
  private final UpstreamBudget budget;
  private final BiFunction<K, Duration, V> upstream;
  private final Predicate<V> empty;
  private final Function<K, Optional<Cached<V>>> shortcut;
  private final MarketObserver observer;
  private final BreakerClock clock;
  private final BiFunction<String, Boolean, RuntimeException> unknownSymbol;
  private final SharedAnswers<K, V> shared;
  private final Bulkhead bulkhead;

  /**
   * @param name the breaker's name, also the kind's
   * @param breaker the breaker, or null when breakers are disabled
   * @param timeout the upstream call's timeout
   * @param fresh fresh answers and single flight
   * @param lastGood the stale fallback, and where good answers go
   * @param budget the upstream budget, shared by every kind
   * @param upstream the client call
   * @param empty whether an answer is empty (nothing listed)
   * @param shortcut a fresh answer derived from another kind's (ticker info from a fresh quote), or empty
   * @param observer metrics and SLA
   * @param clock the service's clock
   * @param unknownSymbol told of a symbol the upstream does not know, and whether a good answer of this key is in
   *     memory (then the upstream's word is a glitch as likely as news); returns the exception to throw
   * @param shared the answers shared with a fleet's other instances ({@link SharedAnswers#none()} alone)
   * @param bulkhead how many requests may wait for this kind's upstream, and how many of its calls may be in flight
   */
  Fetcher(String name, CircuitBreaker breaker, Duration timeout, FreshAnswers<K, V> fresh,
      LastGoodAnswers<K, V> lastGood, UpstreamBudget budget, BiFunction<K, Duration, V> upstream,
      Predicate<V> empty, Function<K, Optional<Cached<V>>> shortcut, MarketObserver observer, BreakerClock clock,
      BiFunction<String, Boolean, RuntimeException> unknownSymbol, SharedAnswers<K, V> shared, Bulkhead bulkhead) {
    this.name = name;
    this.breaker = breaker;
    this.timeout = timeout;
    this.fresh = fresh;
    this.lastGood = lastGood;
    this.budget = budget;
    this.upstream = upstream;
    this.empty = empty;
    this.shortcut = shortcut;
    this.observer = observer;
    this.clock = clock;
    this.unknownSymbol = unknownSymbol;
    this.shared = shared;
    this.bulkhead = bulkhead;
  }

  /**
   * Returns the key's answer: fresh from memory, fetched, or the stale fallback.
   *
   * @param key the resource
   * @return the answer and where it came from
   * @throws NotFoundException if the upstream does not know the symbol
   * @throws InvalidRequestException if the upstream rejected the request
   * @throws DataUnavailableException if neither the upstream nor the cache has it
   */
  Sourced<V> get(K key) {
    Optional<Cached<V>> ready = fresh.peek(key); // a fresh answer waits for nothing: no place needed
    Cached<V> answer;
    try {
      answer = ready.isPresent() ? ready.get() : waitFor(key);
    } catch (Refusal refused) {
      return fallback(key, refused.why);
    }
    observer.served(name, Sourced.Source.LIVE);
    return Sourced.live(answer.value(), answer.fetchedAt());
  }

  /**
   * Returns the key's answer if it is fresh in memory or being loaded (waiting for that load), without a call of its
   * own.
   *
   * @param key the resource
   * @return the answer, or empty
   */
  Optional<Cached<V>> joinIfPresent(K key) {
    return fresh.joinIfPresent(key);
  }

  /** Loads the key, or waits for its load in flight, holding a waiting place of the bulkhead meanwhile. */
  private Cached<V> waitFor(K key) {
    if (!bulkhead.tryEnter()) {
      throw busy("requests waiting", "max-waiting-requests", bulkhead.maxWaiting());
    }
    try {
      return fresh.get(key, this::loadShared);
    } finally {
      bulkhead.leave();
    }
  }

  private Refusal busy(String what, String setting, int max) {
    return new Refusal(new Fallback(name, Cause.BULKHEAD_FULL, Optional.of(BULKHEAD_RETRY_AFTER), max + " " + what
        + " for the upstream of '" + name + "' already (breaker." + name + "." + setting + "); upstream not called"));
  }

  /** The load, telling the fleet when it ends without an answer, so that instances waiting for it go on. */
  private Cached<V> loadShared(K key) {
    try {
      return load(key);
    } catch (RuntimeException | Error e) {
      shared.failed(key);
      throw e;
    }
  }

  /** The single flight's load: breaker, bulkhead, budget, client, writer. Runs once per key at a time. */
  private Cached<V> load(K key) {
    Optional<Cached<V>> derived = shortcut.apply(key);
    if (derived.isEmpty() && (breaker == null || !breaker.isOpen())) { // open: nobody is fetching, no lock to take
      derived = shared.fresh(key); // another instance's fresh answer, or the one it is fetching now
    }
    if (derived.isPresent()) {
      lastGood.put(key, derived.get().value(), derived.get().fetchedAt());
      return derived.get();
    }
    boolean known = lastGood.knows(key);
    V value;
    try {
      // the bulkhead and the budget are asked inside the admitted call: an OPEN breaker rejects without taking a place
      // or spending the budget, and a breaker that turns HALF_OPEN between a look at its state and its admission
      // cannot make a trial call without them
      value = breaker == null ? placed(key, known) : breaker.call(() -> placed(key, known));
    } catch (CircuitBreakerOpenException open) {
      throw new Refusal(new Fallback(name, Cause.BREAKER_OPEN, Optional.of(open.retryAfter()),
          "circuit breaker '" + name + "' is " + open.state() + "; upstream not called"));
    } catch (UnknownSymbolException unknown) {
      throw unknownSymbol.apply(unknown.symbol(), known);
    } catch (UpstreamBadRequestException bad) {
      throw new InvalidRequestException("the upstream rejected the request: " + bad.getMessage());
    } catch (UpstreamFailureException failure) {
      if (failure.kind() == UpstreamFailureException.Kind.RATE_LIMITED) {
        Duration wait = budget.pause(failure.retryAfter().filter(d -> d.compareTo(Duration.ZERO) > 0)
            .orElse(DEFAULT_RATE_LIMIT_WAIT));
        throw new Refusal(new Fallback(name, Cause.RATE_LIMITED, Optional.of(wait),
            "upstream rate limit: " + failure.getMessage()));
      }
      LOG.warn("upstream {} failed: {} {}", name, failure.kind(), failure.getMessage());
      throw new Refusal(new Fallback(name, Cause.UPSTREAM_FAILED, failure.retryAfter(),
          "upstream failed (" + failure.kind() + "): " + failure.getMessage()));
    }
    Instant asOf = now();
    if (!empty.test(value)) {
      lastGood.put(key, value, asOf);
    } else if (!known && cachedQuietly(key).isPresent()) {
      // an empty answer where DuckDB (not memory) had data: serve the data, keep the emptiness out of memory
      throw new Refusal(new Fallback(name, Cause.UPSTREAM_FAILED, Optional.empty(),
          "upstream failed (EMPTY): an empty answer where data is cached"));
    }
    Cached<V> answer = new Cached<>(value, asOf);
    shared.fetched(key, answer, !empty.test(value));
    return answer;
  }

  /**
   * The breaker-protected call: a call place of the bulkhead, taken before the budget so that a refusal spends
   * nothing (else a {@link Refusal}, which the breaker ignores), then the budget and the upstream call.
   */
  private V placed(K key, boolean known) {
    if (!bulkhead.tryCall()) {
      throw busy("calls in flight", "max-concurrent-calls", bulkhead.maxCalls());
    }
    try {
      return budgeted(key, known);
    } finally {
      bulkhead.endCall();
    }
  }

  /** A permit from the budget (else a {@link Refusal}, which the breaker ignores), then the upstream call. */
  private V budgeted(K key, boolean known) {
    Optional<Duration> wait = budget.tryAcquire(known);
    if (wait.isPresent()) {
      throw new Refusal(new Fallback(name, Cause.RATE_LIMITED, Optional.of(wait.get()),
          "upstream budget spent (upstream.rate-limit-per-minute, or the upstream's X-Ratelimit headers); "
              + "upstream not called"));
    }
    return call(key, known);
  }

  /** The upstream request, timed, and nothing else. */
  private V call(K key, boolean known) {
    long start = System.nanoTime(); // a measurement of real work, not a wait: the real clock
    String outcome = MarketObserver.SUCCESS;
    try {
      V value = upstream.apply(key, timeout);
      if (known && empty.test(value)) {
        outcome = "empty";
        throw new UpstreamFailureException(UpstreamFailureException.Kind.EMPTY, 200, null,
            "empty answer for " + key + " where data was known", null);
      }
      return value;
    } catch (UnknownSymbolException | UpstreamBadRequestException e) {
      outcome = MarketObserver.CLIENT_ERROR;
      throw e;
    } catch (UpstreamFailureException e) {
      outcome = e.kind().name().toLowerCase(Locale.ROOT);
      if (Thread.currentThread().isInterrupted()) {
        // cut short by an interrupt of ours (shutdown): not the upstream's failure, so the breaker ignores it
        throw new Refusal(new Fallback(name, Cause.UPSTREAM_FAILED, Optional.empty(),
            "the upstream call was interrupted on our side; not counted as an upstream failure"));
      }
      throw e;
    } catch (RuntimeException | Error e) {
      outcome = "error";
      throw e;
    } finally {
      observer.upstreamCall(name, Duration.ofNanos(System.nanoTime() - start), outcome);
    }
  }

  private Sourced<V> fallback(K key, Fallback why) {
    Optional<Cached<V>> hit = cachedQuietly(key);
    if (hit.isEmpty()) {
      observer.unavailable(name, why.cause());
      throw new DataUnavailableException(why);
    }
    observer.served(name, Sourced.Source.CACHE);
    return Sourced.cached(hit.get().value(), hit.get().fetchedAt(), why);
  }

  /** A cache that cannot be read is a miss, logged; it never turns a fallback into a 500. */
  private Optional<Cached<V>> cachedQuietly(K key) {
    try {
      return lastGood.get(key);
    } catch (CacheException e) {
      LOG.error("cache read failed: {}", e.getMessage(), e);
      return Optional.empty();
    }
  }

  /** Now, at the cache's precision (microseconds), so a live answer's asOf is what the cache will later report. */
  private Instant now() {
    return clock.now().truncatedTo(ChronoUnit.MICROS);
  }
}
