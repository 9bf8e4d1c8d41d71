package dev.optionchain.marketsim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpirationsTest {

  private static List<Expiration> at(String instant) {
    return Expirations.listed(MarketCalendar.moment(Instant.parse(instant)));
  }

  @Test
  void listsWeekliesMonthliesQuarterliesAndLeaps() {
    assertThat(at("2026-03-18T15:00:00Z")).extracting(e -> e.date().toString()).containsExactly(
        "2026-03-20", "2026-03-27", "2026-04-02", "2026-04-10", "2026-04-17", "2026-04-24",
        "2026-05-01", "2026-05-08",                                    // weeklies: 8 Fridays
        "2026-05-15", "2026-06-18", "2026-07-17", "2026-08-21", "2026-09-18", // monthlies
        "2026-12-18", "2027-01-15", "2027-03-19",                    // quarterlies, LEAPS
        "2028-01-21");
  }

  @Test
  void marksThirdFridaysStandardAndTheRestWeeklys() {
    for (Expiration e : at("2026-03-18T15:00:00Z")) {
      boolean thirdFriday = Expirations.monthly(java.time.YearMonth.from(e.date())).equals(e.date());
      assertThat(e.standard()).as(e.toString()).isEqualTo(thirdFriday);
      assertThat(e.type()).isEqualTo(thirdFriday ? "standard" : "weeklys");
    }
  }

  @Test
  void movesAHolidayFridayToTheThursdayBefore() {
    // Good Friday 2026-04-03 and Juneteenth 2026-06-19 (a third Friday).
    assertThat(at("2026-03-18T15:00:00Z")).extracting(Expiration::date)
        .contains(java.time.LocalDate.parse("2026-04-02"), java.time.LocalDate.parse("2026-06-18"))
        .doesNotContain(java.time.LocalDate.parse("2026-04-03"), java.time.LocalDate.parse("2026-06-19"));
    assertThat(Expirations.isStandard(java.time.LocalDate.parse("2026-06-18"))).isTrue();
  }

  @Test
  void everyListedDateIsATradingDayFridayOrHolidayThursday() {
    for (String now : new String[] {"2026-03-18T15:00:00Z", "2026-11-28T12:00:00Z", "2027-06-01T15:00:00Z"}) {
      for (Expiration e : at(now)) {
        assertThat(MarketCalendar.isTradingDay(e.date())).isTrue();
        assertThat(e.date().getDayOfWeek()).isIn(DayOfWeek.FRIDAY, DayOfWeek.THURSDAY);
      }
    }
  }

  @Test
  void todaysExpirationIsListedUntilTheClose() {
    assertThat(at("2026-03-20T19:59:00Z").get(0).date()).isEqualTo("2026-03-20");
    assertThat(at("2026-03-20T20:00:00Z").get(0).date()).isEqualTo("2026-03-27");
    assertThat(at("2026-03-21T15:00:00Z").get(0).date()).isEqualTo("2026-03-27");
  }

  @Test
  void addsAThirdLeapsYearFromSeptember() {
    assertThat(at("2026-09-15T15:00:00Z")).extracting(e -> e.date().toString())
        .contains("2027-01-15", "2028-01-21", "2029-01-19");
  }
}
