package dev.optionchain.examples;

import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerOpenException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The README's "breaker in ten lines" and the first sample of {@code docs/circuit-breaker.md}: an upstream call
 * protected by a breaker, with a cache to fall back on while it is open.
 */
public final class QuickStart {

  /** An option chain, as far as the sample needs one. */
  public record Chain(String symbol, LocalDate expiration) {}

  /** The unreliable dependency. */
  public interface Upstream {
    /**
     * Fetches a chain.
     *
     * @param symbol the underlying
     * @param expiration the expiration
     * @return the chain
     */
    Chain chain(String symbol, LocalDate expiration);
  }

  /** Thrown when neither the upstream nor the cache can answer; a web layer maps it to 503 + Retry-After. */
  public static final class ServiceUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Duration retryAfter;

    ServiceUnavailable(Duration retryAfter) {
      super("upstream unavailable; retry after " + retryAfter);
      this.retryAfter = retryAfter;
    }

    /**
     * Returns when to try again.
     *
     * @return the breaker's retry-after hint
     */
    public Duration retryAfter() {
      return retryAfter;
    }
  }

  /** A last-good-answer cache. */
  static final class ChainCache {
    private final ConcurrentMap<String, Chain> chains = new ConcurrentHashMap<>();

    void put(Chain chain) {
      chains.put(chain.symbol(), chain);
    }

    Optional<Chain> get(String symbol) {
      return Optional.ofNullable(chains.get(symbol));
    }
  }

  private static final System.Logger LOG = System.getLogger(QuickStart.class.getName());

  private final Upstream upstream;
  private final ChainCache cache = new ChainCache();
  private final CircuitBreaker breaker;

  /**
   * Creates the sample around an upstream.
   *
   * @param upstream the dependency
   */
  public QuickStart(Upstream upstream) {
    this.upstream = upstream;
    this.breaker = tenLines();
  }

  private static CircuitBreaker tenLines() {
    Log log = new Log();
    // tag::readme[]
    CircuitBreaker breaker = CircuitBreaker.of("options_chain", 3, Duration.ofSeconds(90));
    breaker.onStateTransition(t -> log.warn("{}", t));   // CLOSED -> OPEN (3 consecutive failures)
    // end::readme[]
    return breaker;
  }

  /**
   * The AAPL chain of {@code expiration}: live while the breaker admits calls, else the cached copy.
   *
   * @param expiration the expiration
   * @return the chain
   * @throws ServiceUnavailable if the breaker is open and nothing is cached
   */
  public Chain aaplChain(LocalDate expiration) {
    // tag::readme[]
    try {
      Chain chain = breaker.call(() -> upstream.chain("AAPL", expiration));
      cache.put(chain);
    } catch (CircuitBreakerOpenException open) {          // upstream not called
      return cache.get("AAPL").orElseThrow(() -> new ServiceUnavailable(open.retryAfter()));
    }
    // end::readme[]
    return cache.get("AAPL").orElseThrow();
  }

  /**
   * The first sample of {@code docs/circuit-breaker.md}: the call, and where the fallback goes.
   *
   * @param upstream the dependency
   * @param expiration the expiration
   */
  public static void basicCall(Upstream upstream, LocalDate expiration) {
    // tag::basic-call[]
    CircuitBreaker breaker = CircuitBreaker.of("options_chain", 3, Duration.ofSeconds(90));

    try {
      Chain chain = breaker.call(() -> upstream.chain("AAPL", expiration));
    } catch (CircuitBreakerOpenException open) {
      // not called: serve the cache, or answer 503 with Retry-After: open.retryAfter()
    }
    // end::basic-call[]
  }

  /**
   * The breaker, for the tests.
   *
   * @return the breaker
   */
  public CircuitBreaker breaker() {
    return breaker;
  }

  /** An SLF4J-style {@code warn} over {@link System.Logger}, so the sample reads as it would in a service. */
  private static final class Log {
    void warn(String format, Object arg) {
      LOG.log(System.Logger.Level.WARNING, format.replace("{}", String.valueOf(arg)));
    }
  }
}
