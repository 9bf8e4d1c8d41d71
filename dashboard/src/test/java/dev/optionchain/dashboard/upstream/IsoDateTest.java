package dev.optionchain.dashboard.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link TradierJson#isoDate} against {@link LocalDate#parse}, its reference: same date, or both refuse. */
class IsoDateTest {

  @Test
  void agreesWithLocalDateParseOnEveryDayOfFourHundredYearsAndEveryEdge() {
    List<String> inputs = new ArrayList<>();
    for (LocalDate d = LocalDate.of(1800, 1, 1); d.getYear() < 2200; d = d.plusDays(1)) {
      inputs.add(d.toString());
    }
    inputs.addAll(List.of("0000-01-01", "9999-12-31", "2026-02-29", "2024-02-29", "2026-02-30", "2026-04-31",
        "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32", "+10000-01-01", "-0001-01-01", "2026-1-01",
        "2026-01-1", "2026/01/01", "2026-01-01T00:00", "20260101", "", "----------", "2026-0a-01", "2026-01-0٣",
        "２０２６-01-01", "2026-01-01 ", " 2026-01-01", "abcd-ef-gh"));
    SplittableRandom random = new SplittableRandom(20261206);
    String alphabet = "0123456789-+/ a";
    for (int i = 0; i < 200_000; i++) {
      char[] c = new char[random.nextInt(8, 12)];
      for (int j = 0; j < c.length; j++) {
        c[j] = alphabet.charAt(random.nextInt(alphabet.length()));
      }
      if (c.length == 10 && random.nextBoolean()) { // most random strings fail early: keep half in the fast path
        c[4] = '-';
        c[7] = '-';
      }
      inputs.add(new String(c));
    }

    for (String input : inputs) {
      assertThat(outcome(() -> TradierJson.isoDate(input))).as(input)
          .isEqualTo(outcome(() -> LocalDate.parse(input)));
    }
  }

  private static String outcome(java.util.function.Supplier<LocalDate> parse) {
    try {
      return parse.get().toString();
    } catch (DateTimeException e) {
      return "refused";
    }
  }
}
