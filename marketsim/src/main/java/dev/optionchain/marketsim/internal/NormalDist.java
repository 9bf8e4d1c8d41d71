package dev.optionchain.marketsim.internal;

/**
 * Standard normal density and distribution function.
 *
 * <p>The CDF is Hart's algorithm 5666 as given by G. West, "Better approximations to cumulative
 * normal functions" (2005): a rational approximation for |x| &lt; 7.07 and a continued fraction
 * beyond, accurate to about 1e-15 everywhere, which the implied-volatility solver needs.
 *
 * <p>Stateless and thread-safe.
 */
final class NormalDist {

  private static final double INV_SQRT_2PI = 0.3989422804014327;

  private NormalDist() {
  }

  static double pdf(double x) {
    return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  }

  static double cdf(double x) {
    double z = Math.abs(x);
    double tail;
    if (z > 37.0) {
      tail = 0.0;
    } else {
      double e = Math.exp(-0.5 * z * z);
      if (z < 7.07106781186547) {
        double n = ((((((0.0352624965998911 * z + 0.700383064443688) * z + 6.37396220353165) * z
            + 33.912866078383) * z + 112.079291497871) * z + 221.213596169931) * z + 220.206867912376);
        double d = (((((((0.0883883476483184 * z + 1.75566716318264) * z + 16.064177579207) * z
            + 86.7807322029461) * z + 296.564248779674) * z + 637.333633378831) * z
            + 793.826512519948) * z + 440.413735824752);
        tail = e * n / d;
      } else {
        double b = z + 0.65;
        b = z + 4.0 / b;
        b = z + 3.0 / b;
        b = z + 2.0 / b;
        b = z + 1.0 / b;
        tail = e / b / 2.506628274631;
      }
    }
    return x > 0 ? 1.0 - tail : tail;
  }
}
