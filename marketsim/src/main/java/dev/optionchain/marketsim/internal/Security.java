package dev.optionchain.marketsim.internal;

/**
 * One member of the simulated universe and its model parameters. Immutable.
 *
 * @param symbol        ticker
 * @param description   name as Tradier prints it
 * @param exchange      Tradier's one-letter listing exchange code (Q Nasdaq, N NYSE, P NYSE Arca)
 * @param type          {@code stock}, {@code etf} or {@code index}
 * @param roots         its option roots: the symbol first, then any other (SPXW, an adjusted PLTR1)
 * @param anchorPrice   close on the anchor day {@link PricePaths#ANCHOR}
 * @param vol           annualised GBM volatility, also the long-run implied vol
 * @param dividendYield continuous dividend yield q
 * @param averageVolume mean daily share volume
 * @param ticks         option tick-size tier
 * @param smile         skew/smile shape of the implied-vol surface
 * @param spread        liquidity: relative half-spread of the options
 */
record Security(String symbol, String description, String exchange, String type, java.util.List<String> roots,
        double anchorPrice, double vol, double dividendYield, long averageVolume, TickTier ticks, Smile smile,
        Liquidity spread) {

  /** Copies the roots. */
  Security {
    roots = java.util.List.copyOf(roots);
  }

  /** Whether it is an index ({@code type: index}): no book, no volume, placeholders where Tradier has them. */
  boolean index() {
    return "index".equals(type);
  }

  /** The option root of standard (AM-settled, for indexes) contracts: the symbol itself. */
  String root() {
    return symbol;
  }

  /** Option tick sizes: penny-pilot style tiers. */
  enum TickTier {
    /** $0.01 at every price (the most active ETFs). */
    PENNY_ALL,
    /** $0.01 below $3, $0.05 from $3. */
    PENNY,
    /** $0.05 below $3, $0.10 from $3. */
    NICKEL;

    /** Tick in cents for an option quoted at {@code price} dollars. */
    int cents(double price) {
      return switch (this) {
        case PENNY_ALL -> 1;
        case PENNY -> price < 3.0 ? 1 : 5;
        case NICKEL -> price < 3.0 ? 5 : 10;
      };
    }
  }

  /** Skew a and smile b of {@link VolSurface}. */
  enum Smile {
    INDEX(-0.10, 0.025),
    STOCK(-0.05, 0.030),
    GROWTH(-0.02, 0.040),
    COMMODITY(0.02, 0.025),
    RATES(0.0, 0.020);

    private final double skew;
    private final double smile;

    Smile(double skew, double smile) {
      this.skew = skew;
      this.smile = smile;
    }

    double skew() {
      return skew;
    }

    double smile() {
      return smile;
    }
  }

  /** Relative half-spread of theoretical value for an at-the-money, near-dated option. */
  enum Liquidity {
    TOP(0.0008, 0.01),
    HIGH(0.003, 0.01),
    NORMAL(0.008, 0.02);

    private final double optionHalfSpread;
    private final double stockSpreadCents;

    Liquidity(double optionHalfSpread, double stockSpreadCents) {
      this.optionHalfSpread = optionHalfSpread;
      this.stockSpreadCents = stockSpreadCents;
    }

    double optionHalfSpread() {
      return optionHalfSpread;
    }

    /** Minimum stock bid/ask spread in dollars. */
    double stockSpread() {
      return stockSpreadCents;
    }
  }
}
