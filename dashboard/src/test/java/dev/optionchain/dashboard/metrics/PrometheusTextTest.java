package dev.optionchain.dashboard.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test parser accepts the format and refuses what Prometheus would refuse. */
class PrometheusTextTest {

  private static final String SAMPLE = String.join("\n",
      "# HELP requests_total Requests, with a \\\\ and a\\nnew line",
      "# TYPE requests_total counter",
      "requests_total{path=\"/a\\\"b\\\\c\\nd\",code=\"200\"} 3.0",
      "requests_total{code=\"500\", path=\"/x\",} 1.5E3 1700000000000",
      "# a plain comment",
      "# TYPE latency_seconds histogram",
      "latency_seconds_bucket{le=\"0.1\"} 1",
      "latency_seconds_bucket{le=\"1.0\"} 2",
      "latency_seconds_bucket{le=\"+Inf\"} 3",
      "latency_seconds_count 3",
      "latency_seconds_sum 4.2",
      "temperature NaN",
      "lowest -Inf",
      "");

  @Test
  void parsesSamplesLabelsEscapesAndMetadata() {
    PrometheusText t = PrometheusText.parse(SAMPLE);
    assertThat(t.samples()).hasSize(9);
    assertThat(t.value("requests_total", "code", "200")).isEqualTo(3.0);
    assertThat(t.series("requests_total").get(0).labels()).containsEntry("path", "/a\"b\\c\nd");
    assertThat(t.value("requests_total", Map.of("path", "/x", "code", "500"))).isEqualTo(1500.0);
    assertThat(t.value("latency_seconds_bucket", "le", "+Inf")).isEqualTo(3.0);
    assertThat(t.value("temperature", Map.of())).isNaN();
    assertThat(t.value("lowest", Map.of())).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(t.type("requests_total")).contains("counter");
    assertThat(t.type("latency_seconds")).contains("histogram");
    assertThat(t.type("temperature")).isEmpty();
    assertThat(t.help("requests_total")).contains("Requests, with a \\ and a\nnew line");
    assertThat(t.sum("requests_total", Map.of())).isEqualTo(1503.0);
    assertThat(t.has("latency_seconds_sum")).isTrue();
    assertThat(t.has("latency_seconds_max")).isFalse();
  }

  @Test
  void aMissingOrAmbiguousSeriesFailsListingTheSeriesThatExist() {
    PrometheusText t = PrometheusText.parse(SAMPLE);
    assertThatThrownBy(() -> t.value("requests_total", "code", "404"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no series requests_total{code=404}")
        .hasMessageContaining("requests_total{code=\"500\",path=\"/x\"} 1500.0");
    assertThatThrownBy(() -> t.value("requests_total", Map.of()))
        .isInstanceOf(AssertionError.class).hasMessageContaining("2 series match");
    assertThatThrownBy(() -> t.value("absent", Map.of()))
        .isInstanceOf(AssertionError.class).hasMessageContaining("series of absent: none");
  }

  @Test
  void refusesMalformedLinesNamingTheLine() {
    assertRefused("1x 1", "line 1: bad metric name '1x'");
    assertRefused("x{1a=\"v\"} 1", "bad label name '1a'");
    assertRefused("x{a=\"v} 1", "unterminated value of label a");
    assertRefused("x{a=\"\\t\"} 1", "bad escape \\t");
    assertRefused("x{a=\"v\" b=\"w\"} 1", "expected , or }");
    assertRefused("x{a=\"v\",a=\"w\"} 1", "label a given twice");
    assertRefused("x one", "bad value 'one'");
    assertRefused("x 1 12.5", "bad timestamp '12.5'");
    assertRefused("x", "expected a value");
    assertRefused("# TYPE x meter", "unknown type 'meter'");
    assertRefused("# TYPE x gauge\n# TYPE x gauge", "line 2: second TYPE for x");
    assertRefused("x 1\n# TYPE x gauge", "TYPE after samples of x");
    assertRefused("x{a=\"1\"} 1\nx{a=\"1\"} 2", "series given twice");
    assertRefused("x 1\ny 1\nx{a=\"b\"} 1", "line 3: lines of x are not in one group");
  }

  @Test
  void refusesInconsistentHistograms() {
    String head = "# TYPE h histogram\n";
    assertRefused(head + "h_bucket 1", "histogram bucket without le");
    assertRefused(head + "h_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1", "counts less than");
    assertRefused(head + "h_bucket{le=\"1\"} 1\nh_count 1", "no +Inf bucket");
    assertRefused(head + "h_bucket{le=\"+Inf\"} 2\nh_count 1", "_count 1.0 differs");
  }

  private static void assertRefused(String text, String message) {
    assertThatThrownBy(() -> PrometheusText.parse(text))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }
}
