package dev.optionchain.dashboard.market;

import dev.optionchain.dashboard.model.Expirations;
import dev.optionchain.dashboard.model.OptionChain;
import dev.optionchain.dashboard.model.PriceHistory;
import dev.optionchain.dashboard.model.Quote;
import dev.optionchain.dashboard.model.TickerInfo;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the dashboard page shows for one symbol, each part loaded with its own fallback (live, then cache, then
 * absent) and its own status, so one failing upstream call degrades one part, not the page.
 *
 * @param symbol the symbol
 * @param expiration the expiration of {@link #chain}: the nearest listed one, if any is known
 * @param quote the current price
 * @param info name, type, exchange, 52-week range
 * @param expirations listed expirations
 * @param chain the option chain for {@link #expiration}
 * @param history daily bars of the last six months
 */
public record DashboardView(
    String symbol,
    Optional<LocalDate> expiration,
    Part<Quote> quote,
    Part<TickerInfo> info,
    Part<Expirations> expirations,
    Part<OptionChain> chain,
    Part<PriceHistory> history) {

  /** How a part was loaded. */
  public enum Status {
    /** Fetched from the upstream. */
    LIVE,
    /** From the cache, with the reason. */
    CACHE,
    /** Neither the upstream nor the cache had it. */
    UNAVAILABLE,
    /** The upstream has no such data (e.g. no listed options). */
    NOT_FOUND
  }

  /**
   * One part of the view.
   *
   * @param status how it was loaded
   * @param value the data with its provenance, when LIVE or CACHE
   * @param breaker the breaker of the upstream call
   * @param error why it is missing, when UNAVAILABLE or NOT_FOUND
   * @param retryAfter when it is worth asking again, when known
   * @param <T> the data's type
   */
  public record Part<T>(Status status, Optional<Sourced<T>> value, String breaker, Optional<String> error,
      Optional<Duration> retryAfter) {

    /** Checks the components. */
    public Part {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(breaker, "breaker");
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(retryAfter, "retryAfter");
    }

    static <T> Part<T> of(Sourced<T> s, String breaker) {
      return new Part<>(s.source() == Sourced.Source.LIVE ? Status.LIVE : Status.CACHE, Optional.of(s), breaker,
          Optional.empty(), s.fallback().flatMap(Sourced.Fallback::retryAfter));
    }

    static <T> Part<T> unavailable(DataUnavailableException e) {
      return new Part<>(Status.UNAVAILABLE, Optional.empty(), e.breaker(), Optional.of(e.getMessage()),
          e.retryAfter());
    }

    static <T> Part<T> notFound(String breaker, String message) {
      return new Part<>(Status.NOT_FOUND, Optional.empty(), breaker, Optional.of(message), Optional.empty());
    }
  }
}
