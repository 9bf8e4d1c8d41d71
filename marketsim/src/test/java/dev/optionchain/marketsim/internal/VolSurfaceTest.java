package dev.optionchain.marketsim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VolSurfaceTest {

  private final VolSurface equity = new VolSurface(0.25, 0.32, 0.25, Security.Smile.INDEX.skew(),
      Security.Smile.INDEX.smile());

  @Test
  void followsTheSmileFormulaNearTheMoney() {
    double t = 0.25;
    double f = 100;
    double k = 95;
    double x = Math.log(k / f) / Math.sqrt(t);
    double expected = equity.atm(t) + equity.skew() * x + equity.smile() * x * x;
    assertThat(equity.vol(k, t, f)).isEqualTo(expected, within(1e-15));
    assertThat(equity.vol(f, t, f)).isEqualTo(equity.atm(t), within(1e-15));
  }

  @Test
  void skewMakesDownsideRicherThanUpside() {
    double t = 30 / 365.0;
    assertThat(equity.vol(90, t, 100)).isGreaterThan(equity.vol(100, t, 100));
    assertThat(equity.vol(100, t, 100)).isGreaterThan(equity.vol(110, t, 100));
  }

  @Test
  void termStructureRunsFromShortVolToLongRunVol() {
    assertThat(equity.atm(0)).isEqualTo(0.32, within(1e-12));
    assertThat(equity.atm(0.25)).isBetween(0.25, 0.32);
    assertThat(equity.atm(10)).isEqualTo(0.25, within(1e-6));
  }

  @Test
  void volIsPositiveAndBoundedEverywhere() {
    for (double t : new double[] {1e-6, 1 / 365.0, 0.1, 1, 3}) {
      for (double k = 1; k <= 1000; k += 7) {
        double v = equity.vol(k, t, 100);
        assertThat(v).isGreaterThanOrEqualTo(0.3 * equity.atm(t)).isLessThanOrEqualTo(4.0);
      }
    }
  }
}
