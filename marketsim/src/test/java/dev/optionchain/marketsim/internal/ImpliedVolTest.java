package dev.optionchain.marketsim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ImpliedVolTest {

  @Test
  void recoversTheVolatilityThatProducedThePrice() {
    int checked = 0;
    for (OptionType type : OptionType.values()) {
      for (double k : new double[] {40, 70, 90, 100, 110, 130, 200}) {
        for (double t : new double[] {0.5 / 365, 3 / 365.0, 30 / 365.0, 1, 3}) {
          for (double sigma : new double[] {0.05, 0.2, 0.6, 1.5, 4}) {
            double price = Bsm.price(type, 100, k, t, 0.04, 0.015, sigma);
            double intrinsicBound = type == OptionType.CALL
                ? Math.max(0, 100 * Math.exp(-0.015 * t) - k * Math.exp(-0.04 * t))
                : Math.max(0, k * Math.exp(-0.04 * t) - 100 * Math.exp(-0.015 * t));
            double vega = Bsm.rawVega(100, k, t, 0.04, 0.015, sigma);
            // Only where the price carries information about σ (time value well above rounding noise).
            if (price - intrinsicBound < 1e-7 || vega < 1e-3) {
              continue;
            }
            double iv = ImpliedVol.solve(type, price, 100, k, t, 0.04, 0.015);
            assertThat(iv).as("%s K=%s T=%s σ=%s", type, k, t, sigma).isEqualTo(sigma, within(1e-6));
            checked++;
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(200);
  }

  @Test
  void roundTripsMarketPricesOnATickGrid() {
    // A far out-of-the-money ask is a price that no nearby vol produced: the solver must still invert it.
    double iv = ImpliedVol.solve(OptionType.CALL, 0.05, 270, 400, 30 / 365.0, 0.04, 0.004);
    assertThat(iv).isGreaterThan(0.3).isLessThan(2.0);
    assertThat(Bsm.price(OptionType.CALL, 270, 400, 30 / 365.0, 0.04, 0.004, iv)).isEqualTo(0.05, within(1e-9));
  }

  @Test
  void hasNoSolutionBelowIntrinsicValueOrAboveTheUpperBound() {
    // Call worth at least S·e^(-qT) − K·e^(-rT) ≈ 20.3.
    assertThat(ImpliedVol.solve(OptionType.CALL, 19.0, 120, 100, 0.1, 0.04, 0)).isNaN();
    // A call can never be worth more than the stock.
    assertThat(ImpliedVol.solve(OptionType.CALL, 121, 120, 100, 0.1, 0.04, 0)).isNaN();
    // A put can never be worth more than the discounted strike.
    assertThat(ImpliedVol.solve(OptionType.PUT, 100, 120, 100, 0.1, 0.04, 0)).isNaN();
    assertThat(ImpliedVol.solve(OptionType.PUT, 0, 120, 100, 0.1, 0.04, 0)).isNaN();
    assertThat(ImpliedVol.solve(OptionType.PUT, 1, 120, 100, 0, 0.04, 0)).isNaN();
  }
}
