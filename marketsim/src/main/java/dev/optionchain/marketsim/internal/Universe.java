package dev.optionchain.marketsim.internal;

import static dev.optionchain.marketsim.internal.Security.Liquidity.HIGH;
import static dev.optionchain.marketsim.internal.Security.Liquidity.NORMAL;
import static dev.optionchain.marketsim.internal.Security.Liquidity.TOP;
import static dev.optionchain.marketsim.internal.Security.Smile.COMMODITY;
import static dev.optionchain.marketsim.internal.Security.Smile.GROWTH;
import static dev.optionchain.marketsim.internal.Security.Smile.INDEX;
import static dev.optionchain.marketsim.internal.Security.Smile.RATES;
import static dev.optionchain.marketsim.internal.Security.Smile.STOCK;
import static dev.optionchain.marketsim.internal.Security.TickTier.NICKEL;
import static dev.optionchain.marketsim.internal.Security.TickTier.PENNY;
import static dev.optionchain.marketsim.internal.Security.TickTier.PENNY_ALL;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The simulated universe: 36 large US stocks, 10 ETFs and 2 indexes (SPX with its weekly root SPXW, VIX) with real
 * tickers and names; PLTR also lists an adjusted root, PLTR1, as after a corporate action. Prices,
 * volatilities and yields are plausible round numbers for the anchor day, not market data; the
 * tick tiers are the simulator's choice, not a statement about the real penny program.
 *
 * <p>Immutable and thread-safe.
 */
final class Universe {

  private static final Universe DEFAULT = new Universe(List.of(
      stock("AAPL", "Apple Inc", "Q", 270.0, 0.27, 0.0040, 50_000_000, PENNY, STOCK, TOP),
      stock("MSFT", "Microsoft Corp", "Q", 480.0, 0.24, 0.0070, 20_000_000, PENNY, STOCK, TOP),
      stock("NVDA", "NVIDIA Corp", "Q", 185.0, 0.45, 0.0002, 180_000_000, PENNY, GROWTH, TOP),
      stock("AMZN", "Amazon.com Inc", "Q", 230.0, 0.32, 0.0, 40_000_000, PENNY, STOCK, TOP),
      stock("GOOGL", "Alphabet Inc Class A", "Q", 310.0, 0.30, 0.0030, 30_000_000, PENNY, STOCK, HIGH),
      stock("META", "Meta Platforms Inc Class A", "Q", 650.0, 0.35, 0.0030, 14_000_000, PENNY, STOCK, HIGH),
      stock("TSLA", "Tesla Inc", "Q", 430.0, 0.55, 0.0, 95_000_000, PENNY, GROWTH, TOP),
      stock("AMD", "Advanced Micro Devices Inc", "Q", 210.0, 0.50, 0.0, 40_000_000, PENNY, GROWTH, HIGH),
      stock("NFLX", "Netflix Inc", "Q", 95.0, 0.35, 0.0, 35_000_000, PENNY, GROWTH, HIGH),
      stock("INTC", "Intel Corp", "Q", 38.0, 0.50, 0.0, 90_000_000, PENNY, STOCK, HIGH),
      stock("AVGO", "Broadcom Inc", "Q", 340.0, 0.45, 0.0070, 25_000_000, PENNY, GROWTH, HIGH),
      stock("ORCL", "Oracle Corp", "N", 195.0, 0.45, 0.0100, 20_000_000, PENNY, STOCK, NORMAL),
      stock("CRM", "Salesforce Inc", "N", 260.0, 0.33, 0.0070, 7_000_000, PENNY, STOCK, NORMAL),
      stock("CSCO", "Cisco Systems Inc", "Q", 77.0, 0.22, 0.0210, 20_000_000, PENNY, STOCK, NORMAL),
      stock("JPM", "JPMorgan Chase & Co", "N", 315.0, 0.22, 0.0190, 9_000_000, PENNY, STOCK, HIGH),
      stock("BAC", "Bank of America Corp", "N", 54.0, 0.26, 0.0210, 35_000_000, PENNY, STOCK, HIGH),
      stock("GS", "Goldman Sachs Group Inc", "N", 880.0, 0.28, 0.0180, 2_300_000, PENNY, STOCK, NORMAL),
      stock("V", "Visa Inc Class A", "N", 350.0, 0.20, 0.0070, 7_000_000, PENNY, STOCK, NORMAL),
      stock("MA", "Mastercard Inc Class A", "N", 570.0, 0.21, 0.0050, 3_000_000, NICKEL, STOCK, NORMAL),
      stock("XOM", "Exxon Mobil Corp", "N", 118.0, 0.22, 0.0340, 15_000_000, PENNY, STOCK, HIGH),
      stock("CVX", "Chevron Corp", "N", 152.0, 0.22, 0.0450, 8_000_000, PENNY, STOCK, NORMAL),
      stock("JNJ", "Johnson & Johnson", "N", 205.0, 0.17, 0.0250, 8_000_000, PENNY, STOCK, NORMAL),
      stock("PFE", "Pfizer Inc", "N", 25.0, 0.24, 0.0680, 40_000_000, PENNY, STOCK, HIGH),
      stock("UNH", "UnitedHealth Group Inc", "N", 330.0, 0.38, 0.0270, 10_000_000, PENNY, STOCK, NORMAL),
      stock("KO", "Coca-Cola Co", "N", 70.0, 0.16, 0.0290, 14_000_000, PENNY, STOCK, NORMAL),
      stock("PEP", "PepsiCo Inc", "Q", 145.0, 0.19, 0.0390, 7_000_000, PENNY, STOCK, NORMAL),
      stock("WMT", "Walmart Inc", "Q", 112.0, 0.20, 0.0080, 18_000_000, PENNY, STOCK, HIGH),
      stock("COST", "Costco Wholesale Corp", "Q", 880.0, 0.21, 0.0050, 2_200_000, NICKEL, STOCK, NORMAL),
      stock("DIS", "Walt Disney Co", "N", 112.0, 0.27, 0.0090, 9_000_000, PENNY, STOCK, NORMAL),
      stock("BA", "Boeing Co", "N", 215.0, 0.35, 0.0, 8_000_000, PENNY, STOCK, NORMAL),
      stock("CAT", "Caterpillar Inc", "N", 580.0, 0.30, 0.0100, 3_000_000, NICKEL, STOCK, NORMAL),
      stock("NKE", "Nike Inc Class B", "N", 63.0, 0.35, 0.0260, 15_000_000, PENNY, STOCK, NORMAL),
      stock("MCD", "McDonald's Corp", "N", 305.0, 0.17, 0.0240, 3_500_000, NICKEL, STOCK, NORMAL),
      withRoots(stock("PLTR", "Palantir Technologies Inc Class A", "Q", 180.0, 0.60, 0.0, 60_000_000, PENNY, GROWTH,
          HIGH), "PLTR1"),
      stock("F", "Ford Motor Co", "N", 13.5, 0.33, 0.0450, 60_000_000, PENNY, STOCK, HIGH),
      stock("T", "AT&T Inc", "N", 25.0, 0.22, 0.0450, 35_000_000, PENNY, STOCK, NORMAL),
      etf("SPY", "SPDR S&P 500 ETF Trust", "P", 685.0, 0.16, 0.0120, 70_000_000, PENNY_ALL, INDEX, TOP),
      etf("QQQ", "Invesco QQQ Trust, Series 1", "Q", 615.0, 0.21, 0.0050, 45_000_000, PENNY_ALL, INDEX, TOP),
      etf("IWM", "iShares Russell 2000 ETF", "P", 250.0, 0.22, 0.0110, 30_000_000, PENNY_ALL, INDEX, TOP),
      etf("DIA", "SPDR Dow Jones Industrial Average ETF Trust", "P", 480.0, 0.15, 0.0150, 3_000_000, PENNY, INDEX, HIGH),
      etf("GLD", "SPDR Gold Shares", "P", 395.0, 0.18, 0.0, 10_000_000, PENNY, COMMODITY, HIGH),
      etf("SLV", "iShares Silver Trust", "P", 70.0, 0.35, 0.0, 30_000_000, PENNY, COMMODITY, HIGH),
      etf("TLT", "iShares 20+ Year Treasury Bond ETF", "Q", 88.0, 0.14, 0.0430, 35_000_000, PENNY, RATES, HIGH),
      etf("XLF", "Financial Select Sector SPDR Fund", "P", 55.0, 0.18, 0.0140, 40_000_000, PENNY, INDEX, HIGH),
      etf("XLE", "Energy Select Sector SPDR Fund", "P", 90.0, 0.22, 0.0320, 15_000_000, PENNY, INDEX, NORMAL),
      etf("EEM", "iShares MSCI Emerging Markets ETF", "P", 53.0, 0.18, 0.0220, 25_000_000, PENNY, INDEX, HIGH),
      index("SPX", "S&P 500 Index", "C", 6850.0, 0.16, 0.0120, PENNY_ALL, TOP, "SPXW"),
      index("VIX", "CBOE Volatility Index", "C", 16.0, 0.90, 0.0, PENNY, HIGH)));

  private final Map<String, Security> bySymbol;
  /** Every option root (SPXW, PLTR1 as well as the symbols) to its underlying. */
  private final Map<String, Security> byRoot;

  Universe(Collection<Security> securities) {
    Map<String, Security> map = new LinkedHashMap<>();
    for (Security s : securities) {
      if (map.put(s.symbol(), s) != null) {
        throw new IllegalArgumentException("duplicate symbol: " + s.symbol());
      }
    }
    this.bySymbol = map;
    Map<String, Security> roots = new LinkedHashMap<>();
    for (Security s : securities) {
      for (String root : s.roots()) {
        if (roots.put(root, s) != null) {
          throw new IllegalArgumentException("duplicate option root: " + root);
        }
      }
    }
    this.byRoot = roots;
  }

  /** The underlying of an option root: {@code SPXW -> SPX}, {@code PLTR1 -> PLTR}, {@code AAPL -> AAPL}. */
  Optional<Security> byRoot(String root) {
    return Optional.ofNullable(byRoot.get(root));
  }

  static Universe standard() {
    return DEFAULT;
  }

  List<Security> all() {
    return List.copyOf(bySymbol.values());
  }

  List<String> symbols() {
    return List.copyOf(bySymbol.keySet());
  }

  Optional<Security> find(String symbol) {
    return Optional.ofNullable(bySymbol.get(symbol));
  }

  /**
   * Tradier's {@code lookup}: symbols that start with {@code query}, then names that contain it
   * (case-insensitive), optionally restricted to some {@code types} and {@code exchanges}
   * (empty sets mean "any"). Exact symbol match first, then prefix matches, then name matches,
   * each alphabetically.
   */
  List<Security> lookup(String query, Set<String> types, Set<String> exchanges) {
    String q = query.toUpperCase(Locale.ROOT);
    List<Security> hits = new ArrayList<>();
    for (Security s : bySymbol.values()) {
      boolean matches = s.symbol().startsWith(q) || s.description().toUpperCase(Locale.ROOT).contains(q);
      if (matches && (types.isEmpty() || types.contains(s.type()))
          && (exchanges.isEmpty() || exchanges.contains(s.exchange()))) {
        hits.add(s);
      }
    }
    hits.sort(Comparator.comparingInt((Security s) -> rank(s, q)).thenComparing(Security::symbol));
    return hits;
  }

  private static int rank(Security s, String q) {
    if (s.symbol().equals(q)) {
      return 0;
    }
    return s.symbol().startsWith(q) ? 1 : 2;
  }

  private static Security stock(String symbol, String name, String exchange, double price, double vol, double yield,
                  long averageVolume, Security.TickTier ticks, Security.Smile smile,
                  Security.Liquidity liquidity) {
    return new Security(symbol, name, exchange, "stock", List.of(symbol), price, vol, yield, averageVolume, ticks,
        smile, liquidity);
  }

  private static Security etf(String symbol, String name, String exchange, double price, double vol, double yield,
                long averageVolume, Security.TickTier ticks, Security.Smile smile,
                Security.Liquidity liquidity) {
    return new Security(symbol, name, exchange, "etf", List.of(symbol), price, vol, yield, averageVolume, ticks,
        smile, liquidity);
  }

  /**
   * An index: not traded itself (no book, volume 0), options on it. The average volume drives only the options'
   * open interest, as if it were an ETF's share volume.
   */
  private static Security index(String symbol, String name, String exchange, double price, double vol, double yield,
      Security.TickTier ticks, Security.Liquidity liquidity, String... otherRoots) {
    List<String> roots = new ArrayList<>();
    roots.add(symbol);
    roots.addAll(List.of(otherRoots));
    return new Security(symbol, name, exchange, "index", roots, price, vol, yield, 40_000_000, ticks, INDEX,
        liquidity);
  }

  /** A stock with contracts of another root besides its own, as after a corporate action (PLTR1). */
  private static Security withRoots(Security s, String... otherRoots) {
    List<String> roots = new ArrayList<>(s.roots());
    roots.addAll(List.of(otherRoots));
    return new Security(s.symbol(), s.description(), s.exchange(), s.type(), roots, s.anchorPrice(), s.vol(),
        s.dividendYield(), s.averageVolume(), s.ticks(), s.smile(), s.spread());
  }
}
