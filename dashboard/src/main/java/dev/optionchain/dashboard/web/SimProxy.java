package dev.optionchain.dashboard.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Relays {@code /api/sim/...} to the embedded simulator's control API {@code /sim/...}, so the page and scripts can
 * inject faults without knowing the simulator's port. Registered only when the upstream is the embedded simulator.
 * The simulator's error answers are relayed as the API's error body, {@code {"status":400,"error":"simulator: ..."}}.
 */
final class SimProxy {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI simulator;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  SimProxy(URI simulator) {
    this.simulator = simulator;
  }

  /**
   * Forwards the request's method, path below {@code /api/sim}, query and body; relays status and body. The path and
   * query are decoded and encoded again, so whatever a client sends ({@code ?x={}, {@code |}, quotes) reaches the
   * simulator as a valid URI, never as an exception here.
   */
  void relay(Context ctx) throws InterruptedException {
    URI target = simulator.resolve(target(ctx.path().substring("/api".length()), ctx.queryParamMap()));
    HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(TIMEOUT)
        .header("Accept", "application/json");
    byte[] body = ctx.bodyAsBytes();
    if (body.length > 0) {
      request.header("Content-Type", "application/json");
    }
    request.method(ctx.method().name(), body.length > 0 ? HttpRequest.BodyPublishers.ofByteArray(body)
        : HttpRequest.BodyPublishers.noBody());
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() >= 400) {
        ErrorMapper.write(ctx, response.statusCode(), "simulator: " + errorText(response.body()));
        return;
      }
      ctx.status(response.statusCode())
          .contentType(response.headers().firstValue("Content-Type").orElse("application/json"))
          .result(response.body());
    } catch (IOException e) {
      ErrorMapper.write(ctx, 502, "the embedded simulator did not answer: " + e.getMessage());
    }
  }

  /** The simulator's error message: its {@code error} field, or the start of its body. */
  private static String errorText(byte[] body) {
    try {
      JsonNode error = JSON.readTree(body).path("error");
      if (error.isTextual()) {
        return error.asText();
      }
    } catch (IOException notJson) {
      // fall through
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    return text.isEmpty() ? "no details" : QueryParams.echo(text);
  }

  /** The path (raw, as received) and the decoded query, encoded again segment by segment and value by value. */
  static String target(String rawPath, Map<String, List<String>> query) {
    StringJoiner path = new StringJoiner("/");
    for (String segment : rawPath.split("/", -1)) {
      path.add(encode(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8)));
    }
    StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
    query.forEach((name, values) -> values.forEach(v -> q.add(encode(name) + "=" + encode(v))));
    return path + q.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
