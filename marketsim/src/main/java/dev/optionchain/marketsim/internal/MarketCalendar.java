package dev.optionchain.marketsim.internal;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The US equity market calendar: NYSE full-day holidays and the regular 09:30-16:00
 * America/New_York session. Early closes (13:00 on the day after Thanksgiving and on Christmas
 * Eve) are not modelled.
 *
 * <p>Holidays, with the NYSE weekend rule (Saturday → preceding Friday, Sunday → following
 * Monday; New Year's Day on a Saturday is not observed): New Year's Day, Martin Luther King Jr.
 * Day, Washington's Birthday, Good Friday, Memorial Day, Juneteenth (from 2022), Independence
 * Day, Labor Day, Thanksgiving, Christmas.
 *
 * <p>Thread-safe; holiday sets are cached per year.
 */
final class MarketCalendar {

  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final LocalTime OPEN = LocalTime.of(9, 30);
  static final LocalTime CLOSE = LocalTime.of(16, 0);
  static final int SESSION_MINUTES = 390;

  private static final ConcurrentHashMap<Integer, Set<LocalDate>> HOLIDAYS = new ConcurrentHashMap<>();

  private MarketCalendar() {
  }

  static boolean isTradingDay(LocalDate date) {
    DayOfWeek dow = date.getDayOfWeek();
    return dow != DayOfWeek.SATURDAY && dow != DayOfWeek.SUNDAY && !isHoliday(date);
  }

  static boolean isHoliday(LocalDate date) {
    return HOLIDAYS.computeIfAbsent(date.getYear(), MarketCalendar::holidays).contains(date);
  }

  static LocalDate previousTradingDay(LocalDate date) {
    LocalDate d = date.minusDays(1);
    while (!isTradingDay(d)) {
      d = d.minusDays(1);
    }
    return d;
  }

  static LocalDate nextTradingDay(LocalDate date) {
    LocalDate d = date.plusDays(1);
    while (!isTradingDay(d)) {
      d = d.plusDays(1);
    }
    return d;
  }

  /** The trading day itself, or the last one before it. */
  static LocalDate onOrBefore(LocalDate date) {
    return isTradingDay(date) ? date : previousTradingDay(date);
  }

  static Instant open(LocalDate day) {
    return ZonedDateTime.of(day, OPEN, NEW_YORK).toInstant();
  }

  static Instant close(LocalDate day) {
    return ZonedDateTime.of(day, CLOSE, NEW_YORK).toInstant();
  }

  /**
   * Where the market stands at {@code now}: during a session, the session day and the
   * completed minute; otherwise the close of the last session (prices are frozen outside
   * regular hours, as on the real exchange).
   */
  static MarketMoment moment(Instant now) {
    ZonedDateTime local = now.atZone(NEW_YORK);
    LocalDate date = local.toLocalDate();
    if (isTradingDay(date)) {
      Instant open = open(date);
      Instant close = close(date);
      if (!now.isBefore(open) && now.isBefore(close)) {
        int minute = (int) ((now.getEpochSecond() - open.getEpochSecond()) / 60);
        return new MarketMoment(date, minute, open.plusSeconds(60L * minute), true);
      }
      if (!now.isBefore(close)) {
        return new MarketMoment(date, SESSION_MINUTES, close, false);
      }
    }
    LocalDate previous = previousTradingDay(date);
    return new MarketMoment(previous, SESSION_MINUTES, close(previous), false);
  }

  private static Set<LocalDate> holidays(int year) {
    Set<LocalDate> days = new HashSet<>();
    LocalDate newYear = LocalDate.of(year, Month.JANUARY, 1);
    if (newYear.getDayOfWeek() == DayOfWeek.SUNDAY) {
      days.add(newYear.plusDays(1));
    } else if (newYear.getDayOfWeek() != DayOfWeek.SATURDAY) {
      days.add(newYear);
    }
    if (year >= 1998) {
      days.add(nth(year, Month.JANUARY, DayOfWeek.MONDAY, 3));
    }
    days.add(nth(year, Month.FEBRUARY, DayOfWeek.MONDAY, 3));
    days.add(easterSunday(year).minusDays(2));
    days.add(LocalDate.of(year, Month.MAY, 1).with(TemporalAdjusters.lastInMonth(DayOfWeek.MONDAY)));
    if (year >= 2022) {
      days.add(observed(LocalDate.of(year, Month.JUNE, 19)));
    }
    days.add(observed(LocalDate.of(year, Month.JULY, 4)));
    days.add(nth(year, Month.SEPTEMBER, DayOfWeek.MONDAY, 1));
    days.add(nth(year, Month.NOVEMBER, DayOfWeek.THURSDAY, 4));
    days.add(observed(LocalDate.of(year, Month.DECEMBER, 25)));
    return Set.copyOf(days);
  }

  static LocalDate nth(int year, Month month, DayOfWeek dow, int n) {
    return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, dow));
  }

  private static LocalDate observed(LocalDate date) {
    return switch (date.getDayOfWeek()) {
      case SATURDAY -> date.minusDays(1);
      case SUNDAY -> date.plusDays(1);
      default -> date;
    };
  }

  /** Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
  static LocalDate easterSunday(int year) {
    int a = year % 19;
    int b = year / 100;
    int c = year % 100;
    int d = b / 4;
    int e = b % 4;
    int f = (b + 8) / 25;
    int g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4;
    int k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = ((h + l - 7 * m + 114) % 31) + 1;
    return LocalDate.of(year, month, day);
  }
}
