package dev.optionchain.marketsim.internal;

/**
 * Black-Scholes-Merton for European options on an underlying with a continuous dividend yield.
 *
 * <pre>
 *   d1 = (ln(S/K) + (r - q + σ²/2)·T) / (σ·√T),  d2 = d1 - σ·√T
 *   C  = S·e^(-qT)·N(d1) - K·e^(-rT)·N(d2)
 *   P  = K·e^(-rT)·N(-d2) - S·e^(-qT)·N(-d1)
 * </pre>
 *
 * Times are in years (ACT/365), rates and yields continuously compounded, volatility annualised.
 * At {@code T <= 0} or {@code σ <= 0} the price is the discounted forward intrinsic value.
 *
 * <p>Stateless and thread-safe.
 */
final class Bsm {

  static final double DAYS_PER_YEAR = 365.0;

  private Bsm() {
  }

  static double price(OptionType type, double s, double k, double t, double r, double q, double sigma) {
    double dfq = Math.exp(-q * t);
    double dfr = Math.exp(-r * t);
    if (t <= 0 || sigma <= 0) {
      double forwardIntrinsic = s * dfq - k * dfr;
      return type == OptionType.CALL ? Math.max(0, forwardIntrinsic) : Math.max(0, -forwardIntrinsic);
    }
    double sqrtT = Math.sqrt(t);
    double d1 = (Math.log(s / k) + (r - q + 0.5 * sigma * sigma) * t) / (sigma * sqrtT);
    double d2 = d1 - sigma * sqrtT;
    if (type == OptionType.CALL) {
      return Math.max(0, s * dfq * NormalDist.cdf(d1) - k * dfr * NormalDist.cdf(d2));
    }
    return Math.max(0, k * dfr * NormalDist.cdf(-d2) - s * dfq * NormalDist.cdf(-d1));
  }

  /** Vega per unit of volatility (not per point): the derivative the IV solver steps on. */
  static double rawVega(double s, double k, double t, double r, double q, double sigma) {
    if (t <= 0 || sigma <= 0) {
      return 0;
    }
    double sqrtT = Math.sqrt(t);
    double d1 = (Math.log(s / k) + (r - q + 0.5 * sigma * sigma) * t) / (sigma * sqrtT);
    return s * Math.exp(-q * t) * NormalDist.pdf(d1) * sqrtT;
  }

  static Greeks greeks(OptionType type, double s, double k, double t, double r, double q, double sigma) {
    double tt = Math.max(t, 1e-10);
    double sig = Math.max(sigma, 1e-8);
    double sqrtT = Math.sqrt(tt);
    double d1 = (Math.log(s / k) + (r - q + 0.5 * sig * sig) * tt) / (sig * sqrtT);
    double d2 = d1 - sig * sqrtT;
    double dfq = Math.exp(-q * tt);
    double dfr = Math.exp(-r * tt);
    double nd1 = NormalDist.pdf(d1);

    double gamma = dfq * nd1 / (s * sig * sqrtT);
    double vega = s * dfq * nd1 * sqrtT / 100.0;
    double decay = -s * dfq * nd1 * sig / (2.0 * sqrtT);
    double delta;
    double thetaYear;
    double rho;
    double phi;
    if (type == OptionType.CALL) {
      double cd1 = NormalDist.cdf(d1);
      double cd2 = NormalDist.cdf(d2);
      delta = dfq * cd1;
      thetaYear = decay - r * k * dfr * cd2 + q * s * dfq * cd1;
      rho = k * tt * dfr * cd2 / 100.0;
      phi = -s * tt * dfq * cd1 / 100.0;
    } else {
      double cmd1 = NormalDist.cdf(-d1);
      double cmd2 = NormalDist.cdf(-d2);
      delta = -dfq * cmd1;
      thetaYear = decay + r * k * dfr * cmd2 - q * s * dfq * cmd1;
      rho = -k * tt * dfr * cmd2 / 100.0;
      phi = s * tt * dfq * cmd1 / 100.0;
    }
    return new Greeks(delta, gamma, thetaYear / DAYS_PER_YEAR, vega, rho, phi);
  }
}
