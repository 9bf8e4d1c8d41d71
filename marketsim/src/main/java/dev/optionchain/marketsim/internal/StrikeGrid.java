package dev.optionchain.marketsim.internal;

/**
 * Listed strikes of one expiration, in thousandths of a dollar (the OCC unit).
 *
 * <p>The grid is centred on the previous session's close so it does not move during the day. It
 * covers [ref·min(0.9, e^(−w)), ref·max(1.1, e^(w))] with w = min(3σ√T, ln 3) — at least ±10%
 * and ±3 standard deviations, but never beyond 1/3× to 3× the price — with the increment of the price band (under $25: 0.50; under $50: 1; under $200:
 * 2.50; under $500: 5; above: 10), widened along 0.5/1/2.5/5/10/25/50/100 while the grid would
 * have more than {@value #MAX_STRIKES} strikes (long-dated expirations). Stateless and thread-safe.
 */
final class StrikeGrid {

  static final int MAX_STRIKES = 100;
  /** Long-dated, high-vol grids stop at 1/3× and 3× the reference price. */
  static final double MAX_LOG_WIDTH = Math.log(3);
  private static final long[] LADDER = {500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000};

  private StrikeGrid() {
  }

  /** The increment, in thousandths of a dollar, for an underlying priced at {@code price}. */
  static long baseIncrement(double price) {
    if (price < 25) {
      return 500;
    }
    if (price < 50) {
      return 1_000;
    }
    if (price < 200) {
      return 2_500;
    }
    if (price < 500) {
      return 5_000;
    }
    return 10_000;
  }

  /**
   * @param ref reference price (the previous close)
   * @param atmVol at-the-money implied vol for the expiration
   * @param years time to expiry in years
   */
  static long[] strikes(double ref, double atmVol, double years) {
    double width = Math.min(MAX_LOG_WIDTH, 3 * atmVol * Math.sqrt(Math.max(years, 0)));
    double lower = ref * Math.min(0.9, Math.exp(-width));
    double upper = ref * Math.max(1.1, Math.exp(width));
    long increment = baseIncrement(ref);
    int rung = 0;
    while (LADDER[rung] != increment) {
      rung++;
    }
    long from;
    long to;
    while (true) {
      from = Math.max(1, (long) Math.ceil(lower * 1000 / increment));
      to = (long) Math.floor(upper * 1000 / increment);
      if (to - from + 1 <= MAX_STRIKES || rung == LADDER.length - 1) {
        break;
      }
      increment = LADDER[++rung];
    }
    long[] strikes = new long[(int) Math.max(0, to - from + 1)];
    for (int i = 0; i < strikes.length; i++) {
      strikes[i] = (from + i) * increment;
    }
    return strikes;
  }
}
