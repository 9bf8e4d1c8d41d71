package dev.optionchain.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
  void rejectedRequestsStillCarryRateLimitHeaders() {
    HttpResponse<String> response = Http.get(sim, QUOTE);
    assertThat(response.headers().firstValue("X-Ratelimit-Allowed")).contains("120");
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

  private static void assertUnauthorized(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(401);
    JsonNode fault = Http.json(response).path("fault");
    assertThat(fault.path("faultstring").asText()).isEqualTo("Invalid Access Token");
    assertThat(fault.path("detail").path("errorcode").asText()).isEqualTo("keymanagement.service.invalid_access_token");
  }
}
