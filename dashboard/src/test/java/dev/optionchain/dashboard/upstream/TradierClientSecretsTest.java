package dev.optionchain.dashboard.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's failure messages never carry its token or its base URL's user-info, whole or cut short. */
class TradierClientSecretsTest {

  private static final String TOKEN = "tok-0123456789abcdefghij";
  private HttpServer upstream;
  private volatile String body;
  private volatile int status;

  @BeforeEach
  void start() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.createContext("/", exchange -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/html");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    upstream.start();
  }

  @AfterEach
  void stop() {
    upstream.stop(0);
  }

  @Test
  void anEchoedTokenIsMaskedEvenWhereTheQuotedBodyIsCut() {
    TradierClient client = client("http://user:pa55word@127.0.0.1:" + upstream.getAddress().getPort());
    for (int pad = 160; pad < 200; pad++) { // the token straddles the 200-character cut of the quoted body
      body = "x".repeat(pad) + " you sent Bearer " + TOKEN + " from user:pa55word";
      for (int s : new int[] {500, 200}) {
        status = s;
        UpstreamFailureException e = catchThrowableOfType(UpstreamFailureException.class,
            () -> client.quote("AAPL", Duration.ofSeconds(5)));
        assertThat(e.getMessage()).doesNotContain("tok-0").doesNotContain("pa55w");
      }
    }
  }

  @Test
  void anUnreachableUpstreamIsNamedWithoutItsUserInfo() {
    TradierClient client = client("http://user:pa55word@127.0.0.1:1");
    UpstreamFailureException e = catchThrowableOfType(UpstreamFailureException.class,
        () -> client.quote("AAPL", Duration.ofSeconds(5)));
    assertThat(e.getMessage()).contains("http://127.0.0.1:1").doesNotContain("pa55word").doesNotContain("user:");
    assertThat(client.toString()).doesNotContain("pa55word");
  }

  private static TradierClient client(String baseUrl) {
    return new TradierClient(URI.create(baseUrl), TOKEN, Duration.ofSeconds(2));
  }
}
