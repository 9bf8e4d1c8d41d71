package dev.optionchain.marketsim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class OccSymbolTest {

  @Test
  void formatsRootDateTypeAndStrikeInThousandths() {
    assertThat(new OccSymbol("AAPL", LocalDate.parse("2026-12-18"), OptionType.CALL, 200_000))
        .hasToString("AAPL261218C00200000");
    assertThat(new OccSymbol("F", LocalDate.parse("2027-01-15"), OptionType.PUT, 12_500))
        .hasToString("F270115P00012500");
  }

  @Test
  void parsesWhatItFormats() {
    OccSymbol symbol = OccSymbol.parse("SPY260320P00687000").orElseThrow();
    assertThat(symbol.root()).isEqualTo("SPY");
    assertThat(symbol.expiration()).isEqualTo("2026-03-20");
    assertThat(symbol.type()).isEqualTo(OptionType.PUT);
    assertThat(symbol.strike()).isEqualTo(687.0);
    assertThat(symbol).hasToString("SPY260320P00687000");
  }

  @Test
  void rejectsWhatIsNotAnOccSymbol() {
    assertThat(OccSymbol.parse("AAPL")).isEmpty();
    assertThat(OccSymbol.parse("AAPL261318C00200000")).isEmpty();   // month 13
    assertThat(OccSymbol.parse("AAPL261218X00200000")).isEmpty();
    assertThat(OccSymbol.parse("AAPL261218C00000000")).isEmpty();
    assertThat(OccSymbol.parse("TOOLONGROOT261218C00200000")).isEmpty();
    assertThatThrownBy(() -> new OccSymbol("A", LocalDate.parse("2026-01-16"), OptionType.CALL, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strikeMillis");
  }
}
