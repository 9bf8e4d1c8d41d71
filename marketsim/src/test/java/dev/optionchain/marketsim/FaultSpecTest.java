package dev.optionchain.marketsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FaultSpecTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"endpoint\":\"chains\",\"mode\":\"outage\"}",
      "{\"endpoint\":\"*\",\"mode\":\"error_rate\",\"rate\":0.25}",
      "{\"endpoint\":\"quotes\",\"mode\":\"latency\",\"latencyMs\":2000}",
      "{\"endpoint\":\"quotes\",\"mode\":\"latency\",\"minMs\":100,\"maxMs\":900}",
      "{\"endpoint\":\"history\",\"mode\":\"rate_limit\",\"perMinute\":60}",
      "{\"endpoint\":\"lookup\",\"mode\":\"auth\"}",
      "{\"endpoint\":\"expirations\",\"mode\":\"malformed\"}",
      "{\"endpoint\":\"chains\",\"mode\":\"html\"}",
      "{\"endpoint\":\"chains\",\"mode\":\"empty\",\"durationSeconds\":30}",
      "{\"endpoint\":\"*\",\"mode\":\"flapping\",\"upSeconds\":20,\"downSeconds\":2.5}"})
  void parsesEveryModeAndPrintsItBackCanonically(String json) {
    FaultSpec spec = FaultSpec.parse(json);
    assertThat(spec.toJson()).isEqualTo(json);
    assertThat(FaultSpec.parse(spec.toJson())).isEqualTo(spec).hasSameHashCodeAs(spec);
  }

  @Test
  void exposesEndpointModeAndDuration() {
    FaultSpec spec = FaultSpec.parse("{\"mode\": \"outage\", \"durationSeconds\": 1.5, \"endpoint\": \"chains\"}");
    assertThat(spec.endpoint()).isEqualTo("chains");
    assertThat(spec.mode()).isEqualTo("outage");
    assertThat(spec.duration()).contains(Duration.ofMillis(1500));
    assertThat(spec.toJson()).isEqualTo("{\"endpoint\":\"chains\",\"mode\":\"outage\",\"durationSeconds\":1.5}");
    assertThat(FaultSpec.parse("{\"endpoint\":\"chains\",\"mode\":\"outage\"}").duration()).isEmpty();
  }

  @Test
  void flappingDefaultsToTenSecondsUpAndDown() {
    assertThat(FaultSpec.parse("{\"endpoint\":\"quotes\",\"mode\":\"flapping\"}").toJson())
        .isEqualTo("{\"endpoint\":\"quotes\",\"mode\":\"flapping\",\"upSeconds\":10,\"downSeconds\":10}");
  }

  @Test
  void nullFieldsCountAsAbsent() {
    assertThat(FaultSpec.parse("{\"endpoint\":\"quotes\",\"mode\":\"outage\",\"rate\":null,\"durationSeconds\":null}"))
        .isEqualTo(FaultSpec.parse("{\"endpoint\":\"quotes\",\"mode\":\"outage\"}"));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "``                                                                   | body: empty",
      "[]                                                                   | body: expected a JSON object, got array",
      "{\"endpoint\":\"quotes\",\"mode\":\"outage\"} {}                       | body: not valid JSON",
      "{\"endpoint\":\"quotes\",\"endpoint\":\"chains\",\"mode\":\"outage\"}  | body: not valid JSON",
      "{\"mode\":\"outage\"}                                                | endpoint: missing",
      "{\"endpoint\":\"options\",\"mode\":\"outage\"}                       | endpoint: unknown endpoint 'options'",
      "{\"endpoint\":7,\"mode\":\"outage\"}                                 | endpoint: 7 is not a string",
      "{\"endpoint\":\"quotes\"}                                            | mode: missing",
      "{\"endpoint\":\"quotes\",\"mode\":\"explode\"}                       | mode: unknown mode 'explode'",
      "{\"endpoint\":\"quotes\",\"mode\":\"error_rate\"}                    | rate: missing",
      "{\"endpoint\":\"quotes\",\"mode\":\"error_rate\",\"rate\":1.5}       | rate: 1.5 is outside [0.0, 1.0]",
      "{\"endpoint\":\"quotes\",\"mode\":\"error_rate\",\"rate\":-0.1}      | rate: -0.1 is outside [0.0, 1.0]",
      "{\"endpoint\":\"quotes\",\"mode\":\"error_rate\",\"rate\":\"0.5\"}   | rate: \"0.5\" is not a number",
      "{\"endpoint\":\"quotes\",\"mode\":\"latency\"}                       | latencyMs: missing",
      "{\"endpoint\":\"quotes\",\"mode\":\"latency\",\"latencyMs\":-5}      | latencyMs: -5 must be between 0 and 600000",
      "{\"endpoint\":\"quotes\",\"mode\":\"latency\",\"latencyMs\":1.5}     | latencyMs: 1.5 is not an integer",
      "{\"endpoint\":\"quotes\",\"mode\":\"latency\",\"latencyMs\":900000}  | latencyMs: 900000 must be between 0 and 600000",
      "{\"endpoint\":\"quotes\",\"mode\":\"latency\",\"minMs\":5}           | maxMs: missing",
      "{\"endpoint\":\"quotes\",\"mode\":\"latency\",\"minMs\":500,\"maxMs\":100} | minMs: 500 is greater than maxMs 100",
      "{\"endpoint\":\"quotes\",\"mode\":\"latency\",\"latencyMs\":1,\"minMs\":1,\"maxMs\":2} | latencyMs: give either",
      "{\"endpoint\":\"quotes\",\"mode\":\"rate_limit\"}                    | perMinute: missing",
      "{\"endpoint\":\"quotes\",\"mode\":\"rate_limit\",\"perMinute\":-1}   | perMinute: -1 must be between 0 and 1000000",
      "{\"endpoint\":\"quotes\",\"mode\":\"flapping\",\"upSeconds\":0}      | upSeconds: 0 must be > 0",
      "{\"endpoint\":\"quotes\",\"mode\":\"outage\",\"rate\":0.5}           | rate: does not apply to mode 'outage'",
      "{\"endpoint\":\"quotes\",\"mode\":\"outage\",\"colour\":\"red\"}     | colour: unknown field",
      "{\"endpoint\":\"quotes\",\"mode\":\"outage\",\"durationSeconds\":0}  | durationSeconds: 0 must be > 0",
      "{\"endpoint\":\"quotes\",\"mode\":\"outage\",\"durationSeconds\":\"30\"} | durationSeconds: \"30\" is not a number"})
  void rejectsInvalidBodiesNamingTheFieldAndValue(String json, String message) {
    assertThatThrownBy(() -> FaultSpec.parse(json)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> FaultSpec.parse(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("body: empty");
  }
}
