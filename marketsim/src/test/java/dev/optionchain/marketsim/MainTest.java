package dev.optionchain.marketsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MainTest {

  @Test
  void defaultsToPort8090Seed42NoTokenOnLoopback() {
    Main.Options options = Main.Options.parse(new String[0]);
    assertThat(options.port()).isEqualTo(8090);
    assertThat(options.seed()).isEqualTo(42);
    assertThat(options.token()).isNull();
    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.faults()).isEmpty();
    assertThat(options.help()).isFalse();
  }

  @Test
  void parsesEveryOptionInBothForms() {
    Main.Options options = Main.Options.parse(new String[] {"--port", "0", "--seed=7", "--token", "T",
        "--fault", "{\"endpoint\":\"chains\",\"mode\":\"outage\"}",
        "--fault={\"endpoint\":\"*\",\"mode\":\"latency\",\"latencyMs\":5}", "--host", "0.0.0.0",
        "--start-time", "2026-03-18T15:00:00Z", "--rate-limit=120"});
    assertThat(options.port()).isZero();
    assertThat(options.rateLimit()).isEqualTo(120);
    assertThat(Main.Options.parse(new String[0]).rateLimit()).as("off by default").isZero();
    assertThat(options.seed()).isEqualTo(7);
    assertThat(options.token()).isEqualTo("T");
    assertThat(options.host()).isEqualTo("0.0.0.0");
    assertThat(options.startTime()).isEqualTo("2026-03-18T15:00:00Z");
    assertThat(options.faults()).extracting(FaultSpec::mode).containsExactly("outage", "latency");
    assertThat(Main.Options.parse(new String[] {"--help"}).help()).isTrue();
    assertThat(Main.Options.parse(new String[] {"-h"}).help()).isTrue();
  }

  static Stream<Arguments> badArguments() {
    return Stream.of(
        arguments(new String[] {"--bogus"}, "unknown option '--bogus'"),
        arguments(new String[] {"--port"}, "--port needs a value"),
        arguments(new String[] {"--port", "http"}, "--port: 'http' is not a port number"),
        arguments(new String[] {"--port=70000"}, "--port: '70000' is not a port number"),
        arguments(new String[] {"--seed", "x"}, "--seed: 'x' is not an integer"),
        arguments(new String[] {"--token", " "}, "--token: must not be blank"),
        arguments(new String[] {"--fault", "{\"endpoint\":\"x\",\"mode\":\"outage\"}"},
            "--fault: endpoint: unknown endpoint 'x'"),
        arguments(new String[] {"--fault", "{\"endpoint\":\"quotes\",\"mode\":\"error_rate\"}"},
            "--fault: rate: missing"),
        arguments(new String[] {"--start-time", "yesterday"}, "--start-time: 'yesterday' is not an ISO-8601"),
        arguments(new String[] {"--rate-limit", "0"}, "--rate-limit: '0' is not a positive number"));
  }

  @ParameterizedTest
  @MethodSource("badArguments")
  void rejectsBadArgumentsWithAOneLineMessage(String[] args, String message) {
    assertThatThrownBy(() -> Main.Options.parse(args))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void startsFromOptionsAndAnnouncesItsUrl() {
    Main.Options options = Main.Options.parse(new String[] {"--port", "0", "--token", "T", "--start-time",
        "2026-03-18T15:00:00Z", "--fault", "{\"endpoint\":\"chains\",\"mode\":\"outage\"}"});
    try (MarketSim sim = options.builder().start()) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      Main.announce(sim, new PrintStream(bytes, true, StandardCharsets.UTF_8));
      assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
          "marketsim listening on http://localhost:" + sim.port() + System.lineSeparator());

      JsonNode quote = Http.ok(sim, "/v1/markets/quotes?symbols=AAPL", "Authorization", "Bearer T")
          .path("quotes").path("quote");
      Instant traded = Instant.ofEpochMilli(quote.get("trade_date").asLong());
      assertThat(traded).isBetween(Instant.parse("2026-03-18T15:00:00Z"), Instant.parse("2026-03-18T15:30:00Z"));
      assertThat(Http.get(sim, "/v1/markets/options/chains?symbol=AAPL&expiration=2026-04-17",
          "Authorization", "Bearer T").statusCode()).isEqualTo(503);
    }
  }

  @Test
  void usageNamesEveryOption() {
    assertThat(Main.USAGE).contains("--port", "--host", "--seed", "--token", "--fault", "--start-time",
        "--rate-limit", "--help");
  }
}
