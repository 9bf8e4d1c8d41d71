package dev.optionchain.marketsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A real HTTP client against a running simulator. */
final class Http {

  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Http() {
  }

  static HttpResponse<String> get(MarketSim sim, String pathAndQuery, String... headers) {
    return send(request(sim, pathAndQuery, headers).GET().build());
  }

  static HttpResponse<String> post(MarketSim sim, String path, String body) {
    return send(request(sim, path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  static HttpResponse<String> delete(MarketSim sim, String path) {
    return send(request(sim, path).DELETE().build());
  }

  static HttpRequest.Builder request(MarketSim sim, String pathAndQuery, String... headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(sim.baseUrl() + pathAndQuery))
        .timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json");
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return builder;
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + response.body(), e);
    }
  }

  /** GET that must answer 200, parsed. */
  static JsonNode ok(MarketSim sim, String pathAndQuery, String... headers) {
    HttpResponse<String> response = get(sim, pathAndQuery, headers);
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + pathAndQuery + " answered " + response.statusCode() + ": "
          + response.body());
    }
    return json(response);
  }
}
