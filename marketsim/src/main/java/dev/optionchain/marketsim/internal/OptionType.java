package dev.optionchain.marketsim.internal;

/** Call or put, with Tradier's wire name ({@code option_type}) and the OCC letter. */
enum OptionType {
  CALL("call", 'C'),
  PUT("put", 'P');

  private final String wire;
  private final char occ;

  OptionType(String wire, char occ) {
    this.wire = wire;
    this.occ = occ;
  }

  String wire() {
    return wire;
  }

  char occ() {
    return occ;
  }

  static OptionType ofOcc(char letter) {
    return switch (letter) {
      case 'C' -> CALL;
      case 'P' -> PUT;
      default -> throw new IllegalArgumentException("option type letter: '" + letter + "' is not C or P");
    };
  }
}
