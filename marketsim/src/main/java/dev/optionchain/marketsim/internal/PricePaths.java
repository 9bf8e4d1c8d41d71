package dev.optionchain.marketsim.internal;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The underlying price model.
 *
 * <p><b>Daily closes</b> follow geometric Brownian motion on trading days:
 * {@code ln C(d) = ln C(d⁻) + (μ − σ²/2)/252 + σ/√252 · Z(d)}, where {@code d⁻} is the previous
 * trading day and {@code Z(d)} is a standard normal hashed from (seed, symbol, date). The walk is
 * pinned at the anchor day ({@link #ANCHOR}, close = the security's anchor price) and extended
 * forward and backward from it on demand, always summing in the same order, so a close depends only
 * on (seed, symbol, date).
 *
 * <p><b>Opens</b> gap from the previous close by {@code σ/√252 · 0.25 · Z'}. <b>Intraday</b>, the
 * log price is a Brownian bridge from the open (09:30) to the close (16:00) on a one-minute grid
 * (390 steps, per-minute vol σ/√(252·390)); the day's high and low are the extremes of that path,
 * so a day's bar and the intraday quotes agree. <b>Volume</b> is the average volume times a
 * log-normal daily factor, accumulated through the session along a U-shaped profile.
 *
 * <p>Thread-safe: per-symbol caches are published as immutable snapshots; racing computations of
 * the same value produce the same value.
 */
final class PricePaths {

  /** The day on which every security closes at its anchor price. */
  static final LocalDate ANCHOR = LocalDate.of(2026, 1, 2);
  /** Annual drift μ of the GBM (real-world measure). */
  static final double DRIFT = 0.06;
  static final double TRADING_DAYS_PER_YEAR = 252.0;
  static final int HISTORY_MARGIN_DAYS = 800;

  private static final double VOLUME_DISPERSION = 0.4;
  private static final double U_SHAPE = 3.0;

  private final long seed;
  private final ConcurrentHashMap<String, Series> series = new ConcurrentHashMap<>();

  PricePaths(long seed) {
    this.seed = seed;
  }

  long seed() {
    return seed;
  }

  Series of(Security security) {
    return series.computeIfAbsent(security.symbol(), symbol -> new Series(security));
  }

  /** Fraction of the day's volume traded after {@code minute} minutes of the session (U-shaped). */
  static double volumeFraction(int minute) {
    double u = Math.min(1.0, Math.max(0.0, minute / (double) MarketCalendar.SESSION_MINUTES));
    double v = 2 * u - 1;
    return (u + U_SHAPE * (v * v * v + 1) / 6) / (1 + U_SHAPE / 3);
  }

  /** One symbol's path. */
  final class Series {

    private final Security security;
    private final long symbolKey;
    private final double dailyVol;
    private final double dailyDrift;
    private volatile Closes closes;
    private volatile Intraday cachedPath;
    private volatile DayStats cachedStats;

    private Series(Security security) {
      this.security = security;
      this.symbolKey = Rand.hash(security.symbol());
      this.dailyVol = security.vol() / Math.sqrt(TRADING_DAYS_PER_YEAR);
      this.dailyDrift = (DRIFT - 0.5 * security.vol() * security.vol()) / TRADING_DAYS_PER_YEAR;
      LocalDate anchor = MarketCalendar.isTradingDay(ANCHOR) ? ANCHOR : MarketCalendar.nextTradingDay(ANCHOR);
      this.closes = new Closes(anchor.toEpochDay(), new double[] {Math.log(security.anchorPrice())});
    }

    Security security() {
      return security;
    }

    /** Close of a trading day, unrounded. */
    double close(LocalDate tradingDay) {
      return Math.exp(logClose(tradingDay));
    }

    /** The price at a moment: the intraday path at its minute, in dollars and cents. */
    double price(MarketMoment moment) {
      return Money.cents(Math.exp(path(moment.day())[moment.minute()]));
    }

    /** Opening price of a trading day, in cents. */
    double open(LocalDate tradingDay) {
      return Money.cents(Math.exp(path(tradingDay)[0]));
    }

    /** Total share volume of a trading day. */
    long dayVolume(LocalDate tradingDay) {
      double z = Rand.gaussian(Rand.key(seed, symbolKey, Rand.VOLUME, tradingDay.toEpochDay()));
      double factor = Math.exp(VOLUME_DISPERSION * z - 0.5 * VOLUME_DISPERSION * VOLUME_DISPERSION);
      return Math.round(security.averageVolume() * factor);
    }

    /** The bar of the quoted trading day, up to and including {@code minute} (390 = the whole day). */
    Bar bar(LocalDate tradingDay, int minute) {
      return bar(tradingDay, path(tradingDay), minute);
    }

    /** Daily bars for the trading days in [from, to], the last one possibly partial (at {@code now}). */
    List<Bar> dailyBars(LocalDate from, LocalDate to, MarketMoment now) {
      List<Bar> bars = new ArrayList<>();
      LocalDate last = to.isAfter(now.day()) ? now.day() : to;
      for (LocalDate d = from; !d.isAfter(last); d = d.plusDays(1)) {
        if (MarketCalendar.isTradingDay(d)) {
          bars.add(d.equals(now.day()) ? bar(d, now.minute()) : bar(d, computePath(d), MarketCalendar.SESSION_MINUTES));
        }
      }
      return bars;
    }

    /** Quote-level statistics of the sessions before {@code tradingDay}, cached for the current day. */
    DayStats stats(LocalDate tradingDay) {
      DayStats stats = cachedStats;
      if (stats != null && stats.day().equals(tradingDay)) {
        return stats;
      }
      double high = Double.NEGATIVE_INFINITY;
      double low = Double.POSITIVE_INFINITY;
      long volume = 0;
      int volumeDays = 0;
      LocalDate d = tradingDay;
      for (int i = 0; i < 251; i++) {
        d = MarketCalendar.previousTradingDay(d);
        Bar bar = bar(d, computePath(d), MarketCalendar.SESSION_MINUTES);
        high = Math.max(high, bar.high());
        low = Math.min(low, bar.low());
        if (i < 30) {
          volume += bar.volume();
          volumeDays++;
        }
      }
      double prevClose = Money.cents(close(MarketCalendar.previousTradingDay(tradingDay)));
      stats = new DayStats(tradingDay, prevClose, high, low, volume / volumeDays);
      cachedStats = stats;
      return stats;
    }

    private Bar bar(LocalDate day, double[] path, int minute) {
      double high = Double.NEGATIVE_INFINITY;
      double low = Double.POSITIVE_INFINITY;
      for (int i = 0; i <= minute; i++) {
        high = Math.max(high, path[i]);
        low = Math.min(low, path[i]);
      }
      long volume = Math.round(dayVolume(day) * volumeFraction(minute));
      return new Bar(day, Money.cents(Math.exp(path[0])), Money.cents(Math.exp(high)), Money.cents(Math.exp(low)),
          Money.cents(Math.exp(path[minute])), volume);
    }

    /** The log-price path of a trading day on the minute grid (391 points), cached for one day. */
    double[] path(LocalDate tradingDay) {
      Intraday p = cachedPath;
      if (p != null && p.day().equals(tradingDay)) {
        return p.logPrices();
      }
      double[] computed = computePath(tradingDay);
      cachedPath = new Intraday(tradingDay, computed);
      return computed;
    }

    private double[] computePath(LocalDate day) {
      LocalDate previous = MarketCalendar.previousTradingDay(day);
      double gap = 0.25 * dailyVol * Rand.gaussian(Rand.key(seed, symbolKey, Rand.GAP, day.toEpochDay()));
      double logOpen = logClose(previous) + gap;
      double logClose = logClose(day);
      int n = MarketCalendar.SESSION_MINUTES;
      double[] z = new double[n];
      Rand.gaussians(Rand.stream(Rand.key(seed, symbolKey, Rand.INTRADAY, day.toEpochDay())), z);
      double minuteVol = dailyVol / Math.sqrt(n);
      double[] walk = new double[n + 1];
      for (int i = 1; i <= n; i++) {
        walk[i] = walk[i - 1] + minuteVol * z[i - 1];
      }
      double[] path = new double[n + 1];
      double target = logClose - logOpen;
      for (int i = 0; i <= n; i++) {
        path[i] = logOpen + walk[i] - (i / (double) n) * (walk[n] - target);
      }
      path[n] = logClose;
      return path;
    }

    private double increment(long epochDay) {
      return dailyDrift + dailyVol * Rand.gaussian(Rand.key(seed, symbolKey, Rand.CLOSE, epochDay));
    }

    double logClose(LocalDate tradingDay) {
      long day = tradingDay.toEpochDay();
      Closes c = closes;
      if (!c.covers(day)) {
        c = extendTo(day);
      }
      double value = c.values()[(int) (day - c.first())];
      if (Double.isNaN(value)) {
        throw new IllegalArgumentException("not a trading day: " + tradingDay);
      }
      return value;
    }

    private synchronized Closes extendTo(long day) {
      Closes c = closes;
      if (c.covers(day)) {
        return c;
      }
      long first = c.first();
      long last = c.first() + c.values().length - 1;
      long newFirst = Math.min(first, day - HISTORY_MARGIN_DAYS);
      long newLast = Math.max(last, day + HISTORY_MARGIN_DAYS);
      double[] values = new double[Math.toIntExact(newLast - newFirst + 1)];
      Arrays.fill(values, Double.NaN);
      System.arraycopy(c.values(), 0, values, (int) (first - newFirst), c.values().length);

      long lastKnown = last;
      while (Double.isNaN(values[(int) (lastKnown - newFirst)])) {
        lastKnown--;
      }
      double level = values[(int) (lastKnown - newFirst)];
      for (long d = last + 1; d <= newLast; d++) {
        if (MarketCalendar.isTradingDay(LocalDate.ofEpochDay(d))) {
          level += increment(d);
          values[(int) (d - newFirst)] = level;
        }
      }

      long firstKnown = first;
      while (Double.isNaN(values[(int) (firstKnown - newFirst)])) {
        firstKnown++;
      }
      double next = values[(int) (firstKnown - newFirst)];
      long nextDay = firstKnown;
      for (long d = first - 1; d >= newFirst; d--) {
        if (MarketCalendar.isTradingDay(LocalDate.ofEpochDay(d))) {
          next -= increment(nextDay);
          values[(int) (d - newFirst)] = next;
          nextDay = d;
        }
      }
      Closes extended = new Closes(newFirst, values);
      closes = extended;
      return extended;
    }
  }

  /** Log closes for epoch days [first, first + length), NaN on non-trading days. Never mutated once published. */
  private record Closes(long first, double[] values) {
    boolean covers(long day) {
      return day >= first && day < first + values.length;
    }
  }

  private record Intraday(LocalDate day, double[] logPrices) {
  }

  /**
   * Statistics of the sessions before {@code day}: the previous close (cents), the 52-week range
   * of the 251 previous sessions (cents) and the 30-session average volume.
   */
  record DayStats(LocalDate day, double prevClose, double high52, double low52, long averageVolume) {
  }
}
