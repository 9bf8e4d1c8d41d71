package dev.optionchain.dashboard.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Relays {@code /api/sim/...} to the embedded simulator's control API {@code /sim/...}, so the page and scripts can
 * inject faults without knowing the simulator's port. Registered only when the upstream is the embedded simulator.
 */
final class SimProxy {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final URI simulator;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  SimProxy(URI simulator) {
    this.simulator = simulator;
  }

  /** Forwards the request's method, path below {@code /api/sim}, query and body; relays status and body. */
  void relay(Context ctx) throws InterruptedException {
    String path = ctx.path().substring("/api".length());
    String query = ctx.queryString();
    URI target = simulator.resolve(path + (query == null ? "" : "?" + query));
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
      ctx.status(response.statusCode())
          .contentType(response.headers().firstValue("Content-Type").orElse("application/json"))
          .result(response.body());
    } catch (IOException e) {
      ErrorMapper.write(ctx, 502, "the embedded simulator did not answer: " + e.getMessage());
    }
  }
}
