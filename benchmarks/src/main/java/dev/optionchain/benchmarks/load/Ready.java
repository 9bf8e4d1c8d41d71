package dev.optionchain.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Waits for a dashboard's {@code /health/ready}, as a load balancer or Kubernetes does before it sends an instance
 * traffic: a check's load then starts on a ready service, not beside its start-up warm-up (several seconds of its
 * own work on a small machine).
 */
final class Ready {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Duration PAUSE = Duration.ofMillis(50);

  private Ready() {}

  /**
   * Waits until {@code GET base/health/ready} answers 200.
   *
   * @param base the service's URL
   * @param patience how long to wait at most
   * @throws IllegalStateException if it was not ready within {@code patience}, with its last answer
   * @throws InterruptedException if the waiting thread is interrupted
   */
  static void await(URI base, Duration patience) throws InterruptedException {
    HttpRequest probe = HttpRequest.newBuilder(base.resolve("/health/ready")).timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + patience.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = HTTP.send(probe, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(PAUSE.toMillis());
    }
    throw new IllegalStateException(base + " was not ready within " + patience.toSeconds() + " s: " + last);
  }
}
