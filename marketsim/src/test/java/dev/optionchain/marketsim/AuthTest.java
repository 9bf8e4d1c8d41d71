package dev.optionchain.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthTest {

  private static final String QUOTE = "/v1/markets/quotes?symbols=AAPL";
  private static MarketSim sim;

  @BeforeAll
  static void start() {
    sim = MarketSim.builder().token("s3cret").clock(TestClock.at("2026-03-18T15:00:00Z")).start();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void requiresTheConfiguredBearerToken() {
    assertUnauthorized(Http.get(sim, QUOTE));
    assertUnauthorized(Http.get(sim, QUOTE, "Authorization", "Bearer wrong"));
    assertUnauthorized(Http.get(sim, QUOTE, "Authorization", "s3cret"));
    assertUnauthorized(Http.get(sim, QUOTE, "Authorization", "Basic czNjcmV0"));
  }

  @Test
  void acceptsTheTokenWithAnyCaseOfTheScheme() {
    assertThat(Http.get(sim, QUOTE, "Authorization", "Bearer s3cret").statusCode()).isEqualTo(200);
    assertThat(Http.get(sim, QUOTE, "Authorization", "bearer s3cret").statusCode()).isEqualTo(200);
  }

  @Test
  void rejectedRequestsCarryNoRateLimitHeadersAndAreNotCounted() {
    HttpResponse<String> response = Http.get(sim, QUOTE);
    assertThat(response.headers().firstValue("X-Ratelimit-Allowed")).isEmpty();
    HttpResponse<String> first = Http.get(sim, QUOTE, "Authorization", "Bearer s3cret");
    Http.get(sim, QUOTE);
    HttpResponse<String> second = Http.get(sim, QUOTE, "Authorization", "Bearer s3cret");
    assertThat(Long.parseLong(second.headers().firstValue("X-Ratelimit-Used").orElseThrow()))
        .as("the refused request in between was not counted")
        .isEqualTo(Long.parseLong(first.headers().firstValue("X-Ratelimit-Used").orElseThrow()) + 1);
  }

  @Test
  void controlPlaneNeedsNoToken() {
    assertThat(Http.get(sim, "/sim/stats").statusCode()).isEqualTo(200);
    assertThat(Http.get(sim, "/sim/faults").statusCode()).isEqualTo(200);
    assertThat(Http.get(sim, "/sim/universe").statusCode()).isEqualTo(200);
  }

  @Test
  void withoutAConfiguredTokenAnyOrNoTokenIsAccepted() {
    try (MarketSim open = MarketSim.builder().clock(TestClock.at("2026-03-18T15:00:00Z")).start()) {
      assertThat(Http.get(open, QUOTE).statusCode()).isEqualTo(200);
      assertThat(Http.get(open, QUOTE, "Authorization", "Bearer anything").statusCode()).isEqualTo(200);
    }
  }

  /** Tradier's 401: the words, as plain text (its content type reads {@code plain/text}), not its JSON fault. */
  static void assertUnauthorized(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).isEqualTo("Invalid Access Token");
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("plain/text");
  }
}
