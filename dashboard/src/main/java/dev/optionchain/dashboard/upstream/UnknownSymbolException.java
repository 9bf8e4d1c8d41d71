package dev.optionchain.dashboard.upstream;

/** The provider does not know the symbol (Tradier's {@code unmatched_symbols}). Not a provider failure. */
public final class UnknownSymbolException extends UpstreamException {

  private static final long serialVersionUID = 1L;

  private final String symbol;

  /**
   * Creates the exception.
   *
   * @param symbol the unknown symbol
   */
  public UnknownSymbolException(String symbol) {
    super("unknown symbol: " + symbol, null);
    this.symbol = symbol;
  }

  /**
   * Returns the unknown symbol.
   *
   * @return the symbol
   */
  public String symbol() {
    return symbol;
  }
}
