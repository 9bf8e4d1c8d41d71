package dev.optionchain.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A small JSON-over-HTTP client for the tests: real requests to a real server. */
public final class Api {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public Api(URI base) {
    this.base = base;
  }

  public Api(String base) {
    this(URI.create(base));
  }

  /** An answer: status, headers and the body parsed as JSON (a missing node when the body is not JSON). */
  public record Response(int status, HttpResponse<String> raw, JsonNode json) {
    public Optional<String> header(String name) {
      return raw.headers().firstValue(name);
    }

    @Override
    public String toString() {
      return status + " " + raw.body();
    }
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  public Response post(String path, String json) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Response post(String path, String json, String bearer) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + bearer).POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Response delete(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json").DELETE());
  }

  public Response delete(String path, String bearer) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + bearer).DELETE());
  }

  /**
   * Reads one series from {@code /metrics}.
   *
   * @param series its name, with its labels as the service prints them (sorted), e.g. {@code http_server_connections}
   *     or {@code market_unavailable_total{cause="bulkhead_full",endpoint="current_price"}}
   * @return its value
   * @throws AssertionError if there is no such series
   */
  public long metric(String series) {
    for (String line : get("/metrics").raw().body().split("\n")) {
      if (line.startsWith(series + " ")) {
        return (long) Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new AssertionError("no metric " + series);
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode json;
      try {
        json = JSON.readTree(r.body());
      } catch (IOException notJson) {
        json = JSON.missingNode();
      }
      return new Response(r.statusCode(), r, json == null ? JSON.missingNode() : json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
