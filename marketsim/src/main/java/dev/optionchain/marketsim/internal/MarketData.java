package dev.optionchain.marketsim.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The simulated market: everything an endpoint can ask, as plain values, for one seed.
 * Every answer is a pure function of (seed, pricing instant, arguments).
 *
 * <p>Thread-safe.
 */
final class MarketData {

  private static final String[] STOCK_EXCHANGES = {"Q", "N", "P", "Z", "K", "Y", "J", "X"};

  private final Universe universe;
  private final PricePaths paths;
  private final OptionQuoter options;
  private final long seed;

  MarketData(long seed, Universe universe) {
    this.seed = seed;
    this.universe = universe;
    this.paths = new PricePaths(seed);
    this.options = new OptionQuoter(paths);
  }

  Universe universe() {
    return universe;
  }

  MarketMoment moment(Instant now) {
    return MarketCalendar.moment(now);
  }

  /** A stock or ETF quote. */
  StockQuote quote(Security security, MarketMoment moment) {
    PricePaths.Series series = paths.of(security);
    PricePaths.DayStats stats = series.stats(moment.day());
    Bar today = series.bar(moment.day(), moment.minute());
    double last = today.close();
    double change = Money.cents(last - stats.prevClose());
    double changePercentage = Money.cents(100.0 * change / stats.prevClose());

    long lastCents = Money.toCents(last);
    long spreadCents = Math.max(Money.toCents(security.spread().stockSpread()), Math.round(last * 0.005));
    long bidCents = Math.max(1, lastCents - spreadCents / 2);
    long askCents = bidCents + spreadCents;
    long bookKey = Rand.key(seed, Rand.hash(security.symbol()), Rand.BOOK, moment.instant().getEpochSecond());
    long tradeDate = moment.instant().toEpochMilli();
    return new StockQuote(security, last, change, changePercentage, today.volume(), stats.averageVolume(),
        100 * (1 + (Rand.mix(bookKey) >>> 1) % 10), tradeDate, today.open(), today.high(), today.low(),
        moment.open() ? null : last, stats.prevClose(), Math.max(stats.high52(), today.high()),
        Math.min(stats.low52(), today.low()), bidCents / 100.0, 1 + (Rand.mix(bookKey + 1) >>> 1) % 20,
        exchange(bookKey + 2), askCents / 100.0, 1 + (Rand.mix(bookKey + 3) >>> 1) % 20,
        exchange(bookKey + 4), tradeDate);
  }

  private static String exchange(long key) {
    return STOCK_EXCHANGES[(int) ((Rand.mix(key) >>> 1) % STOCK_EXCHANGES.length)];
  }

  List<Expiration> expirations(MarketMoment moment) {
    return Expirations.listed(moment);
  }

  Optional<Expiration> expiration(MarketMoment moment, LocalDate date) {
    return Expirations.listed(moment).stream().filter(e -> e.date().equals(date)).findFirst();
  }

  /**
   * The expirations a security lists: of every root, or of its own root only ({@code includeAllRoots} not asked:
   * SPX then lists only its monthlies, its weeklies being SPXW's).
   */
  List<Expiration> expirations(Security security, MarketMoment moment, boolean allRoots) {
    List<Expiration> listed = new ArrayList<>();
    for (Expiration e : Expirations.listed(moment)) {
      List<String> roots = options.roots(security, moment, e);
      if (allRoots ? !roots.isEmpty() : roots.contains(security.root())) {
        listed.add(e);
      }
    }
    return listed;
  }

  /** An expiration listed by any of the security's roots. */
  Optional<Expiration> expiration(Security security, MarketMoment moment, LocalDate date) {
    return expiration(moment, date).filter(e -> !options.roots(security, moment, e).isEmpty());
  }

  /** Listed strikes in dollars, ascending. */
  double[] strikes(Security security, MarketMoment moment, Expiration expiration) {
    long[] millis = options.strikes(security, moment, expiration);
    double[] strikes = new double[millis.length];
    for (int i = 0; i < millis.length; i++) {
      strikes[i] = millis[i] / 1000.0;
    }
    return strikes;
  }

  List<OptionQuote> chain(Security security, MarketMoment moment, Expiration expiration) {
    return options.chain(security, moment, expiration);
  }

  Optional<OptionQuote> option(OccSymbol occ, MarketMoment moment) {
    return universe.byRoot(occ.root()).flatMap(security -> options.quote(security, moment, occ));
  }

  /** Bars for the trading days in [from, to] up to {@code moment} (today's bar partial during a session). */
  List<Bar> history(Security security, LocalDate from, LocalDate to, Interval interval, MarketMoment moment) {
    List<Bar> daily = paths.of(security).dailyBars(from, to, moment);
    if (interval == Interval.DAILY || daily.isEmpty()) {
      return daily;
    }
    List<Bar> merged = new ArrayList<>();
    Bar current = null;
    LocalDate period = null;
    for (Bar bar : daily) {
      LocalDate p = interval.period(bar.date());
      if (current != null && p.equals(period)) {
        current = new Bar(current.date(), current.open(), Math.max(current.high(), bar.high()),
            Math.min(current.low(), bar.low()), bar.close(), current.volume() + bar.volume());
      } else {
        if (current != null) {
          merged.add(current);
        }
        current = bar;
        period = p;
      }
    }
    merged.add(current);
    return merged;
  }

  /** Internal access for model tests. */
  PricePaths paths() {
    return paths;
  }

  OptionQuoter options() {
    return options;
  }
}
