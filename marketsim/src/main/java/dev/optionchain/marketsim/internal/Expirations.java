package dev.optionchain.marketsim.internal;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.YearMonth;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The expiration calendar, the same for every symbol. Seen from a session day D:
 * <ul>
 *   <li>weeklies: every Friday in [D, D + 8 weeks);</li>
 *   <li>monthlies: the third Friday of D's month and the next six months;</li>
 *   <li>quarterlies: the third Friday of March, June, September and December up to 12 months ahead;</li>
 *   <li>LEAPS: the third Friday of January of the next two years, and of the third year from
 *       September on (when the real exchanges list a new LEAPS year).</li>
 * </ul>
 * A Friday that is a market holiday moves to the trading day before it (Good Friday → Thursday).
 * An expiration is listed while its 16:00 close is after the pricing instant, so Friday's weekly
 * disappears at Friday's close. Stateless and thread-safe.
 */
final class Expirations {

  static final int WEEKLY_WEEKS = 8;
  static final int MONTHLY_MONTHS = 7;
  static final int QUARTERLY_MONTHS = 12;
  static final int LEAP_YEARS = 2;

  private Expirations() {
  }

  static List<Expiration> listed(MarketMoment moment) {
    LocalDate day = moment.day();
    TreeSet<LocalDate> dates = new TreeSet<>();
    LocalDate friday = day.with(TemporalAdjusters.nextOrSame(DayOfWeek.FRIDAY));
    for (; friday.isBefore(day.plusWeeks(WEEKLY_WEEKS)); friday = friday.plusWeeks(1)) {
      dates.add(adjust(friday));
    }
    YearMonth month = YearMonth.from(day);
    for (int i = 0; i < MONTHLY_MONTHS; i++) {
      dates.add(monthly(month.plusMonths(i)));
    }
    for (int i = 0; i <= QUARTERLY_MONTHS; i++) {
      YearMonth m = month.plusMonths(i);
      if (m.getMonthValue() % 3 == 0) {
        dates.add(monthly(m));
      }
    }
    int leapYears = day.getMonthValue() >= 9 ? LEAP_YEARS + 1 : LEAP_YEARS;
    for (int i = 1; i <= leapYears; i++) {
      dates.add(monthly(YearMonth.of(day.getYear() + i, Month.JANUARY)));
    }
    List<Expiration> listed = new ArrayList<>();
    for (LocalDate date : dates) {
      Expiration expiration = new Expiration(date, isStandard(date));
      if (expiration.expiresAt().isAfter(moment.instant())) {
        listed.add(expiration);
      }
    }
    return listed;
  }

  /** The monthly (standard) expiration of a month: its third Friday, holiday-adjusted. */
  static LocalDate monthly(YearMonth month) {
    return adjust(MarketCalendar.nth(month.getYear(), month.getMonth(), DayOfWeek.FRIDAY, 3));
  }

  static boolean isStandard(LocalDate date) {
    return monthly(YearMonth.from(date)).equals(date);
  }

  private static LocalDate adjust(LocalDate friday) {
    return MarketCalendar.onOrBefore(friday);
  }
}
