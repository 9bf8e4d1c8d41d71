package dev.optionchain.marketsim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PricePathsTest {

  private static final Security AAPL = Universe.standard().find("AAPL").orElseThrow();
  private static final MarketMoment NOW = MarketCalendar.moment(Instant.parse("2026-03-18T15:00:00Z"));

  @Test
  void closesAtTheAnchorPriceOnTheAnchorDay() {
    assertThat(new PricePaths(42).of(AAPL).close(PricePaths.ANCHOR)).isEqualTo(AAPL.anchorPrice(), within(1e-9));
    assertThat(new PricePaths(7).of(AAPL).close(PricePaths.ANCHOR)).isEqualTo(AAPL.anchorPrice(), within(1e-9));
  }

  @Test
  void sameSeedGivesTheSameBarsAndAnotherSeedDifferentOnes() {
    LocalDate from = LocalDate.parse("2024-03-01");
    List<Bar> a = new PricePaths(42).of(AAPL).dailyBars(from, NOW.day(), NOW);
    List<Bar> b = new PricePaths(42).of(AAPL).dailyBars(from, NOW.day(), NOW);
    List<Bar> c = new PricePaths(43).of(AAPL).dailyBars(from, NOW.day(), NOW);
    assertThat(a).isEqualTo(b).hasSizeGreaterThan(500);
    assertThat(c).isNotEqualTo(a);
  }

  @Test
  void aCloseDoesNotDependOnWhatWasComputedBefore() {
    PricePaths fresh = new PricePaths(42);
    PricePaths warmed = new PricePaths(42);
    warmed.of(AAPL).close(LocalDate.parse("1995-06-01"));    // extends the path far back first
    warmed.of(AAPL).close(LocalDate.parse("2060-06-01"));    // and far forward
    for (String day : new String[] {"2020-06-01", "2026-03-18", "2031-06-02"}) {
      LocalDate d = LocalDate.parse(day);
      assertThat(warmed.of(AAPL).close(d)).isEqualTo(fresh.of(AAPL).close(d));
    }
  }

  @Test
  void priceMovesDuringTheSessionAndStopsAtTheClose() {
    PricePaths.Series series = new PricePaths(42).of(AAPL);
    double[] prices = new double[6];
    for (int i = 0; i < prices.length; i++) {
      prices[i] = series.price(MarketCalendar.moment(Instant.parse("2026-03-18T14:00:00Z").plusSeconds(3600L * i)));
    }
    assertThat(prices).doesNotHaveDuplicates();
    double atClose = series.price(MarketCalendar.moment(Instant.parse("2026-03-18T20:00:00Z")));
    double atNight = series.price(MarketCalendar.moment(Instant.parse("2026-03-19T03:00:00Z")));
    assertThat(atNight).isEqualTo(atClose).isEqualTo(Money.cents(series.close(LocalDate.parse("2026-03-18"))));
  }

  @Test
  void barsAreInternallyConsistentAndAgreeWithIntradayQuotes() {
    PricePaths.Series series = new PricePaths(42).of(AAPL);
    for (Bar bar : series.dailyBars(LocalDate.parse("2025-01-01"), NOW.day(), NOW)) {
      assertThat(bar.high()).isGreaterThanOrEqualTo(Math.max(bar.open(), bar.close()));
      assertThat(bar.low()).isLessThanOrEqualTo(Math.min(bar.open(), bar.close())).isPositive();
      assertThat(bar.volume()).isPositive();
    }
    Bar partial = series.bar(NOW.day(), NOW.minute());
    assertThat(partial.close()).isEqualTo(series.price(NOW));
    assertThat(partial.volume()).isLessThan(series.dayVolume(NOW.day()));
  }

  @Test
  void historySkipsWeekendsAndHolidays() {
    List<Bar> bars = new PricePaths(42).of(AAPL).dailyBars(LocalDate.parse("2025-12-20"),
        LocalDate.parse("2026-01-10"), NOW);
    assertThat(bars).extracting(Bar::date).allSatisfy(d -> {
      assertThat(d.getDayOfWeek()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
      assertThat(MarketCalendar.isHoliday(d)).isFalse();
    }).doesNotContain(LocalDate.parse("2025-12-25"), LocalDate.parse("2026-01-01"));
  }

  @Test
  void dailyLogReturnsHaveTheModelVolatility() {
    PricePaths.Series series = new PricePaths(42).of(AAPL);
    double sum = 0;
    double sumSq = 0;
    int n = 0;
    LocalDate d = LocalDate.parse("2010-01-04");
    double previous = Math.log(series.close(d));
    while (d.isBefore(LocalDate.parse("2026-01-01"))) {
      d = MarketCalendar.nextTradingDay(d);
      double current = Math.log(series.close(d));
      double r = current - previous;
      sum += r;
      sumSq += r * r;
      n++;
      previous = current;
    }
    double variance = (sumSq - sum * sum / n) / (n - 1);
    double annualised = Math.sqrt(variance * PricePaths.TRADING_DAYS_PER_YEAR);
    assertThat(n).isGreaterThan(3900);
    assertThat(annualised).isEqualTo(AAPL.vol(), within(0.03 * AAPL.vol()));
  }

  @Test
  void volumeAccumulatesThroughTheDay() {
    assertThat(PricePaths.volumeFraction(0)).isZero();
    assertThat(PricePaths.volumeFraction(390)).isEqualTo(1.0, within(1e-12));
    assertThat(PricePaths.volumeFraction(195)).isEqualTo(0.5, within(1e-12));
    // U-shape: the first half hour trades more than a half hour at midday.
    assertThat(PricePaths.volumeFraction(30)).isGreaterThan(PricePaths.volumeFraction(210) - PricePaths.volumeFraction(180));
  }
}
