package dev.optionchain.marketsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every fault kind, observed from a real HTTP client; timers driven by the simulator's clock. */
class FaultInjectionTest {

  private static final Instant START = Instant.parse("2026-03-18T15:00:00Z");
  private static final String QUOTES = "/v1/markets/quotes?symbols=AAPL";
  private static final String CHAINS = "/v1/markets/options/chains?symbol=AAPL&expiration=2026-04-17";
  private static final List<String> ALL_ENDPOINTS = List.of(QUOTES, "/v1/markets/history?symbol=AAPL",
      "/v1/markets/options/expirations?symbol=AAPL", CHAINS, "/v1/markets/lookup?q=AAPL");

  private static final TestClock clock = TestClock.at(START.toString());
  private static MarketSim sim;

  @BeforeAll
  static void start() {
    sim = MarketSim.builder().clock(clock).start();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @AfterEach
  void reset() {
    Http.delete(sim, "/sim/faults");
    Http.delete(sim, "/sim/stats");
    clock.set(START);
  }

  @Test
  void outageAnswers503UntilCleared() {
    setFault("{\"endpoint\":\"chains\",\"mode\":\"outage\"}");
    HttpResponse<String> response = Http.get(sim, CHAINS);
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(Http.json(response).path("fault").path("faultstring").asText()).contains("temporarily unavailable");
    assertThat(response.headers().firstValue("X-Ratelimit-Allowed")).isPresent();
    assertThat(Http.get(sim, QUOTES).statusCode()).as("other endpoints are healthy").isEqualTo(200);
    Http.delete(sim, "/sim/faults/chains");
    assertThat(Http.get(sim, CHAINS).statusCode()).isEqualTo(200);
  }

  @Test
  void errorRateFailsAboutThatShareOfCalls() {
    setFault("{\"endpoint\":\"quotes\",\"mode\":\"error_rate\",\"rate\":0.3}");
    int errors = 0;
    for (int i = 0; i < 200; i++) {
      HttpResponse<String> response = Http.get(sim, QUOTES);
      assertThat(response.statusCode()).isIn(200, 500);
      if (response.statusCode() == 500) {
        errors++;
        assertThat(Http.json(response).path("fault").path("faultstring").asText()).isEqualTo("Internal Server Error");
      }
    }
    assertThat(errors).isBetween(30, 95);
    assertThat(stats().path("quotes").path("faults").asInt()).isEqualTo(errors);
  }

  @Test
  void errorRateOfOneFailsEveryCallAndZeroNone() {
    setFault("{\"endpoint\":\"lookup\",\"mode\":\"error_rate\",\"rate\":1}");
    for (int i = 0; i < 10; i++) {
      assertThat(Http.get(sim, "/v1/markets/lookup?q=A").statusCode()).isEqualTo(500);
    }
    setFault("{\"endpoint\":\"lookup\",\"mode\":\"error_rate\",\"rate\":0.0}");
    for (int i = 0; i < 10; i++) {
      assertThat(Http.get(sim, "/v1/markets/lookup?q=A").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void latencyTripsClientTimeoutsWithoutStarvingOtherEndpoints() {
    setFault("{\"endpoint\":\"chains\",\"mode\":\"latency\",\"latencyMs\":4000}");
    List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      // the client gives up long before the 4 s delay, yet late enough that on a loaded machine all 40 reach the server
      slow.add(Http.CLIENT.sendAsync(Http.request(sim, CHAINS).timeout(Duration.ofMillis(1500)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    // While 40 delayed requests are pending, another endpoint answers normally.
    assertThat(Http.get(sim, QUOTES).statusCode()).isEqualTo(200);
    for (CompletableFuture<HttpResponse<String>> f : slow) {
      assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(HttpTimeoutException.class);
    }
    assertThat(stats().path("chains").path("faults").asInt()).isEqualTo(40);
  }

  @Test
  void latencyDelaysButStillAnswers() {
    setFault("{\"endpoint\":\"*\",\"mode\":\"latency\",\"minMs\":200,\"maxMs\":300}");
    long start = System.nanoTime();
    HttpResponse<String> response = Http.get(sim, QUOTES);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Http.json(response).path("quotes").path("quote").path("symbol").asText()).isEqualTo("AAPL");
    assertThat(elapsedMs).isGreaterThanOrEqualTo(200);
  }

  @Test
  void rateLimitAnswers429PastThePerMinuteBudgetThenRecovers() {
    clock.set(Instant.parse("2026-03-18T15:00:30Z"));
    setFault("{\"endpoint\":\"quotes\",\"mode\":\"rate_limit\",\"perMinute\":3}");
    String[] token = {"Authorization", "Bearer client-a"};
    for (int i = 1; i <= 3; i++) {
      HttpResponse<String> ok = Http.get(sim, QUOTES, token);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(TradierShapeTest.header(ok, "X-Ratelimit-Allowed")).isEqualTo(3);
      assertThat(TradierShapeTest.header(ok, "X-Ratelimit-Used")).isEqualTo(i);
      assertThat(TradierShapeTest.header(ok, "X-Ratelimit-Available")).isEqualTo(3 - i);
    }
    HttpResponse<String> limited = Http.get(sim, QUOTES, token);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).contains("30");
    assertThat(TradierShapeTest.header(limited, "X-Ratelimit-Available")).isZero();
    assertThat(TradierShapeTest.header(limited, "X-Ratelimit-Expiry"))
        .isEqualTo(Instant.parse("2026-03-18T15:01:00Z").toEpochMilli());
    assertThat(Http.json(limited).path("fault").path("detail").path("errorcode").asText())
        .isEqualTo("policies.ratelimit.QuotaViolation");

    assertThat(Http.get(sim, QUOTES, "Authorization", "Bearer client-b").statusCode())
        .as("each token has its own budget").isEqualTo(200);
    assertThat(Http.get(sim, CHAINS, token).statusCode()).as("other endpoints are not limited").isEqualTo(200);

    clock.advance(Duration.ofSeconds(30));
    assertThat(Http.get(sim, QUOTES, token).statusCode()).as("a new minute").isEqualTo(200);
  }

  @Test
  void settingARateLimitAgainStartsAFreshBudget() {
    clock.set(Instant.parse("2026-03-18T15:00:10Z"));
    setFault("{\"endpoint\":\"quotes\",\"mode\":\"rate_limit\",\"perMinute\":1}");
    assertThat(Http.get(sim, QUOTES).statusCode()).isEqualTo(200);
    assertThat(Http.get(sim, QUOTES).statusCode()).isEqualTo(429);
    setFault("{\"endpoint\":\"quotes\",\"mode\":\"rate_limit\",\"perMinute\":1}");
    assertThat(Http.get(sim, QUOTES).statusCode()).as("same minute, new fault, new budget").isEqualTo(200);
    assertThat(Http.get(sim, QUOTES).statusCode()).isEqualTo(429);
    Http.delete(sim, "/sim/faults");
    setFault("{\"endpoint\":\"quotes\",\"mode\":\"rate_limit\",\"perMinute\":1}");
    assertThat(Http.get(sim, QUOTES).statusCode()).as("after clearing all faults").isEqualTo(200);
  }

  @Test
  void authFaultAnswers401() {
    setFault("{\"endpoint\":\"history\",\"mode\":\"auth\"}");
    HttpResponse<String> response = Http.get(sim, "/v1/markets/history?symbol=AAPL");
    AuthTest.assertUnauthorized(response);
  }

  @Test
  void malformedAnswersTruncatedJson() {
    String healthy = Http.get(sim, CHAINS).body();
    setFault("{\"endpoint\":\"chains\",\"mode\":\"malformed\"}");
    HttpResponse<String> response = Http.get(sim, CHAINS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    assertThat(healthy).startsWith(response.body());
    assertThat(response.body().length()).isLessThan(healthy.length());
    assertThatThrownBy(() -> Http.MAPPER.readTree(response.body())).isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void htmlAnswersAnErrorPageWithStatus200() {
    setFault("{\"endpoint\":\"quotes\",\"mode\":\"html\"}");
    HttpResponse<String> response = Http.get(sim, QUOTES);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(response.body()).startsWith("<!DOCTYPE html>").contains("Service Temporarily Unavailable");
  }

  @ParameterizedTest
  @CsvSource({"/v1/markets/quotes?symbols=AAPL, quotes", "/v1/markets/history?symbol=AAPL, history",
      "/v1/markets/options/expirations?symbol=AAPL, expirations",
      "/v1/markets/options/chains?symbol=AAPL&expiration=2026-04-17, options", "/v1/markets/lookup?q=A, securities"})
  void emptyAnswersNullPayloads(String path, String root) {
    setFault("{\"endpoint\":\"*\",\"mode\":\"empty\"}");
    HttpResponse<String> response = Http.get(sim, path);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"" + root + "\":null}");
  }

  @Test
  void flappingAlternatesUpAndDownPeriods() {
    JsonNode listed = setFault("{\"endpoint\":\"quotes\",\"mode\":\"flapping\",\"upSeconds\":10,\"downSeconds\":5}");
    assertThat(listed.get(0).get("phase").asText()).isEqualTo("up");
    assertThat(Http.get(sim, QUOTES).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(10));
    assertThat(Http.get(sim, QUOTES).statusCode()).isEqualTo(503);
    assertThat(Http.ok(sim, "/sim/faults").get(0).get("phase").asText()).isEqualTo("down");
    clock.advance(Duration.ofSeconds(4));
    assertThat(Http.get(sim, QUOTES).statusCode()).isEqualTo(503);
    clock.advance(Duration.ofSeconds(1));
    assertThat(Http.get(sim, QUOTES).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(10));
    assertThat(Http.get(sim, QUOTES).statusCode()).isEqualTo(503);
  }

  @Test
  void durationSecondsEndsTheFaultByItself() {
    JsonNode listed = setFault("{\"endpoint\":\"chains\",\"mode\":\"outage\",\"durationSeconds\":30}");
    assertThat(listed.get(0).get("expiresAt").asText()).isEqualTo("2026-03-18T15:00:30Z");
    assertThat(Http.get(sim, CHAINS).statusCode()).isEqualTo(503);
    clock.advance(Duration.ofSeconds(29));
    assertThat(Http.get(sim, CHAINS).statusCode()).isEqualTo(503);
    clock.advance(Duration.ofSeconds(1));
    assertThat(Http.get(sim, CHAINS).statusCode()).isEqualTo(200);
    assertThat(Http.ok(sim, "/sim/faults")).isEmpty();
  }

  @Test
  void anEndpointFaultTakesPrecedenceOverTheWildcard() {
    setFault("{\"endpoint\":\"*\",\"mode\":\"outage\"}");
    setFault("{\"endpoint\":\"quotes\",\"mode\":\"html\"}");
    assertThat(Http.get(sim, QUOTES).headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(Http.get(sim, CHAINS).statusCode()).isEqualTo(503);
    Http.delete(sim, "/sim/faults/quotes");
    assertThat(Http.get(sim, QUOTES).statusCode()).isEqualTo(503);
  }

  @Test
  void postReplacesTheFaultOfThatEndpointAndListsActiveFaults() {
    setFault("{\"endpoint\":\"chains\",\"mode\":\"outage\"}");
    setFault("{\"endpoint\":\"*\",\"mode\":\"latency\",\"latencyMs\":1}");
    JsonNode list = setFault("{\"endpoint\":\"chains\",\"mode\":\"error_rate\",\"rate\":0.5,\"durationSeconds\":60}");
    assertThat(list.isArray()).isTrue();
    assertThat(list).hasSize(2);
    assertThat(list.get(0).get("endpoint").asText()).isEqualTo("*");
    assertThat(list.get(0).get("latencyMs").asInt()).isEqualTo(1);
    JsonNode chains = list.get(1);
    assertThat(chains.get("mode").asText()).isEqualTo("error_rate");
    assertThat(chains.get("rate").asDouble()).isEqualTo(0.5);
    assertThat(chains.get("durationSeconds").asInt()).isEqualTo(60);
    assertThat(chains.get("setAt").asText()).isEqualTo("2026-03-18T15:00:00Z");
    assertThat(Http.ok(sim, "/sim/faults")).isEqualTo(list);
  }

  @Test
  void deleteClearsOneEndpointOrAll() {
    setFault("{\"endpoint\":\"*\",\"mode\":\"outage\"}");
    setFault("{\"endpoint\":\"lookup\",\"mode\":\"outage\"}");
    JsonNode afterOne = Http.json(Http.delete(sim, "/sim/faults/*"));
    assertThat(afterOne).extracting(f -> f.get("endpoint").asText()).containsExactly("lookup");
    assertThat(Http.get(sim, QUOTES).statusCode()).isEqualTo(200);
    assertThat(Http.delete(sim, "/sim/faults/quotes").statusCode()).as("clearing nothing is fine").isEqualTo(200);
    assertThat(Http.json(Http.delete(sim, "/sim/faults"))).isEmpty();
    assertThat(Http.get(sim, "/v1/markets/lookup?q=A").statusCode()).isEqualTo(200);

    HttpResponse<String> unknown = Http.delete(sim, "/sim/faults/options");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(Http.json(unknown).path("error").asText()).contains("'options'");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "{\"endpoint\":\"options\",\"mode\":\"outage\"}               | endpoint: unknown endpoint 'options'",
      "{\"endpoint\":\"quotes\",\"mode\":\"meltdown\"}              | mode: unknown mode 'meltdown'",
      "{\"endpoint\":\"quotes\",\"mode\":\"error_rate\",\"rate\":2} | rate: 2 is outside [0.0, 1.0]",
      "{\"endpoint\":\"quotes\",\"mode\":\"latency\",\"latencyMs\":-1} | latencyMs: -1 must be between 0",
      "{\"endpoint\":\"quotes\"                                     | body: not valid JSON",
      "[1,2]                                                        | body: expected a JSON object"})
  void invalidFaultBodiesAnswer400(String body, String message) {
    HttpResponse<String> response = Http.post(sim, "/sim/faults", body);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(Http.json(response).path("error").asText()).startsWith(message);
    assertThat(Http.ok(sim, "/sim/faults")).isEmpty();
  }

  @Test
  void statsCountRequestsAndFaultsPerEndpointUntilReset() {
    setFault("{\"endpoint\":\"history\",\"mode\":\"outage\"}");
    for (String path : ALL_ENDPOINTS) {
      Http.get(sim, path);
      Http.get(sim, path);
    }
    JsonNode stats = stats();
    assertThat(stats.path("quotes").path("requests").asInt()).isEqualTo(2);
    assertThat(stats.path("quotes").path("faults").asInt()).isZero();
    assertThat(stats.path("history").path("requests").asInt()).isEqualTo(2);
    assertThat(stats.path("history").path("faults").asInt()).isEqualTo(2);
    assertThat(TradierShapeTest.fieldNames(stats)).containsExactly("quotes", "history", "expirations", "chains", "lookup");

    JsonNode cleared = Http.json(Http.delete(sim, "/sim/stats"));
    assertThat(cleared.path("endpoints").path("history").path("requests").asInt()).isZero();
    assertThat(cleared.path("since").asText()).isEqualTo(START.toString());
  }

  @Test
  void controlPlaneIsNeverFaulted() {
    setFault("{\"endpoint\":\"*\",\"mode\":\"outage\"}");
    assertThat(Http.get(sim, "/sim/stats").statusCode()).isEqualTo(200);
    assertThat(Http.get(sim, "/sim/universe").statusCode()).isEqualTo(200);
    assertThat(Http.get(sim, "/sim/faults").statusCode()).isEqualTo(200);
  }

  @Test
  void faultsCanBeSetAtStartUp() {
    try (MarketSim faulty = MarketSim.builder().clock(TestClock.at(START.toString()))
        .fault(FaultSpec.parse("{\"endpoint\":\"quotes\",\"mode\":\"outage\",\"durationSeconds\":5}"))
        .fault(FaultSpec.parse("{\"endpoint\":\"lookup\",\"mode\":\"empty\"}"))
        .start()) {
      assertThat(Http.get(faulty, QUOTES).statusCode()).isEqualTo(503);
      assertThat(Http.get(faulty, "/v1/markets/lookup?q=A").body()).isEqualTo("{\"securities\":null}");
      assertThat(Http.ok(faulty, "/sim/faults")).hasSize(2);
    }
  }

  private static JsonNode setFault(String body) {
    HttpResponse<String> response = Http.post(sim, "/sim/faults", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Http.json(response);
  }

  private static JsonNode stats() {
    return Http.ok(sim, "/sim/stats").path("endpoints");
  }
}
