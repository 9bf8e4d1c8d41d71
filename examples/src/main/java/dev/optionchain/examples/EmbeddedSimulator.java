package dev.optionchain.examples;

// tag::marketsim-builder[]
import dev.optionchain.marketsim.FaultSpec;
import dev.optionchain.marketsim.MarketSim;
// end::marketsim-builder[]
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;

/** The embedded-simulator samples of the README and {@code docs/marketsim.md}. */
public final class EmbeddedSimulator {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private EmbeddedSimulator() {}

  /**
   * The README's sample: a simulator on an ephemeral port that requires a token.
   *
   * @param clock the simulated "now"
   * @return the AAPL quote, as the simulator answered it
   */
  public static String readme(Clock clock) {
    // tag::readme-marketsim[]
    try (MarketSim sim = MarketSim.builder().seed(42L).token("secret").clock(clock).start()) {
        String upstream = sim.baseUrl();   // http://localhost:<ephemeral port>
    // end::readme-marketsim[]
        return get(URI.create(upstream + "/v1/markets/quotes?symbols=AAPL"), "secret");
    // tag::readme-marketsim[]
    }
    // end::readme-marketsim[]
  }

  /**
   * Every builder option of {@code docs/marketsim.md}.
   *
   * @param clock the simulated "now"
   * @return what the running simulator reported: base URL, port, universe
   */
  public static List<Object> everyOption(Clock clock) {
    // tag::marketsim-builder[]
    try (MarketSim sim = MarketSim.builder()
            .port(0)                        // default 0 = ephemeral
            .seed(42L)                      // default 42
            .token("secret")                // default null = no authentication
            .clock(clock)                   // default Clock.systemUTC(): the simulated "now"
            .rateLimit(120)                 // default 0: Tradier's 429 past 120 requests a minute, off by default
            .fault(FaultSpec.parse("{\"endpoint\":\"chains\",\"mode\":\"outage\",\"durationSeconds\":30}"))
            .start()) {                     // binds, starts, returns a running AutoCloseable handle
        URI base = URI.create(sim.baseUrl());   // "http://localhost:<port>"
        int port = sim.port();
        List<String> universe = sim.symbols();  // ["AAPL", "MSFT", ...]
    // end::marketsim-builder[]
        return List.of(base, port, universe);
    // tag::marketsim-builder[]
    }                                           // close() stops the server; idempotent
    // end::marketsim-builder[]
  }

  /**
   * GETs a URL with a bearer token.
   *
   * @param url the URL
   * @param token the token
   * @return the body, whatever the status
   */
  static String get(URI url, String token) {
    try {
      return HTTP.send(HttpRequest.newBuilder(url).header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
