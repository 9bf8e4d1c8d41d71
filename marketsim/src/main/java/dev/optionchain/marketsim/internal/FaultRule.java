package dev.optionchain.marketsim.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated fault definition: the body of {@code POST /sim/faults}.
 *
 * <pre>
 * {"endpoint": "quotes"|"history"|"expirations"|"chains"|"lookup"|"*",
 *  "mode": "outage"|"error_rate"|"latency"|"rate_limit"|"auth"|"malformed"|"html"|"empty"|"flapping",
 *  ...mode parameters..., "durationSeconds": optional number &gt; 0}
 * </pre>
 *
 * Mode parameters: {@code error_rate} needs {@code rate} in [0, 1]; {@code latency} needs
 * {@code latencyMs}, or {@code minMs} and {@code maxMs} (0 ≤ min ≤ max ≤ 600000);
 * {@code rate_limit} needs {@code perMinute} (integer ≥ 0); {@code flapping} takes
 * {@code upSeconds} and {@code downSeconds} (&gt; 0, default 10 each). Unknown fields, and
 * parameters of another mode, are rejected; a {@code null} value counts as absent.
 *
 * <p>Not API: public only so the API package can wrap it. Immutable and thread-safe.
 */
public final class FaultRule {

  /** The endpoint name that applies a fault to every endpoint. */
  public static final String ALL = "*";

  static final long MAX_LATENCY_MS = 600_000;
  static final double MAX_SECONDS = 7 * 86_400;
  static final double DEFAULT_FLAP_SECONDS = 10;

  /** Fault modes, by wire name. */
  enum Mode {
    OUTAGE("outage"),
    ERROR_RATE("error_rate"),
    LATENCY("latency"),
    RATE_LIMIT("rate_limit"),
    AUTH("auth"),
    MALFORMED("malformed"),
    HTML("html"),
    EMPTY("empty"),
    FLAPPING("flapping");

    private final String wire;

    Mode(String wire) {
      this.wire = wire;
    }

    String wire() {
      return wire;
    }

    static Optional<Mode> ofWire(String name) {
      for (Mode m : values()) {
        if (m.wire.equals(name)) {
          return Optional.of(m);
        }
      }
      return Optional.empty();
    }
  }

  private static final Set<String> COMMON = Set.of("endpoint", "mode", "durationSeconds");
  private static final Map<Mode, Set<String>> PARAMETERS = Map.of(
      Mode.ERROR_RATE, Set.of("rate"),
      Mode.LATENCY, Set.of("latencyMs", "minMs", "maxMs"),
      Mode.RATE_LIMIT, Set.of("perMinute"),
      Mode.FLAPPING, Set.of("upSeconds", "downSeconds"));
  private static final Set<String> ALL_PARAMETERS = Set.of("rate", "latencyMs", "minMs", "maxMs", "perMinute",
      "upSeconds", "downSeconds");

  private final String endpoint;
  private final Mode mode;
  private final double rate;
  private final long minMs;
  private final long maxMs;
  private final boolean latencyRange;
  private final int perMinute;
  private final double upSeconds;
  private final double downSeconds;
  private final double durationSeconds;

  private FaultRule(String endpoint, Mode mode, double rate, long minMs, long maxMs, boolean latencyRange,
            int perMinute, double upSeconds, double downSeconds, double durationSeconds) {
    this.endpoint = endpoint;
    this.mode = mode;
    this.rate = rate;
    this.minMs = minMs;
    this.maxMs = maxMs;
    this.latencyRange = latencyRange;
    this.perMinute = perMinute;
    this.upSeconds = upSeconds;
    this.downSeconds = downSeconds;
    this.durationSeconds = durationSeconds;
  }

  /**
   * Parses and validates a fault body.
   *
   * @param json the JSON object
   * @return the rule
   * @throws IllegalArgumentException naming the offending field and value
   */
  public static FaultRule parse(String json) {
    if (json == null || json.isBlank()) {
      throw new IllegalArgumentException("body: empty; expected a JSON object such as "
          + "{\"endpoint\":\"chains\",\"mode\":\"outage\"}");
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("body: not valid JSON (" + e.getOriginalMessage() + ")", e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("body: expected a JSON object, got " + describe(root));
    }
    return parse((ObjectNode) root);
  }

  private static FaultRule parse(ObjectNode body) {
    String endpoint = text(body, "endpoint");
    if (endpoint == null) {
      throw new IllegalArgumentException("endpoint: missing; expected one of " + endpointNames());
    }
    if (!ALL.equals(endpoint) && Endpoint.ofWire(endpoint).isEmpty()) {
      throw new IllegalArgumentException("endpoint: unknown endpoint '" + endpoint + "'; expected one of "
          + endpointNames());
    }
    String modeName = text(body, "mode");
    if (modeName == null) {
      throw new IllegalArgumentException("mode: missing; expected one of " + modeNames());
    }
    Mode mode = Mode.ofWire(modeName).orElseThrow(() -> new IllegalArgumentException(
        "mode: unknown mode '" + modeName + "'; expected one of " + modeNames()));

    Set<String> allowed = PARAMETERS.getOrDefault(mode, Set.of());
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (body.get(name).isNull() || COMMON.contains(name) || allowed.contains(name)) {
        continue;
      }
      if (ALL_PARAMETERS.contains(name)) {
        throw new IllegalArgumentException(name + ": does not apply to mode '" + mode.wire() + "'");
      }
      throw new IllegalArgumentException(name + ": unknown field");
    }

    double duration = 0;
    if (present(body, "durationSeconds")) {
      duration = number(body, "durationSeconds");
      if (!(duration > 0 && duration <= MAX_SECONDS)) {
        throw new IllegalArgumentException("durationSeconds: " + body.get("durationSeconds")
            + " must be > 0 and <= " + (long) MAX_SECONDS);
      }
    }

    double rate = 0;
    long minMs = 0;
    long maxMs = 0;
    boolean range = false;
    int perMinute = 0;
    double up = 0;
    double down = 0;
    switch (mode) {
      case ERROR_RATE -> {
        if (!present(body, "rate")) {
          throw new IllegalArgumentException("rate: missing; error_rate needs a rate in [0.0, 1.0]");
        }
        rate = number(body, "rate");
        if (!(rate >= 0 && rate <= 1)) {
          throw new IllegalArgumentException("rate: " + body.get("rate") + " is outside [0.0, 1.0]");
        }
      }
      case LATENCY -> {
        boolean fixed = present(body, "latencyMs");
        boolean hasMin = present(body, "minMs");
        boolean hasMax = present(body, "maxMs");
        if (fixed && (hasMin || hasMax)) {
          throw new IllegalArgumentException("latencyMs: give either latencyMs or minMs and maxMs, not both");
        }
        if (fixed) {
          minMs = millis(body, "latencyMs");
          maxMs = minMs;
        } else if (hasMin && hasMax) {
          minMs = millis(body, "minMs");
          maxMs = millis(body, "maxMs");
          range = true;
          if (minMs > maxMs) {
            throw new IllegalArgumentException("minMs: " + minMs + " is greater than maxMs " + maxMs);
          }
        } else {
          throw new IllegalArgumentException((hasMin ? "maxMs" : hasMax ? "minMs" : "latencyMs")
              + ": missing; latency needs latencyMs, or minMs and maxMs");
        }
      }
      case RATE_LIMIT -> {
        if (!present(body, "perMinute")) {
          throw new IllegalArgumentException("perMinute: missing; rate_limit needs an integer >= 0");
        }
        long value = integer(body, "perMinute");
        if (value < 0 || value > 1_000_000) {
          throw new IllegalArgumentException("perMinute: " + value + " must be between 0 and 1000000");
        }
        perMinute = (int) value;
      }
      case FLAPPING -> {
        up = seconds(body, "upSeconds");
        down = seconds(body, "downSeconds");
      }
      default -> {
        // no parameters
      }
    }
    return new FaultRule(endpoint, mode, rate, minMs, maxMs, range, perMinute, up, down, duration);
  }

  /** @return {@code "*"} or one of the endpoint names */
  public String endpoint() {
    return endpoint;
  }

  /** @return the mode's wire name, e.g. {@code "outage"} */
  public String modeName() {
    return mode.wire();
  }

  /** @return how long the fault lasts after it is set; empty = until cleared */
  public Optional<Duration> duration() {
    return durationSeconds > 0 ? Optional.of(Duration.ofNanos(Math.round(durationSeconds * 1e9))) : Optional.empty();
  }

  /** @return the canonical JSON body: the fields that define this rule, in a fixed order */
  public String toJson() {
    return Json.write(toNode());
  }

  Mode mode() {
    return mode;
  }

  double rate() {
    return rate;
  }

  long minMs() {
    return minMs;
  }

  long maxMs() {
    return maxMs;
  }

  int perMinute() {
    return perMinute;
  }

  long upMillis() {
    return Math.round(upSeconds * 1000);
  }

  long downMillis() {
    return Math.round(downSeconds * 1000);
  }

  ObjectNode toNode() {
    ObjectNode node = Json.object();
    node.put("endpoint", endpoint);
    node.put("mode", mode.wire());
    switch (mode) {
      case ERROR_RATE -> node.put("rate", rate);
      case LATENCY -> {
        if (latencyRange) {
          node.put("minMs", minMs);
          node.put("maxMs", maxMs);
        } else {
          node.put("latencyMs", minMs);
        }
      }
      case RATE_LIMIT -> node.put("perMinute", perMinute);
      case FLAPPING -> {
        putSeconds(node, "upSeconds", upSeconds);
        putSeconds(node, "downSeconds", downSeconds);
      }
      default -> {
        // no parameters
      }
    }
    if (durationSeconds > 0) {
      putSeconds(node, "durationSeconds", durationSeconds);
    }
    return node;
  }

  private static void putSeconds(ObjectNode node, String field, double seconds) {
    if (seconds == Math.rint(seconds)) {
      node.put(field, (long) seconds);
    } else {
      node.put(field, seconds);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FaultRule rule && toNode().equals(rule.toNode());
  }

  @Override
  public int hashCode() {
    return toNode().hashCode();
  }

  @Override
  public String toString() {
    return toJson();
  }

  private static boolean present(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    return value != null && !value.isNull();
  }

  private static String text(ObjectNode body, String field) {
    if (!present(body, field)) {
      return null;
    }
    JsonNode value = body.get(field);
    if (!value.isTextual()) {
      throw new IllegalArgumentException(field + ": " + value + " is not a string");
    }
    return value.asText();
  }

  private static double number(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
      throw new IllegalArgumentException(field + ": " + value + " is not a number");
    }
    return value.asDouble();
  }

  private static long integer(ObjectNode body, String field) {
    double value = number(body, field);
    if (value != Math.rint(value) || Math.abs(value) > 1e15) {
      throw new IllegalArgumentException(field + ": " + body.get(field) + " is not an integer");
    }
    return (long) value;
  }

  private static long millis(ObjectNode body, String field) {
    long value = integer(body, field);
    if (value < 0 || value > MAX_LATENCY_MS) {
      throw new IllegalArgumentException(field + ": " + value + " must be between 0 and " + MAX_LATENCY_MS);
    }
    return value;
  }

  private static double seconds(ObjectNode body, String field) {
    if (!present(body, field)) {
      return DEFAULT_FLAP_SECONDS;
    }
    double value = number(body, field);
    if (!(value > 0 && value <= MAX_SECONDS)) {
      throw new IllegalArgumentException(field + ": " + body.get(field) + " must be > 0 and <= "
          + (long) MAX_SECONDS);
    }
    return value;
  }

  private static String describe(JsonNode node) {
    return node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String endpointNames() {
    List<String> names = new ArrayList<>();
    for (Endpoint e : Endpoint.values()) {
      names.add(e.wire());
    }
    names.add(ALL);
    return String.join(", ", names);
  }

  private static String modeNames() {
    List<String> names = new ArrayList<>();
    for (Mode m : Mode.values()) {
      names.add(m.wire());
    }
    return String.join(", ", names);
  }
}
