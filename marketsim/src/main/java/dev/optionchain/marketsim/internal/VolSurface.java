package dev.optionchain.marketsim.internal;

/**
 * One symbol's implied-volatility surface for one trading day.
 *
 * <pre>
 *   σ_atm(T) = σ_∞ + (σ_0 − σ_∞)·e^(−T/τ)          term structure toward the long-run vol σ_∞
 *   x        = ln(K/F) / √T                         moneyness, clamped to [−3, 3]
 *   σ(K, T)  = σ_atm(T) + a·x + b·x²                skew a (negative for equities), smile b
 * </pre>
 *
 * and σ is floored at 30% of σ_atm and capped at 400%. {@code F} is the forward
 * S·e^((r−q)T). Immutable and thread-safe.
 *
 * @param longRunVol σ_∞, annualised
 * @param shortVol   σ_0, today's short-dated ATM vol
 * @param tau        τ in years
 * @param skew       a
 * @param smile      b
 */
record VolSurface(double longRunVol, double shortVol, double tau, double skew, double smile) {

  static final double MAX_X = 3.0;

  double atm(double t) {
    return longRunVol + (shortVol - longRunVol) * Math.exp(-Math.max(t, 0) / tau);
  }

  double vol(double strike, double t, double forward) {
    double tt = Math.max(t, 1e-8);
    double atm = atm(tt);
    double x = Math.log(strike / forward) / Math.sqrt(tt);
    x = Math.max(-MAX_X, Math.min(MAX_X, x));
    double v = atm + skew * x + smile * x * x;
    return Math.min(4.0, Math.max(0.3 * atm, v));
  }
}
