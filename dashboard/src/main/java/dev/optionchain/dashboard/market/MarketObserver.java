package dev.optionchain.dashboard.market;

import java.time.Duration;

/**
 * Watches the market-data service: every upstream call it makes and every answer it serves. Metrics and the SLA
 * report are built on it. Implementations must be thread-safe and quick: they run on request threads.
 */
public interface MarketObserver {

  /** Outcome of an upstream call that was a success. */
  String SUCCESS = "success";
  /** Outcome of an upstream call that the upstream answered as the caller's error (unknown symbol, 400). */
  String CLIENT_ERROR = "client_error";

  /** Observes nothing. */
  MarketObserver NONE = new MarketObserver() {
    @Override
    public void upstreamCall(String breaker, Duration elapsed, String outcome) {}

    @Override
    public void served(String breaker, Sourced.Source source) {}

    @Override
    public void unavailable(String breaker, Sourced.Cause cause) {}
  };

  /**
   * An upstream request was made (not when the breaker or a rate limit kept it from being made).
   *
   * @param breaker the call's breaker
   * @param elapsed how long it took
   * @param outcome {@link #SUCCESS}, {@link #CLIENT_ERROR}, or the failure kind in lower case ({@code timeout},
   *     {@code server_error}, ...)
   */
  void upstreamCall(String breaker, Duration elapsed, String outcome);

  /**
   * Data was served, live or from the cache.
   *
   * @param breaker the call's breaker
   * @param source where it came from
   */
  void served(String breaker, Sourced.Source source);

  /**
   * Data could not be served: neither the upstream nor the cache had it.
   *
   * @param breaker the call's breaker
   * @param cause why the upstream could not be used
   */
  void unavailable(String breaker, Sourced.Cause cause);

  /**
   * Returns an observer that tells both.
   *
   * @param a the first
   * @param b the second
   * @return both, in order
   */
  static MarketObserver both(MarketObserver a, MarketObserver b) {
    return new MarketObserver() {
      @Override
      public void upstreamCall(String breaker, Duration elapsed, String outcome) {
        a.upstreamCall(breaker, elapsed, outcome);
        b.upstreamCall(breaker, elapsed, outcome);
      }

      @Override
      public void served(String breaker, Sourced.Source source) {
        a.served(breaker, source);
        b.served(breaker, source);
      }

      @Override
      public void unavailable(String breaker, Sourced.Cause cause) {
        a.unavailable(breaker, cause);
        b.unavailable(breaker, cause);
      }
    };
  }
}
