package dev.optionchain.marketsim.internal;

import java.util.Optional;

/** The simulated Tradier endpoints, by the name the control API uses, and their payload root key. */
enum Endpoint {
  QUOTES("quotes", "quotes"),
  HISTORY("history", "history"),
  EXPIRATIONS("expirations", "expirations"),
  CHAINS("chains", "options"),
  LOOKUP("lookup", "securities");

  private final String wire;
  private final String root;

  Endpoint(String wire, String root) {
    this.wire = wire;
    this.root = root;
  }

  /** The name used in fault specs and {@code /sim/stats}. */
  String wire() {
    return wire;
  }

  /** The top-level key of the endpoint's JSON payload. */
  String root() {
    return root;
  }

  static Optional<Endpoint> ofWire(String name) {
    for (Endpoint e : values()) {
      if (e.wire.equals(name)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
