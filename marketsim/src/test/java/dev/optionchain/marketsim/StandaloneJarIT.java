package dev.optionchain.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the shaded {@code target/marketsim.jar} the way a user would (failsafe, after {@code package}). */
class StandaloneJarIT {

  private static final Path JAR = Path.of("target", "marketsim.jar");
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @Test
  void servesFromTheCommandLineAndStopsOnSigterm() throws Exception {
    assertThat(JAR).exists();
    Process process = new ProcessBuilder(JAVA, "-jar", JAR.toString(), "--port", "0", "--token", "T",
        "--fault", "{\"endpoint\":\"chains\",\"mode\":\"outage\"}")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> readLine(out)).get(60, TimeUnit.SECONDS);
      assertThat(line).startsWith("marketsim listening on http://localhost:");
      String base = line.substring("marketsim listening on ".length());

      HttpResponse<String> quote = get(base + "/v1/markets/quotes?symbols=AAPL");
      assertThat(quote.statusCode()).isEqualTo(200);
      assertThat(quote.body()).startsWith("{\"quotes\":{\"quote\":{\"symbol\":\"AAPL\"");
      assertThat(get(base + "/v1/markets/lookup?q=spy").statusCode()).isEqualTo(200);
      assertThat(get(base + "/v1/markets/options/chains?symbol=AAPL&expiration=2030-01-18").statusCode())
          .isEqualTo(503);
    } finally {
      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }
  }

  @Test
  void badArgumentsExitWithStatusTwoAndUsage() throws Exception {
    Path err = Files.createTempFile("marketsim", ".err");
    Process process = new ProcessBuilder(JAVA, "-jar", JAR.toString(), "--port", "nope")
        .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(Files.readString(err)).startsWith("marketsim: --port: 'nope' is not a port number")
        .contains("usage: java -jar marketsim.jar");
    Files.delete(err);
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return Http.CLIENT.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer T").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
