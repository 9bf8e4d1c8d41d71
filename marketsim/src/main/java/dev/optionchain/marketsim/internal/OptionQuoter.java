package dev.optionchain.marketsim.internal;

import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Builds option quotes.
 *
 * <p><b>Value.</b> The theoretical value is {@link Bsm} at the surface vol
 * {@link VolSurface#vol σ(K, T)} (the long-run vol is 1.05 × the security's vol; today's
 * short-term vol is the long-run vol times e^(0.15·regime), a persistent daily regime), with the underlying at the current intraday price, the flat rate
 * {@link #RATE} and the security's dividend yield; T runs to the 16:00 close of the expiration
 * date (ACT/365). Greeks and {@code smv_vol} are taken at that vol.
 *
 * <p><b>Market.</b> Half-spread = max(half a tick, value · h · (1 + 0.6·|z|) · (1 + 0.35·min(T, 3)))
 * with h the security's liquidity and z the moment-adjusted moneyness in standard deviations;
 * bid is floored and ask ceiled to the tick grid (see {@link Security.TickTier}), a bid under one
 * tick becomes 0, and ask is at least one tick above bid. {@code bid_iv}, {@code mid_iv} and
 * {@code ask_iv} invert the bid, mid and ask with {@link ImpliedVol} (0 when not invertible).
 *
 * <p><b>Open interest</b> is fixed for the session: a Gaussian bump in moneyness around the
 * previous close (width 1.2 σ√T), boosted on round strikes (×1.6 on $10 multiples, ×1.3 on $5)
 * and on standard expirations, more puts below the money and calls above, times a hashed
 * log-normal factor. <b>Volume</b> is a fraction of open interest (at most all of it) that grows
 * toward expiry (4% + 60%·e^(−days/6)) and near the money, accumulated along the intraday U-shaped
 * profile; whether a contract trades at all on a day is drawn per (contract, day), likelier the more it would trade
 * ({@link #TRADE_SCALE}), so thin contracts often show no trade. {@code last} is the
 * value rounded to the tick (within bid/ask) when the contract traded today, else the previous
 * close.
 *
 * <p>Thread-safe: no mutable state beyond {@link PricePaths}' caches.
 */
final class OptionQuoter {

  /** Flat continuously compounded risk-free rate. */
  static final double RATE = 0.04;
  static final int CONTRACT_SIZE = 100;
  /** Log-volatility of the short-term vol around the long-run vol. */
  static final double REGIME_VOL = 0.15;
  static final int REGIME_MEMORY = 30;
  static final double REGIME_PERSISTENCE = 0.9;

  /** A contract expected to trade this many contracts a day trades today with probability 1 - 1/e. */
  static final double TRADE_SCALE = 150.0;

  private static final double SECONDS_PER_YEAR = Bsm.DAYS_PER_YEAR * 86_400.0;
  private static final DateTimeFormatter DESCRIPTION_DATE = DateTimeFormatter.ofPattern("MMM d yyyy", Locale.US);
  private static final String[] EXCHANGES = {"C", "X", "I", "M", "Z", "Q", "A", "N", "H", "W"};

  private final PricePaths paths;
  private final long seed;

  OptionQuoter(PricePaths paths) {
    this.paths = paths;
    this.seed = paths.seed();
  }

  /** The implied-vol surface of a security on a trading day. */
  VolSurface surface(Security security, LocalDate tradingDay) {
    double longRun = security.vol() * 1.05;
    return new VolSurface(longRun, longRun * Math.exp(REGIME_VOL * regime(security, tradingDay)), 0.25,
        security.smile().skew(), security.smile().smile());
  }

  /**
   * The volatility regime: a standard-normal, persistent series (a moving average of hashed daily
   * shocks with weights ρ^j over {@value #REGIME_MEMORY} calendar days, normalised to unit variance),
   * so short-dated vol drifts from day to day instead of jumping.
   */
  double regime(Security security, LocalDate day) {
    long symbolKey = Rand.hash(security.symbol());
    double sum = 0;
    double weight = 1;
    double norm = 0;
    for (int j = 0; j < REGIME_MEMORY; j++) {
      sum += weight * Rand.gaussian(Rand.key(seed, symbolKey, Rand.REGIME, day.toEpochDay() - j));
      norm += weight * weight;
      weight *= REGIME_PERSISTENCE;
    }
    return sum / Math.sqrt(norm);
  }

  /** The strikes listed for an expiration during {@code moment}'s session, in thousandths. */
  long[] strikes(Security security, MarketMoment moment, Expiration expiration) {
    Reference ref = reference(security, moment, expiration);
    return StrikeGrid.strikes(ref.price(), ref.vol(), ref.years());
  }

  /** Standard (monthly) expirations within this many days list an adjusted root's contracts too. */
  static final int ADJUSTED_ROOT_DAYS = 200;

  /**
   * The option roots listing an expiration, the security's own first. An index's weekly root (SPXW) lists every
   * expiration and its standard root (SPX) only the monthly ones, as on Cboe; an adjusted root (PLTR1) lists the
   * monthly expirations of the next {@value #ADJUSTED_ROOT_DAYS} days. Other securities have one root.
   */
  List<String> roots(Security security, MarketMoment moment, Expiration expiration) {
    List<String> roots = new ArrayList<>();
    for (String root : security.roots()) {
      boolean own = root.equals(security.root());
      boolean listed;
      if (security.index()) {
        listed = own ? expiration.standard() || security.roots().size() == 1 : true;
      } else {
        listed = own || expiration.standard()
            && ChronoUnit.DAYS.between(moment.day(), expiration.date()) <= ADJUSTED_ROOT_DAYS;
      }
      if (listed) {
        roots.add(root);
      }
    }
    return roots;
  }

  /** Whether a root lists a strike: an adjusted root only whole multiples of $5. */
  private static boolean lists(Security security, String root, long strikeMillis) {
    return security.index() || root.equals(security.root()) || strikeMillis % 5_000 == 0;
  }

  /** The whole chain of one expiration, every root: for each root, each strike ascending, the call then the put. */
  List<OptionQuote> chain(Security security, MarketMoment moment, Expiration expiration) {
    Pricing pricing = pricing(security, moment, expiration);
    long[] strikes = StrikeGrid.strikes(pricing.ref().price(), pricing.ref().vol(), pricing.ref().years());
    List<OptionQuote> quotes = new ArrayList<>(strikes.length * 2);
    for (String root : roots(security, moment, expiration)) {
      for (long strike : strikes) {
        if (lists(security, root, strike)) {
          quotes.add(quote(pricing, root, strike, OptionType.CALL));
          quotes.add(quote(pricing, root, strike, OptionType.PUT));
        }
      }
    }
    return quotes;
  }

  /** A single contract, if it is listed at {@code moment}. */
  Optional<OptionQuote> quote(Security security, MarketMoment moment, OccSymbol occ) {
    for (Expiration expiration : Expirations.listed(moment)) {
      if (expiration.date().equals(occ.expiration())) {
        if (!roots(security, moment, expiration).contains(occ.root())
            || !lists(security, occ.root(), occ.strikeMillis())) {
          return Optional.empty();
        }
        Pricing pricing = pricing(security, moment, expiration);
        Reference ref = pricing.ref();
        long[] strikes = StrikeGrid.strikes(ref.price(), ref.vol(), ref.years());
        if (Arrays.binarySearch(strikes, occ.strikeMillis()) >= 0) {
          return Optional.of(quote(pricing, occ.root(), occ.strikeMillis(), occ.type()));
        }
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private Reference reference(Security security, MarketMoment moment, Expiration expiration) {
    double ref = paths.of(security).close(MarketCalendar.previousTradingDay(moment.day()));
    long days = Math.max(1, ChronoUnit.DAYS.between(moment.day(), expiration.date()));
    double years = days / Bsm.DAYS_PER_YEAR;
    return new Reference(ref, surface(security, moment.day()).atm(years), years);
  }

  private Pricing pricing(Security security, MarketMoment moment, Expiration expiration) {
    PricePaths.Series series = paths.of(security);
    MarketMoment previous = moment.previousClose();
    MarketMoment open = moment.sessionOpen();
    VolSurface today = surface(security, moment.day());
    return new Pricing(security, moment, expiration, reference(security, moment, expiration),
        new State(series.price(moment), years(moment, expiration), today),
        new State(Money.cents(series.close(previous.day())), years(previous, expiration),
            surface(security, previous.day())),
        new State(series.open(moment.day()), years(open, expiration), today));
  }

  private static double years(MarketMoment moment, Expiration expiration) {
    long seconds = Duration.between(moment.instant(), expiration.expiresAt()).getSeconds();
    return Math.max(seconds, 1) / SECONDS_PER_YEAR;
  }

  private OptionQuote quote(Pricing p, String root, long strikeMillis, OptionType type) {
    Security sec = p.security();
    double k = strikeMillis / 1000.0;
    double q = sec.dividendYield();
    State now = p.now();
    double forward = now.spot() * Math.exp((RATE - q) * now.years());
    double sigma = now.surface().vol(k, now.years(), forward);
    double theo = Bsm.price(type, now.spot(), k, now.years(), RATE, q, sigma);
    Greeks greeks = Bsm.greeks(type, now.spot(), k, now.years(), RATE, q, sigma);

    // Bid and ask around the value, on the tick grid.
    Security.TickTier tier = sec.ticks();
    double z = Math.min(4, Math.abs(Math.log(k / forward)) / (sigma * Math.sqrt(now.years())));
    double relative = sec.spread().optionHalfSpread() * (1 + 0.6 * z) * (1 + 0.35 * Math.min(now.years(), 3));
    double half = Math.max(0.005 * tier.cents(theo), theo * relative);
    long bid = floorToTick(theo - half, tier);
    if (bid < tier.cents(0)) {
      bid = 0;
    }
    long ask = Math.max(ceilToTick(theo + half, tier), bid + tier.cents(bid / 100.0));
    ask = Math.max(ask, tier.cents(0));
    double bidIv = bid > 0 ? iv(type, bid / 100.0, now, k, q) : 0;
    double midIv = iv(type, (bid + ask) / 200.0, now, k, q);
    double askIv = iv(type, ask / 100.0, now, k, q);

    // Open interest and volume.
    long symbolKey = Rand.hash(sec.symbol());
    boolean ownRoot = root.equals(sec.root());
    long contractKey = ownRoot
        ? Rand.key(seed, symbolKey, p.expiration().date().toEpochDay(), strikeMillis, type.ordinal())
        : Rand.key(seed, symbolKey, Rand.hash(root), p.expiration().date().toEpochDay(), strikeMillis, type.ordinal());
    Reference ref = p.ref();
    double moneyness = Math.log(k / ref.price()) / (ref.vol() * Math.sqrt(ref.years()));
    double peak = Math.exp(-0.5 * moneyness * moneyness / 1.44);
    double roundBoost = strikeMillis % 10_000 == 0 ? 1.6 : strikeMillis % 5_000 == 0 ? 1.3 : 1.0;
    boolean otm = type == OptionType.PUT ? k < ref.price() : k > ref.price();
    double sideBoost = otm ? (type == OptionType.PUT ? 1.3 : 1.1) : 0.8;
    double cycleBoost = p.expiration().standard() ? 1.0 : 0.35;
    double oiNoise = Math.exp(0.45 * Rand.gaussian(Rand.key(contractKey, Rand.OPEN_INTEREST)) - 0.1);
    double rootShare = ownRoot ? 1.0 : sec.index() ? 0.8 : 0.08; // adjusted contracts are thin, legacy positions
    long openInterest = (long) (sec.averageVolume() * 0.0006 * (0.02 + peak) * roundBoost * sideBoost * cycleBoost
        * oiNoise * rootShare);
    double daysLeft = p.ref().years() * Bsm.DAYS_PER_YEAR;
    double turnover = 0.04 + 0.6 * Math.exp(-daysLeft / 6);
    double volNoise = Math.exp(0.5 * Rand.gaussian(Rand.key(contractKey, Rand.OPTION_VOLUME,
        p.moment().day().toEpochDay())) - 0.125);
    double activity = theo < 0.01 ? 0.2 : 1.0;
    double dayVolume = Math.min(1.0, turnover * (0.3 + peak) * volNoise * activity) * openInterest;
    // whether the contract trades at all today: likely for busy contracts, rare for thin ones (far from the money,
    // long-dated, small names), as in real chains where a large share of contracts show no trade on a given day
    boolean trades = Rand.uniform(Rand.key(contractKey, Rand.TRADES, p.moment().day().toEpochDay()))
        < 1 - Math.exp(-dayVolume / TRADE_SCALE);
    long volume = trades ? (long) (dayVolume * PricePaths.volumeFraction(p.moment().minute())) : 0;

    // Last, change and the day's range.
    State prev = p.previous();
    double prevForward = prev.spot() * Math.exp((RATE - q) * prev.years());
    double prevTheo = Bsm.price(type, prev.spot(), k, prev.years(), RATE, q,
        prev.surface().vol(k, prev.years(), prevForward));
    long prevClose = nearestTick(prevTheo, tier);
    Double prevclose = prevClose > 0 ? prevClose / 100.0 : null;
    Double last;
    Double open = null;
    Double high = null;
    Double low = null;
    if (volume > 0) {
      long lastCents = Math.min(ask, Math.max(bid, nearestTick(theo, tier)));
      State o = p.open();
      double openForward = o.spot() * Math.exp((RATE - q) * o.years());
      long openCents = nearestTick(Bsm.price(type, o.spot(), k, o.years(), RATE, q,
          o.surface().vol(k, o.years(), openForward)), tier);
      last = lastCents / 100.0;
      open = openCents / 100.0;
      high = Math.max(openCents, lastCents) / 100.0;
      low = Math.min(openCents, lastCents) / 100.0;
    } else {
      last = prevclose;
    }
    Double change = last == null ? null : prevclose == null ? null : Money.cents(last - prevclose);
    Double changePercentage = change == null || prevclose == 0 ? null : Money.cents(100.0 * change / prevclose);
    Double close = p.moment().open() ? null : last;

    long bookKey = Rand.key(contractKey, Rand.BOOK, p.moment().instant().getEpochSecond());
    long bidSize = bid == 0 ? 0 : 1 + (Rand.mix(bookKey) >>> 1) % 250;
    long askSize = 1 + (Rand.mix(bookKey + 1) >>> 1) % 250;
    String bidExchange = EXCHANGES[(int) ((Rand.mix(bookKey + 2) >>> 1) % EXCHANGES.length)];
    String askExchange = EXCHANGES[(int) ((Rand.mix(bookKey + 3) >>> 1) % EXCHANGES.length)];
    long quoteDate = p.moment().instant().toEpochMilli();

    OccSymbol occ = new OccSymbol(root, p.expiration().date(), type, strikeMillis);
    String description = String.format(Locale.US, "%s %s $%.2f %s", root,
        p.expiration().date().format(DESCRIPTION_DATE), k, type == OptionType.CALL ? "Call" : "Put");
    return new OptionQuote(occ, description, p.expiration(), last, change, changePercentage, volume, open, high,
        low, close, bid / 100.0, ask / 100.0, bidSize, askSize, bidExchange, askExchange, quoteDate,
        volume > 0 ? quoteDate : 0, prevclose, openInterest, greeks, bidIv, midIv, askIv, sigma,
        p.moment().instant(), theo, sec.symbol());
  }

  private static double iv(OptionType type, double price, State now, double k, double q) {
    double iv = ImpliedVol.solve(type, price, now.spot(), k, now.years(), RATE, q);
    return Double.isNaN(iv) ? 0 : iv;
  }

  /** Largest tick-grid price (cents) at or below {@code price}. */
  static long floorToTick(double price, Security.TickTier tier) {
    if (price <= 0) {
      return 0;
    }
    long cents = (long) Math.floor(price * 100 + 1e-9);
    int tick = tier.cents(cents / 100.0);
    return cents - Math.floorMod(cents, tick);
  }

  /** Smallest tick-grid price (cents) at or above {@code price}. */
  static long ceilToTick(double price, Security.TickTier tier) {
    if (price <= 0) {
      return 0;
    }
    long cents = (long) Math.ceil(price * 100 - 1e-9);
    int tick = tier.cents(price);
    long rem = Math.floorMod(cents, tick);
    return rem == 0 ? cents : cents + tick - rem;
  }

  /** Nearest tick-grid price (cents). */
  static long nearestTick(double price, Security.TickTier tier) {
    if (price <= 0) {
      return 0;
    }
    int tick = tier.cents(price);
    return Math.round(price * 100 / tick) * tick;
  }

  /** Where the strike grid and open interest are centred: the previous close, ATM vol, calendar years. */
  private record Reference(double price, double vol, double years) {
  }

  /** Spot, time to expiry and surface at one instant. */
  private record State(double spot, double years, VolSurface surface) {
  }

  private record Pricing(Security security, MarketMoment moment, Expiration expiration, Reference ref, State now,
               State previous, State open) {
  }
}
