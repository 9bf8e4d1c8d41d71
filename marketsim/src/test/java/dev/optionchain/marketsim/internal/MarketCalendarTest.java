package dev.optionchain.marketsim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarketCalendarTest {

  @Test
  void knowsTheNyseHolidaysOf2026And2027() {
    assertThat(holidays(2026)).extracting(LocalDate::toString).containsExactly(
        "2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19",
        "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25");
    assertThat(holidays(2027)).extracting(LocalDate::toString).containsExactly(
        "2027-01-01", "2027-01-18", "2027-02-15", "2027-03-26", "2027-05-31", "2027-06-18",
        "2027-07-05", "2027-09-06", "2027-11-25", "2027-12-24");
  }

  @Test
  void doesNotObserveNewYearOnTheFridayBefore() {
    // 2022-01-01 was a Saturday: NYSE stayed open on Friday 2021-12-31.
    assertThat(MarketCalendar.isTradingDay(LocalDate.parse("2021-12-31"))).isTrue();
    assertThat(MarketCalendar.isTradingDay(LocalDate.parse("2023-01-02"))).isFalse();
  }

  @Test
  void computesEaster() {
    assertThat(MarketCalendar.easterSunday(2024)).isEqualTo("2024-03-31");
    assertThat(MarketCalendar.easterSunday(2025)).isEqualTo("2025-04-20");
    assertThat(MarketCalendar.easterSunday(2026)).isEqualTo("2026-04-05");
  }

  @Test
  void sessionRunsFromNineThirtyToFourInNewYorkAcrossDaylightSaving() {
    assertThat(MarketCalendar.open(LocalDate.parse("2026-01-14"))).isEqualTo("2026-01-14T14:30:00Z");
    assertThat(MarketCalendar.close(LocalDate.parse("2026-01-14"))).isEqualTo("2026-01-14T21:00:00Z");
    assertThat(MarketCalendar.open(LocalDate.parse("2026-03-18"))).isEqualTo("2026-03-18T13:30:00Z");
    assertThat(MarketCalendar.close(LocalDate.parse("2026-03-18"))).isEqualTo("2026-03-18T20:00:00Z");
  }

  @Test
  void momentCountsCompletedMinutesDuringTheSession() {
    MarketMoment m = MarketCalendar.moment(Instant.parse("2026-03-18T15:00:59Z"));
    assertThat(m.open()).isTrue();
    assertThat(m.day()).isEqualTo("2026-03-18");
    assertThat(m.minute()).isEqualTo(90);
    assertThat(m.instant()).isEqualTo("2026-03-18T15:00:00Z");
    assertThat(MarketCalendar.moment(Instant.parse("2026-03-18T13:30:00Z")).minute()).isZero();
  }

  @Test
  void momentFreezesAtTheLastCloseOutsideTheSession() {
    MarketMoment evening = MarketCalendar.moment(Instant.parse("2026-03-18T23:00:00Z"));
    assertThat(evening.open()).isFalse();
    assertThat(evening.day()).isEqualTo("2026-03-18");
    assertThat(evening.minute()).isEqualTo(390);
    assertThat(evening.instant()).isEqualTo("2026-03-18T20:00:00Z");

    MarketMoment earlyMorning = MarketCalendar.moment(Instant.parse("2026-03-19T12:00:00Z"));
    assertThat(earlyMorning.day()).isEqualTo("2026-03-18");

    MarketMoment saturday = MarketCalendar.moment(Instant.parse("2026-03-21T15:00:00Z"));
    assertThat(saturday.day()).isEqualTo("2026-03-20");
    assertThat(saturday.instant()).isEqualTo("2026-03-20T20:00:00Z");

    MarketMoment goodFriday = MarketCalendar.moment(Instant.parse("2026-04-03T15:00:00Z"));
    assertThat(goodFriday.day()).isEqualTo("2026-04-02");
  }

  @Test
  void previousCloseSkipsWeekendsAndHolidays() {
    MarketMoment tuesdayAfterMlk = MarketCalendar.moment(Instant.parse("2026-01-20T15:00:00Z"));
    assertThat(tuesdayAfterMlk.previousClose().day()).isEqualTo("2026-01-16");
  }

  private static List<LocalDate> holidays(int year) {
    List<LocalDate> days = new ArrayList<>();
    for (LocalDate d = LocalDate.of(year, 1, 1); d.getYear() == year; d = d.plusDays(1)) {
      if (MarketCalendar.isHoliday(d)) {
        days.add(d);
      }
    }
    return days;
  }
}
