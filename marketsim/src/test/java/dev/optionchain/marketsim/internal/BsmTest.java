package dev.optionchain.marketsim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BsmTest {

  /** S, K, T, r, q, σ */
  static List<double[]> cases() {
    List<double[]> cases = new ArrayList<>();
    for (double k : new double[] {60, 90, 100, 110, 150}) {
      for (double t : new double[] {2 / 365.0, 30 / 365.0, 0.5, 2.0}) {
        for (double q : new double[] {0, 0.03}) {
          for (double sigma : new double[] {0.12, 0.35, 0.9}) {
            cases.add(new double[] {100, k, t, 0.04, q, sigma});
          }
        }
      }
    }
    return cases;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void putCallParityHolds(double[] c) {
    double s = c[0], k = c[1], t = c[2], r = c[3], q = c[4], sigma = c[5];
    double call = Bsm.price(OptionType.CALL, s, k, t, r, q, sigma);
    double put = Bsm.price(OptionType.PUT, s, k, t, r, q, sigma);
    assertThat(call - put).isEqualTo(s * Math.exp(-q * t) - k * Math.exp(-r * t), within(1e-9));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void greeksMatchFiniteDifferences(double[] c) {
    double s = c[0], k = c[1], t = c[2], r = c[3], q = c[4], sigma = c[5];
    for (OptionType type : OptionType.values()) {
      Greeks g = Bsm.greeks(type, s, k, t, r, q, sigma);
      double hs = 1e-3 * s * Math.min(1, sigma * Math.sqrt(t));
      double delta = (Bsm.price(type, s + hs, k, t, r, q, sigma) - Bsm.price(type, s - hs, k, t, r, q, sigma)) / (2 * hs);
      double gamma = (Bsm.greeks(type, s + hs, k, t, r, q, sigma).delta()
          - Bsm.greeks(type, s - hs, k, t, r, q, sigma).delta()) / (2 * hs);
      double hv = 1e-4;
      double vega = (Bsm.price(type, s, k, t, r, q, sigma + hv) - Bsm.price(type, s, k, t, r, q, sigma - hv)) / (2 * hv) / 100;
      double ht = Math.min(1e-5, t / 10);
      double theta = -(Bsm.price(type, s, k, t + ht, r, q, sigma) - Bsm.price(type, s, k, t - ht, r, q, sigma))
          / (2 * ht) / 365;
      double hr = 1e-5;
      double rho = (Bsm.price(type, s, k, t, r + hr, q, sigma) - Bsm.price(type, s, k, t, r - hr, q, sigma)) / (2 * hr) / 100;
      double phi = (Bsm.price(type, s, k, t, r, q + hr, sigma) - Bsm.price(type, s, k, t, r, q - hr, sigma)) / (2 * hr) / 100;

      assertThat(g.delta()).as("delta %s", type).isEqualTo(delta, within(1e-5));
      assertThat(g.gamma()).as("gamma %s", type).isEqualTo(gamma, within(1e-5 + 1e-4 * Math.abs(gamma)));
      assertThat(g.vega()).as("vega %s", type).isEqualTo(vega, within(1e-6));
      assertThat(g.theta()).as("theta %s", type).isEqualTo(theta, within(1e-5 + 1e-4 * Math.abs(theta)));
      assertThat(g.rho()).as("rho %s", type).isEqualTo(rho, within(1e-6));
      assertThat(g.phi()).as("phi %s", type).isEqualTo(phi, within(1e-6));
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void pricesStayWithinNoArbitrageBounds(double[] c) {
    double s = c[0], k = c[1], t = c[2], r = c[3], q = c[4], sigma = c[5];
    double fs = s * Math.exp(-q * t);
    double fk = k * Math.exp(-r * t);
    double call = Bsm.price(OptionType.CALL, s, k, t, r, q, sigma);
    double put = Bsm.price(OptionType.PUT, s, k, t, r, q, sigma);
    assertThat(call).isBetween(Math.max(0, fs - fk) - 1e-12, fs);
    assertThat(put).isBetween(Math.max(0, fk - fs) - 1e-12, fk);
  }

  @org.junit.jupiter.api.Test
  void callPricesFallAndPutPricesRiseWithStrike() {
    for (double t : new double[] {1 / 365.0, 0.25, 2}) {
      double previousCall = Double.MAX_VALUE;
      double previousPut = -1;
      for (double k = 50; k <= 200; k += 0.5) {
        double call = Bsm.price(OptionType.CALL, 100, k, t, 0.04, 0.01, 0.3);
        double put = Bsm.price(OptionType.PUT, 100, k, t, 0.04, 0.01, 0.3);
        assertThat(call).isLessThanOrEqualTo(previousCall);
        assertThat(put).isGreaterThanOrEqualTo(previousPut);
        previousCall = call;
        previousPut = put;
      }
    }
  }

  @org.junit.jupiter.api.Test
  void expiredOptionIsWorthIntrinsicValue() {
    assertThat(Bsm.price(OptionType.CALL, 105, 100, 0, 0.04, 0, 0.3)).isEqualTo(5.0, within(1e-12));
    assertThat(Bsm.price(OptionType.PUT, 105, 100, 0, 0.04, 0, 0.3)).isZero();
    assertThat(Bsm.price(OptionType.PUT, 95, 100, 0, 0.04, 0, 0.3)).isEqualTo(5.0, within(1e-12));
  }

  @org.junit.jupiter.api.Test
  void callAndPutDeltasDifferByTheDividendDiscount() {
    double t = 0.5;
    double q = 0.02;
    Greeks call = Bsm.greeks(OptionType.CALL, 100, 95, t, 0.04, q, 0.25);
    Greeks put = Bsm.greeks(OptionType.PUT, 100, 95, t, 0.04, q, 0.25);
    assertThat(call.delta() - put.delta()).isEqualTo(Math.exp(-q * t), within(1e-12));
    assertThat(call.gamma()).isEqualTo(put.gamma(), within(1e-15));
    assertThat(call.vega()).isEqualTo(put.vega(), within(1e-15));
  }
}
