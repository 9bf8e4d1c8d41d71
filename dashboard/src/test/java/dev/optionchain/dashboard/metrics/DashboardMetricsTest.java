package dev.optionchain.dashboard.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerConfig;
import dev.optionchain.breaker.CircuitBreakerOpenException;
import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.breaker.testing.ManualClock;
import dev.optionchain.dashboard.market.MarketObserver;
import dev.optionchain.dashboard.market.Sourced;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@code GET /metrics} will serve, fed directly and parsed as Prometheus text. */
class DashboardMetricsTest {

  private final ManualClock clock = new ManualClock();
  private final DashboardMetrics metrics = new DashboardMetrics();
  private final CircuitBreakerRegistry breakers = new CircuitBreakerRegistry();

  @AfterEach
  void close() {
    metrics.close();
  }

  private CircuitBreaker breaker(String name) {
    return breakers.register(name, CircuitBreaker.of(name, CircuitBreakerConfig.builder()
        .failureThreshold(2).recoveryTimeout(Duration.ofSeconds(90)).clock(clock).build()));
  }

  private static void fail(CircuitBreaker b) {
    assertThatThrownBy(() -> b.call(() -> {
      throw new IllegalStateException("upstream down");
    })).isInstanceOf(IllegalStateException.class);
  }

  private PrometheusText scrape() {
    return PrometheusText.parse(metrics.scrape());
  }

  @Test
  void theContentTypeIsTheTextFormat004() {
    assertThat(DashboardMetrics.CONTENT_TYPE).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
  }

  @Test
  void breakersArePublishedWithStateCallsAndTransitions() {
    CircuitBreaker chain = breaker("options_chain");
    CircuitBreaker quotes = breaker("current_price");
    metrics.bindBreakers(breakers);
    chain.call(() -> "ok");
    fail(chain);
    fail(chain);
    assertThatThrownBy(() -> chain.call(() -> "ok")).isInstanceOf(CircuitBreakerOpenException.class);
    quotes.call(() -> "ok");

    PrometheusText t = scrape();
    assertThat(t.value("circuitbreaker_state", "name", "options_chain", "state", "open")).isEqualTo(1.0);
    assertThat(t.value("circuitbreaker_state", "name", "options_chain", "state", "closed")).isZero();
    assertThat(t.value("circuitbreaker_state", "name", "options_chain", "state", "half_open")).isZero();
    assertThat(t.value("circuitbreaker_state", "name", "current_price", "state", "closed")).isEqualTo(1.0);
    assertThat(t.value("circuitbreaker_calls_total", "name", "options_chain", "outcome", "success")).isEqualTo(1.0);
    assertThat(t.value("circuitbreaker_calls_total", "name", "options_chain", "outcome", "failure")).isEqualTo(2.0);
    assertThat(t.value("circuitbreaker_calls_total", "name", "options_chain", "outcome", "rejected"))
        .isEqualTo(1.0);
    assertThat(t.value("circuitbreaker_calls_total", "name", "options_chain", "outcome", "ignored")).isZero();
    assertThat(t.value("circuitbreaker_transitions_total", "name", "options_chain", "from", "CLOSED", "to", "OPEN"))
        .isEqualTo(1.0);
    assertThat(t.sum("circuitbreaker_transitions_total", Map.of("name", "current_price"))).isZero();
    assertThat(t.value("circuitbreaker_failure_count", "name", "options_chain")).isEqualTo(2.0);
    assertThat(t.value("circuitbreaker_failure_threshold", "name", "options_chain")).isEqualTo(2.0);
    assertThat(t.type("circuitbreaker_calls_total")).contains("counter");
    assertThat(t.type("circuitbreaker_state")).contains("gauge");

    clock.advance(Duration.ofSeconds(90));
    PrometheusText later = scrape();
    assertThat(later.value("circuitbreaker_state", "name", "options_chain", "state", "half_open"))
        .as("HALF_OPEN once the recovery timeout elapsed").isEqualTo(1.0);
    // a scrape makes no transition (it would run listeners on the scraping thread); the next call makes it
    assertThat(later.value("circuitbreaker_transitions_total", "name", "options_chain", "from", "OPEN",
        "to", "HALF_OPEN")).isZero();
    chain.call(() -> "trial");
    PrometheusText recovered = scrape();
    assertThat(recovered.value("circuitbreaker_transitions_total", "name", "options_chain", "from", "OPEN",
        "to", "HALF_OPEN")).isEqualTo(1.0);
    assertThat(recovered.value("circuitbreaker_transitions_total", "name", "options_chain", "from", "HALF_OPEN",
        "to", "CLOSED")).isEqualTo(1.0);
  }

  @Test
  void aBreakerRegisteredAfterBindingAppearsAtTheNextScrape() {
    breaker("current_price");
    metrics.bindBreakers(breakers);
    breaker("late");
    assertThat(scrape().value("circuitbreaker_state", "name", "late", "state", "closed")).isEqualTo(1.0);
  }

  @Test
  void upstreamRequestsAreAHistogramByEndpointAndOutcome() {
    MarketObserver o = metrics.marketObserver();
    o.upstreamCall("options_chain", Duration.ofMillis(3), "server_error");
    o.upstreamCall("options_chain", Duration.ofMillis(30), "server_error");
    o.upstreamCall("options_chain", Duration.ofSeconds(3), "server_error");
    o.upstreamCall("options_chain", Duration.ofMillis(40), MarketObserver.SUCCESS);
    o.upstreamCall("current_price", Duration.ofSeconds(20), "timeout");

    PrometheusText t = scrape();
    assertThat(t.type("upstream_requests_seconds")).contains("histogram");
    Map<String, String> errors = Map.of("endpoint", "options_chain", "outcome", "server_error");
    assertThat(t.value("upstream_requests_seconds_count", errors)).isEqualTo(3.0);
    assertThat(t.value("upstream_requests_seconds_sum", errors)).isCloseTo(3.033, org.assertj.core.data.Offset
        .offset(1e-9));
    assertThat(bucket(t, errors, "0.001")).isZero();
    assertThat(bucket(t, errors, "0.005")).isEqualTo(1.0);
    assertThat(bucket(t, errors, "0.05")).isEqualTo(2.0);
    assertThat(bucket(t, errors, "2.5")).isEqualTo(2.0);
    assertThat(bucket(t, errors, "5.0")).isEqualTo(3.0);
    assertThat(bucket(t, errors, "10.0")).isEqualTo(3.0);
    assertThat(bucket(t, errors, "+Inf")).isEqualTo(3.0);
    assertThat(t.value("upstream_requests_seconds_max", errors)).isEqualTo(3.0);
    assertThat(t.series("upstream_requests_seconds_bucket").stream()
        .filter(s -> s.has(errors)).map(s -> s.labels().get("le")))
        .containsExactly("0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5",
            "5.0", "10.0", "+Inf");
    assertThat(t.value("upstream_requests_seconds_count", "endpoint", "options_chain", "outcome", "success"))
        .isEqualTo(1.0);
    Map<String, String> timeout = Map.of("endpoint", "current_price", "outcome", "timeout");
    assertThat(bucket(t, timeout, "10.0")).as("slower than the last bound").isZero();
    assertThat(bucket(t, timeout, "+Inf")).isEqualTo(1.0);
  }

  private static double bucket(PrometheusText t, Map<String, String> labels, String le) {
    Map<String, String> withLe = new java.util.HashMap<>(labels);
    withLe.put("le", le);
    return t.value("upstream_requests_seconds_bucket", withLe);
  }

  @Test
  void answersAreCountedBySourceAndUnavailableOnesByCause() {
    breaker("options_chain");
    metrics.bindBreakers(breakers);
    MarketObserver o = metrics.marketObserver();
    o.served("options_chain", Sourced.Source.CACHE);
    o.served("options_chain", Sourced.Source.CACHE);
    o.served("options_chain", Sourced.Source.LIVE);
    o.unavailable("options_chain", Sourced.Cause.BREAKER_OPEN);

    PrometheusText t = scrape();
    assertThat(t.value("market_responses_total", Map.of("endpoint", "options_chain", "source", "cache")))
        .isEqualTo(2.0);
    assertThat(t.value("market_responses_total", "endpoint", "options_chain", "source", "live")).isEqualTo(1.0);
    assertThat(t.value("market_unavailable_total", "endpoint", "options_chain", "cause", "breaker_open"))
        .isEqualTo(1.0);
    assertThat(t.value("market_unavailable_total", "endpoint", "options_chain", "cause", "upstream_failed"))
        .as("registered at 0 by bindBreakers").isZero();
    assertThat(t.value("market_unavailable_total", "endpoint", "options_chain", "cause", "rate_limited")).isZero();
  }

  @Test
  void httpRequestsAreTimedByMethodRoutePatternStatusAndOutcome() {
    metrics.recordHttp("GET", "/api/quote/{symbol}", 200, 2_000_000);
    metrics.recordHttp("get", "/api/quote/{symbol}", 200, 20_000_000);
    metrics.recordHttp("GET", "/api/options/{symbol}", 503, 1_000_000);
    metrics.recordHttp("GET", "/api/options/{symbol}", 400, 1_000_000);
    metrics.recordHttp("GET", null, 404, 1_000);
    metrics.recordHttp("GET", "", 302, 1_000);
    metrics.recordHttp("POST", " ", 500, 1_000);
    metrics.recordHttp("INVENTED", "/api/quote/{symbol}", 415, 1_000);
    metrics.recordHttp("M".repeat(3000), "/api/quote/{symbol}", 415, 1_000);

    PrometheusText t = scrape();
    assertThat(t.type("http_server_requests_seconds")).contains("histogram");
    Map<String, String> quotes = Map.of("method", "GET", "uri", "/api/quote/{symbol}", "status", "200",
        "outcome", "SUCCESS");
    assertThat(t.value("http_server_requests_seconds_count", quotes)).isEqualTo(2.0);
    assertThat(t.value("http_server_requests_seconds_sum", quotes)).isCloseTo(0.022,
        org.assertj.core.data.Offset.offset(1e-9));
    Map<String, String> le = new java.util.HashMap<>(quotes);
    le.put("le", "0.0025");
    assertThat(t.value("http_server_requests_seconds_bucket", le)).isEqualTo(1.0);
    assertThat(t.value("http_server_requests_seconds_count", "uri", "/api/options/{symbol}", "status", "503",
        "outcome", "SERVER_ERROR")).isEqualTo(1.0);
    assertThat(t.value("http_server_requests_seconds_count", "uri", "/api/options/{symbol}", "status", "400",
        "outcome", "CLIENT_ERROR")).isEqualTo(1.0);
    assertThat(t.value("http_server_requests_seconds_count", "uri", "NOT_FOUND", "status", "404")).isEqualTo(1.0);
    assertThat(t.value("http_server_requests_seconds_count", "uri", "REDIRECTION", "outcome", "REDIRECTION"))
        .isEqualTo(1.0);
    assertThat(t.value("http_server_requests_seconds_count", "method", "POST", "uri", "UNKNOWN")).isEqualTo(1.0);
    assertThat(t.value("http_server_requests_seconds_count", "method", "OTHER", "status", "415"))
        .as("any other method is one series, not one per name a client invents").isEqualTo(2.0);
  }

  @Test
  void outcomesFollowSpringsClasses() {
    assertThat(List.of(101, 200, 204, 301, 404, 429, 500, 503, 99, 600).stream().map(DashboardMetrics::outcome))
        .containsExactly("INFORMATIONAL", "SUCCESS", "SUCCESS", "REDIRECTION", "CLIENT_ERROR", "CLIENT_ERROR",
            "SERVER_ERROR", "SERVER_ERROR", "UNKNOWN", "UNKNOWN");
  }

  @Test
  void gaugeAndCounterHelpersReadTheirFunctionsAtEachScrape() {
    AtomicLong queued = new AtomicLong(3);
    AtomicLong dropped = new AtomicLong(2);
    metrics.gauge("alerts.queue.size", "Alerts waiting to be sent", queued::get);
    metrics.counter("alerts.dropped", "Alerts dropped because the queue was full", dropped::get);
    metrics.gauge("broken.gauge", "Reads null", () -> null);

    PrometheusText t = scrape();
    assertThat(t.value("alerts_queue_size", Map.of())).isEqualTo(3.0);
    assertThat(t.value("alerts_dropped_total", Map.of())).isEqualTo(2.0);
    assertThat(t.type("alerts_dropped_total")).contains("counter");
    assertThat(t.help("alerts_queue_size")).contains("Alerts waiting to be sent");
    assertThat(t.value("broken_gauge", Map.of())).isNaN();

    queued.set(0);
    dropped.set(7);
    System.gc();                                       // the functions are held strongly: still there after a GC
    PrometheusText later = scrape();
    assertThat(later.value("alerts_queue_size", Map.of())).isZero();
    assertThat(later.value("alerts_dropped_total", Map.of())).isEqualTo(7.0);
  }

  @Test
  void jvmProcessAndSystemSeriesArePublished() {
    PrometheusText t = scrape();
    for (String name : List.of("jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_threads_live_threads",
        "jvm_classes_loaded_classes", "jvm_gc_memory_allocated_bytes_total", "process_uptime_seconds",
        "process_cpu_usage", "system_cpu_count")) {
      assertThat(t.has(name)).as(name).isTrue();
    }
    assertThat(t.value("jvm_memory_used_bytes", "area", "heap", "id", t.series("jvm_memory_used_bytes").stream()
        .filter(s -> "heap".equals(s.labels().get("area"))).findFirst().orElseThrow().labels().get("id")))
        .isPositive();
  }

  @Test
  void everyFamilyHasHelpAndTypeAndTheWholeScrapeParses() {
    breaker("options_chain");
    metrics.bindBreakers(breakers);
    metrics.marketObserver().upstreamCall("options_chain", Duration.ofMillis(5), "success");
    metrics.recordHttp("GET", "/metrics", 200, 1_000_000);
    String text = metrics.scrape();
    PrometheusText t = PrometheusText.parse(text);
    assertThat(t.samples()).hasSizeGreaterThan(100);
    text.lines().filter(l -> l.startsWith("# TYPE ")).map(l -> l.split(" ")[2])
        .forEach(family -> assertThat(t.help(family)).as("HELP of %s", family).isPresent());
    assertThat(text).endsWith("\n");
  }

  @Test
  void closeStopsCountingTransitions() {
    CircuitBreaker chain = breaker("options_chain");
    metrics.bindBreakers(breakers);
    metrics.close();
    fail(chain);
    fail(chain);
    assertThat(metrics.registry().get("circuitbreaker.transitions")
        .tags("name", "options_chain", "from", "CLOSED", "to", "OPEN").counter().count()).isZero();
  }
}
