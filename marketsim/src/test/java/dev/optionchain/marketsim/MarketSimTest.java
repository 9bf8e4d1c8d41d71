package dev.optionchain.marketsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class MarketSimTest {

  @Test
  void startsOnAnEphemeralPortAndReportsItsBaseUrl() {
    try (MarketSim sim = MarketSim.builder().start()) {
      assertThat(sim.port()).isPositive();
      assertThat(sim.baseUrl()).isEqualTo("http://localhost:" + sim.port());
      assertThat(sim).hasToString("MarketSim[" + sim.baseUrl() + "]");
      assertThat(Http.get(sim, "/sim/stats").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void listsTheUniverseOfTwentyToFiftyStocksAndEtfs() {
    try (MarketSim sim = MarketSim.builder().start()) {
      assertThat(sim.symbols()).hasSizeBetween(20, 50).contains("AAPL", "MSFT", "SPY", "QQQ")
          .doesNotHaveDuplicates();
      assertThat(new HashSet<>(sim.symbols())).hasSameSizeAs(sim.symbols());
    }
  }

  @Test
  void closeStopsServingAndIsIdempotent() throws Exception {
    MarketSim sim = MarketSim.builder().start();
    URI uri = URI.create(sim.baseUrl() + "/sim/stats");
    sim.close();
    sim.close();
    assertThatThrownBy(() -> Http.CLIENT.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class)
        .satisfiesAnyOf(e -> assertThat(e).isInstanceOf(ConnectException.class),
            e -> assertThat(e).hasMessageContaining("closed"));
  }

  @Test
  void failsClearlyWhenThePortIsTaken() {
    try (MarketSim first = MarketSim.builder().start()) {
      assertThatThrownBy(() -> MarketSim.builder().port(first.port()).start())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(Integer.toString(first.port()));
    }
  }

  @Test
  void builderRejectsBadSettingsNamingTheParameter() {
    assertThatThrownBy(() -> MarketSim.builder().port(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port: -1 is outside 0..65535");
    assertThatThrownBy(() -> MarketSim.builder().port(65_536)).hasMessageContaining("port: 65536");
    assertThatThrownBy(() -> MarketSim.builder().token(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("token:");
    assertThatThrownBy(() -> MarketSim.builder().clock(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("clock");
    assertThatThrownBy(() -> MarketSim.builder().fault(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("fault");
  }

  @Test
  void nullTokenMeansNoAuthentication() {
    try (MarketSim sim = MarketSim.builder().token("x").token(null).start()) {
      assertThat(Http.get(sim, "/v1/markets/lookup?q=A").statusCode()).isEqualTo(200);
    }
  }
}
