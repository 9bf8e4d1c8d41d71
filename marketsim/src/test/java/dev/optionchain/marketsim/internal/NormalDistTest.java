package dev.optionchain.marketsim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

import org.junit.jupiter.api.Test;

class NormalDistTest {

  @Test
  void cdfMatchesReferenceValues() {
    assertThat(NormalDist.cdf(0)).isEqualTo(0.5, within(1e-15));
    assertThat(NormalDist.cdf(1.96)).isEqualTo(0.9750021048517795, within(1e-14));
    assertThat(NormalDist.cdf(-1)).isEqualTo(0.15865525393145707, within(1e-14));
    assertThat(NormalDist.cdf(-8)).isCloseTo(6.220960574271784e-16, withPercentage(1e-6));
    assertThat(NormalDist.cdf(-40)).isZero();
    assertThat(NormalDist.cdf(40)).isEqualTo(1.0);
  }

  @Test
  void cdfIsSymmetricAndMonotonic() {
    double previous = 0;
    for (double x = -10; x <= 10; x += 0.01) {
      double p = NormalDist.cdf(x);
      assertThat(p + NormalDist.cdf(-x)).isEqualTo(1.0, within(1e-14));
      assertThat(p).isGreaterThanOrEqualTo(previous);
      previous = p;
    }
  }

  @Test
  void pdfIsTheDerivativeOfCdf() {
    for (double x = -5; x <= 5; x += 0.25) {
      double h = 1e-5;
      double slope = (NormalDist.cdf(x + h) - NormalDist.cdf(x - h)) / (2 * h);
      assertThat(NormalDist.pdf(x)).isEqualTo(slope, within(1e-9));
    }
  }
}
