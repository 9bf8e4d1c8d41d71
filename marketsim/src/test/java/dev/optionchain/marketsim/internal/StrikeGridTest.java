package dev.optionchain.marketsim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrikeGridTest {

  @ParameterizedTest
  @CsvSource({"13.5, 500", "24.99, 500", "25, 1000", "49, 1000", "50, 2500", "199, 2500", "200, 5000",
      "499, 5000", "500, 10000", "880, 10000"})
  void spacingFollowsThePriceBand(double price, long increment) {
    assertThat(StrikeGrid.baseIncrement(price)).isEqualTo(increment);
  }

  @ParameterizedTest
  @CsvSource({"100, 0.30, 0.0027", "100, 0.30, 0.082", "270, 0.27, 0.25", "13.5, 0.33, 0.5", "685, 0.16, 0.04"})
  void coversTenPercentAndThreeStandardDeviations(double ref, double vol, double years) {
    long[] strikes = StrikeGrid.strikes(ref, vol, years);
    long increment = strikes[1] - strikes[0];
    double width = 3 * vol * Math.sqrt(years);
    double lower = ref * Math.min(0.9, Math.exp(-width));
    double upper = ref * Math.max(1.1, Math.exp(width));
    assertThat(strikes[0] / 1000.0).isGreaterThanOrEqualTo(lower).isLessThan(lower + increment / 1000.0);
    assertThat(strikes[strikes.length - 1] / 1000.0).isLessThanOrEqualTo(upper)
        .isGreaterThan(upper - increment / 1000.0);
    for (int i = 1; i < strikes.length; i++) {
      assertThat(strikes[i] - strikes[i - 1]).isEqualTo(increment);
      assertThat(strikes[i] % increment).isZero();
    }
  }

  @Test
  void longDatedGridsWidenTheirSpacingToStayBounded() {
    long[] strikes = StrikeGrid.strikes(430, 0.55, 2.2);
    assertThat(strikes.length).isLessThanOrEqualTo(StrikeGrid.MAX_STRIKES).isGreaterThan(20);
    assertThat(strikes[1] - strikes[0]).isGreaterThan(StrikeGrid.baseIncrement(430));
    assertThat(strikes[0]).isPositive();
  }

  @Test
  void gridDoesNotMoveDuringTheSession() {
    OptionQuoter quoter = new OptionQuoter(new PricePaths(42));
    Security aapl = Universe.standard().find("AAPL").orElseThrow();
    MarketMoment morning = MarketCalendar.moment(Instant.parse("2026-03-18T13:31:00Z"));
    MarketMoment afternoon = MarketCalendar.moment(Instant.parse("2026-03-18T19:59:00Z"));
    for (Expiration e : Expirations.listed(morning)) {
      assertThat(quoter.strikes(aapl, afternoon, e)).containsExactly(quoter.strikes(aapl, morning, e));
    }
  }
}
