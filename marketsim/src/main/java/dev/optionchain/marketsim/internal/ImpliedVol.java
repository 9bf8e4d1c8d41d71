package dev.optionchain.marketsim.internal;

/**
 * Inverts {@link Bsm#price} for volatility.
 *
 * <p>Algorithm: the price is strictly increasing in σ, so the root is kept inside a bracket
 * [lo, hi] (initially [1e-6, 10]) that shrinks on every evaluation. Each step tries Newton on vega
 * from a Brenner-Subrahmanyam-style start; when the Newton step leaves the bracket or vega is
 * negligible (deep in- or out-of-the-money), the step is a bisection instead. Converges when the
 * price error is below 1e-12 (relative) or the bracket is narrower than 1e-12.
 *
 * <p>Returns {@code NaN} when no volatility reproduces the price: at or below the no-arbitrage
 * lower bound (discounted intrinsic value), at or above the upper bound (S·e^(-qT) for a call,
 * K·e^(-rT) for a put), or above the 1000% ceiling.
 *
 * <p>Stateless and thread-safe.
 */
final class ImpliedVol {

  static final double MIN_VOL = 1e-6;
  static final double MAX_VOL = 10.0;
  private static final int MAX_ITERATIONS = 100;

  private ImpliedVol() {
  }

  static double solve(OptionType type, double price, double s, double k, double t, double r, double q) {
    if (!(price > 0) || !(t > 0) || !(s > 0) || !(k > 0)) {
      return Double.NaN;
    }
    double forwardS = s * Math.exp(-q * t);
    double forwardK = k * Math.exp(-r * t);
    double lower = type == OptionType.CALL ? Math.max(0, forwardS - forwardK) : Math.max(0, forwardK - forwardS);
    double upper = type == OptionType.CALL ? forwardS : forwardK;
    double tolerance = 1e-12 * Math.max(1.0, price);
    if (price <= lower + tolerance || price >= upper) {
      return Double.NaN;
    }
    double lo = MIN_VOL;
    double hi = MAX_VOL;
    if (Bsm.price(type, s, k, t, r, q, hi) < price) {
      return Double.NaN;
    }
    // Brenner-Subrahmanyam: ATM price ≈ 0.4·S·σ·√T, using the time value only.
    double sigma = Math.sqrt(2 * Math.PI / t) * (price - lower) / forwardS;
    if (!(sigma > lo && sigma < hi)) {
      sigma = 0.3;
    }
    for (int i = 0; i < MAX_ITERATIONS; i++) {
      double diff = Bsm.price(type, s, k, t, r, q, sigma) - price;
      if (Math.abs(diff) < tolerance) {
        return sigma;
      }
      if (diff > 0) {
        hi = sigma;
      } else {
        lo = sigma;
      }
      if (hi - lo < 1e-12) {
        return 0.5 * (lo + hi);
      }
      double vega = Bsm.rawVega(s, k, t, r, q, sigma);
      double next = vega > 1e-12 ? sigma - diff / vega : Double.NaN;
      sigma = next > lo && next < hi ? next : 0.5 * (lo + hi);
    }
    return sigma;
  }
}
