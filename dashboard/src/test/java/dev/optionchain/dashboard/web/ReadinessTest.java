package dev.optionchain.dashboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.breaker.CircuitBreakerRegistry;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Connector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The readiness answer in each of its four states (database open or not, warm-up ended or not), on both of its ways:
 * the probes' fast path ({@link ProbesFirst}, pre-encoded bodies) and the route ({@link HealthController#ready}, a
 * query string takes it), over real HTTP on a server of the two alone: the same status and the same bytes, 200 only
 * when both are up, asked anew on every request. The running service's states are whatever its start makes them; here
 * each is set at will.
 */
class ReadinessTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final AtomicBoolean databaseOpen = new AtomicBoolean();
  private final AtomicBoolean warmedUp = new AtomicBoolean();
  private final List<String> recorded = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private Javalin app;

  @BeforeEach
  void start() {
    HealthController health = new HealthController(new CircuitBreakerRegistry(), true, databaseOpen::get,
        warmedUp::get, Map::of);
    app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.jetty.modifyServer(server -> server.insertHandler(new ProbesFirst(databaseOpen::get, warmedUp::get,
          (method, route, status, nanos) -> recorded.add(method + " " + route + " " + status),
          Connector::getExecutor)));
      cfg.jsonMapper(new JavalinJackson(Json.mapper(), false));
      cfg.routes.get(ProbesFirst.READY, health::ready);
      cfg.routes.head(ProbesFirst.READY, health::ready);
    }).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    app.stop();
  }

  @Test
  void theFieldsAreInOrderAndUpOnlyWhenBothAre() {
    assertThat(HealthController.readiness(true, true)).containsExactly(Map.entry("status", "UP"),
        Map.entry("database", "UP"), Map.entry("server", "UP"), Map.entry("warmUp", "DONE"));
    assertThat(HealthController.readiness(true, false)).containsExactly(Map.entry("status", "DOWN"),
        Map.entry("database", "UP"), Map.entry("server", "UP"), Map.entry("warmUp", "RUNNING"));
    assertThat(HealthController.readiness(false, true)).containsExactly(Map.entry("status", "DOWN"),
        Map.entry("database", "DOWN"), Map.entry("server", "UP"), Map.entry("warmUp", "DONE"));
    assertThat(HealthController.readiness(false, false)).containsExactly(Map.entry("status", "DOWN"),
        Map.entry("database", "DOWN"), Map.entry("server", "UP"), Map.entry("warmUp", "RUNNING"));
  }

  @Test
  void theFastPathAndTheRouteAnswerEachStateAlikeAskingEveryTime() throws Exception {
    // each state twice, in an order that flips each condition both ways: nothing is remembered between requests
    boolean[][] states = {{true, true}, {true, false}, {false, false}, {false, true}, {true, true}, {false, true},
        {true, false}, {false, false}, {true, true}};
    int fastAnswers = 0;
    for (boolean[] state : states) {
      databaseOpen.set(state[0]);
      warmedUp.set(state[1]);
      String what = "database " + state[0] + ", warmed up " + state[1];
      String expected = "{\"status\":\"" + (state[0] && state[1] ? "UP" : "DOWN") + "\",\"database\":\""
          + (state[0] ? "UP" : "DOWN") + "\",\"server\":\"UP\",\"warmUp\":\"" + (state[1] ? "DONE" : "RUNNING")
          + "\"}";
      int status = state[0] && state[1] ? 200 : 503;

      HttpResponse<String> fast = send("GET", "");
      HttpResponse<String> route = send("GET", "?probe=route");
      HttpResponse<String> fastHead = send("HEAD", "");
      HttpResponse<String> routeHead = send("HEAD", "?probe=route");
      fastAnswers += 2;

      assertThat(fast.statusCode()).as(what).isEqualTo(status);
      assertThat(fast.body()).as(what).isEqualTo(expected)
          .isEqualTo(Json.mapper().writeValueAsString(HealthController.readiness(state[0], state[1])));
      assertThat(fast.headers().firstValue("Content-Type")).as(what).contains("application/json");
      assertThat(route.statusCode()).as(what).isEqualTo(status);
      assertThat(route.body()).as("the route writes what the fast path writes: %s", what).isEqualTo(fast.body());
      assertThat(route.headers().firstValue("Content-Type")).as(what)
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
      assertThat(fastHead.statusCode()).as(what).isEqualTo(status);
      assertThat(fastHead.body()).as(what).isEmpty();
      assertThat(fastHead.headers().firstValue("Content-Length")).as(what)
          .contains(Integer.toString(expected.length()));
      assertThat(routeHead.statusCode()).as(what).isEqualTo(status);
      assertThat(recorded).as("only the fast path's answers are recorded by it").hasSize(fastAnswers)
          .endsWith("GET /health/ready " + status, "HEAD /health/ready " + status);
    }
  }

  private HttpResponse<String> send(String method, String query) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + ProbesFirst.READY + query))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
