package dev.optionchain.dashboard.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Transport} against a raw-socket server that misbehaves on purpose: the deadline holds however slowly an
 * answer arrives, the body bound holds, a connection is reused only when its exchange ended cleanly, and a kept-alive
 * connection the server closed is not a failure.
 */
class TransportTest {

  private static final Map<String, String> ACCEPT = Map.of("Accept", "application/json");
  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";

  /** What the server does with one connection's requests. */
  @FunctionalInterface
  private interface Conversation {
    void serve(Socket socket, InputStream in, OutputStream out) throws Exception;
  }

  private final ConcurrentLinkedQueue<ServerSocket> servers = new ConcurrentLinkedQueue<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final ConcurrentLinkedQueue<Socket> sockets = new ConcurrentLinkedQueue<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() throws IOException {
    release.countDown();
    for (ServerSocket server : servers) {
      server.close();
    }
    for (Socket s : sockets) {
      s.close();
    }
  }

  private URI serve(Conversation conversation) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    servers.add(server);
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          accepted.incrementAndGet();
          sockets.add(s);
          Thread t = new Thread(() -> {
            try (s) {
              conversation.serve(s, s.getInputStream(), s.getOutputStream());
            } catch (Exception e) {
              // the client went away: this connection is over
            }
          });
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/markets/clock");
  }

  /** Reads one request's head (up to the blank line); false at the end of the stream. */
  private static boolean readRequest(InputStream in) throws IOException {
    int matched = 0;
    for (int b; (b = in.read()) != -1; ) {
      matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
      if (matched == 4) {
        return true;
      }
    }
    return false;
  }

  private static void send(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static Transport transport(int maxBytes) {
    return new Transport(Duration.ofSeconds(2), maxBytes);
  }

  @Test
  void aCompleteAnswerLeavesItsConnectionForTheNextCall() throws Exception {
    URI uri = serve((socket, in, out) -> {
      while (readRequest(in)) {
        send(out, OK);
      }
    });
    Transport transport = transport(1024);

    for (int i = 0; i < 3; i++) {
      Transport.Answer answer = transport.get(uri, ACCEPT, Duration.ofSeconds(2));
      assertThat(answer.status()).isEqualTo(200);
      assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
      assertThat(answer.headers().firstValue("content-type")).contains("application/json");
    }

    assertThat(accepted).as("one connection for three calls").hasValue(1);
  }

  @Test
  void aKeptAliveConnectionTheServerClosedIsNotAFailure() throws Exception {
    URI uri = serve((socket, in, out) -> {
      if (readRequest(in)) {
        send(out, OK); // keep-alive by HTTP/1.1's default, then closed without a word, as an idle timeout does
      }
    });
    Transport transport = transport(1024);
    transport.get(uri, ACCEPT, Duration.ofSeconds(2));
    Thread.sleep(100); // the server's close reaches the client's socket

    Transport.Answer second = transport.get(uri, ACCEPT, Duration.ofSeconds(2));

    assertThat(second.status()).isEqualTo(200);
    assertThat(accepted).hasValue(2);
  }

  @Test
  void aBodyTrickledSlowerThanTheDeadlineEndsAtTheDeadline() throws Exception {
    URI uri = serve((socket, in, out) -> {
      readRequest(in);
      send(out, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
      for (int i = 0; i < 1000 && release.getCount() > 0; i++) {
        send(out, " "); // each byte well within a read timeout, the whole far beyond the deadline
        Thread.sleep(100);
      }
    });
    long started = System.nanoTime();

    Throwable thrown = catchThrowable(() -> transport(1 << 20).get(uri, ACCEPT, Duration.ofMillis(800)));

    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(thrown).isInstanceOf(Transport.DeadlinePassed.class);
    assertThat(elapsedMs).as("ended by the deadline, not by the server").isBetween(700L, 5_000L);
  }

  @Test
  void headersTrickledSlowerThanTheDeadlineEndAtTheDeadline() throws Exception {
    URI uri = serve((socket, in, out) -> {
      readRequest(in);
      for (char c : "HTTP/1.1 200 OK\r\nX-Slow: ".toCharArray()) {
        send(out, String.valueOf(c));
      }
      for (int i = 0; i < 1000 && release.getCount() > 0; i++) {
        send(out, "a");
        Thread.sleep(100);
      }
    });
    long started = System.nanoTime();

    Throwable thrown = catchThrowable(() -> transport(1 << 20).get(uri, ACCEPT, Duration.ofMillis(800)));

    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(thrown).isInstanceOf(Transport.DeadlinePassed.class);
    assertThat(elapsedMs).isBetween(700L, 5_000L);
  }

  @Test
  void aConnectionAfterAFailedExchangeIsNotReused() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    URI uri = serve((socket, in, out) -> {
      while (readRequest(in)) {
        if (requests.incrementAndGet() == 1) {
          send(out, "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + "x".repeat(5000));
        } else {
          send(out, OK);
        }
      }
    });
    Transport small = transport(1024);

    Throwable thrown = catchThrowable(() -> small.get(uri, ACCEPT, Duration.ofSeconds(2)));
    Transport.Answer next = small.get(uri, ACCEPT, Duration.ofSeconds(2));

    assertThat(thrown).isInstanceOf(Transport.TooLarge.class);
    assertThat(next.status()).isEqualTo(200);
    assertThat(new String(next.body(), StandardCharsets.UTF_8)).as("not the rest of the large body").isEqualTo("{}");
    assertThat(accepted).hasValue(2);
  }

  @Test
  void aBodyPastTheLimitWithoutALengthIsRefusedWithoutReadingItAll() throws Exception {
    AtomicInteger written = new AtomicInteger();
    URI uri = serve((socket, in, out) -> {
      readRequest(in);
      send(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
      String chunk = Integer.toHexString(1024) + "\r\n" + "y".repeat(1024) + "\r\n";
      for (int i = 0; i < 100_000; i++) { // 100 MB, unless the client stops reading
        send(out, chunk);
        written.incrementAndGet();
      }
      send(out, "0\r\n\r\n");
    });

    Throwable thrown = catchThrowable(() -> transport(64 * 1024).get(uri, ACCEPT, Duration.ofSeconds(5)));

    assertThat(thrown).isInstanceOf(Transport.TooLarge.class);
    assertThat(written.get()).as("chunks the server got out before the client hung up").isLessThan(100_000);
  }

  @Test
  void anErrorStatusComesWithItsBody() throws Exception {
    URI uri = serve((socket, in, out) -> {
      readRequest(in);
      send(out, "HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\nContent-Length: 20\r\n\r\nInvalid Access Token");
    });

    Transport.Answer answer = transport(1024).get(uri, ACCEPT, Duration.ofSeconds(2));

    assertThat(answer.status()).isEqualTo(401);
    assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("Invalid Access Token");
  }

  @Test
  void somethingThatIsNotHttpIsAnIoFailure() throws Exception {
    URI uri = serve((socket, in, out) -> {
      readRequest(in);
      send(out, "SSH-2.0-OpenSSH_9.2\r\n");
    });

    Throwable thrown = catchThrowable(() -> transport(1024).get(uri, ACCEPT, Duration.ofSeconds(2)));

    assertThat(thrown).isInstanceOf(IOException.class).isNotInstanceOf(Transport.DeadlinePassed.class);
  }

  @Test
  void headerNamesThatDifferOnlyInCaseAreOneHeaderWithTheValuesInTheOrderSent() throws Exception {
    URI uri = serve((socket, in, out) -> {
      readRequest(in);
      send(out, "HTTP/1.1 200 OK\r\nX-Ratelimit-Available: 7\r\nx-ratelimit-available: 3\r\nVary: Accept\r\n"
          + "vary: Origin\r\nVARY: Cookie\r\nContent-Length: 2\r\n\r\n{}");
    });

    Transport.Answer answer = transport(1024).get(uri, ACCEPT, Duration.ofSeconds(2));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers().allValues("X-RateLimit-Available")).containsExactly("7", "3");
    assertThat(answer.headers().allValues("vary")).containsExactly("Accept", "Origin", "Cookie");
  }

  @Test
  void anAnswerCutShortOfItsContentLengthIsAnIoFailureNotAShortBody() throws Exception {
    URI uri = serve((socket, in, out) -> {
      readRequest(in);
      send(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{}"); // then the connection drops
    });

    Throwable thrown = catchThrowable(() -> transport(1024).get(uri, ACCEPT, Duration.ofSeconds(2)));

    assertThat(thrown).isInstanceOf(IOException.class).isNotInstanceOf(Transport.DeadlinePassed.class)
        .hasMessageContaining("2 bytes of a body of 100");
  }

  @Test
  void answersWithoutABodyAreCompleteWhateverTheirContentLength() throws Exception {
    URI uri = serve((socket, in, out) -> {
      while (readRequest(in)) {
        // 304 may give the length of the representation it does not send; 204 has none
        send(out, "HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n");
        if (readRequest(in)) {
          send(out, "HTTP/1.1 204 No Content\r\n\r\n");
        }
      }
    });
    Transport transport = transport(1024);

    assertThat(transport.get(uri, ACCEPT, Duration.ofSeconds(2)).body()).isEmpty();
    assertThat(transport.get(uri, ACCEPT, Duration.ofSeconds(2)).status()).isEqualTo(204);
    assertThat(accepted).hasValue(1);
  }

  @Test
  void aCallsDeadlineIsNotHeldUpByAnotherCallWhoseReadOutlastsItsDeadline() throws Exception {
    long started = System.nanoTime();
    // A: a byte each 100 ms until just before its 5 s deadline, then nothing, so that its last read waits for its read
    // timeout (5 s more) holding the connection's stream, which closing the connection must wait for
    URI stalling = serve((socket, in, out) -> {
      readRequest(in);
      send(out, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
      while (System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(4_700) && release.getCount() > 0) {
        send(out, " ");
        Thread.sleep(100);
      }
      release.await();
    });
    URI trickling = serve((socket, in, out) -> {
      readRequest(in);
      send(out, "HTTP/1.1 200 OK\r\nX-Slow: ");
      for (int i = 0; i < 1000 && release.getCount() > 0; i++) {
        send(out, "a");
        Thread.sleep(100);
      }
    });
    Transport transport = transport(1 << 20);
    Thread a = new Thread(() -> catchThrowable(() -> transport.get(stalling, ACCEPT, Duration.ofSeconds(5))));
    a.setDaemon(true);
    a.start();
    Thread.sleep(5_300); // A's deadline has passed; its read waits

    long bStarted = System.nanoTime();
    Throwable thrown = catchThrowable(() -> transport.get(trickling, ACCEPT, Duration.ofSeconds(1)));

    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - bStarted);
    assertThat(thrown).isInstanceOf(Transport.DeadlinePassed.class);
    assertThat(elapsedMs).as("B's 1 s deadline, not A's read timeout 4 s later").isLessThan(3_000L);
  }

  @Test
  void aDeadlineThatPassesBeforeThereIsAConnectionStillEndsTheExchange() throws Exception {
    URI uri = serve((socket, in, out) -> {
      readRequest(in);
      send(out, "HTTP/1.1 200 OK\r\nX-Slow: ");
      for (int i = 0; i < 200 && release.getCount() > 0; i++) {
        send(out, "a");
        Thread.sleep(100);
      }
    });
    ProxySelector system = ProxySelector.getDefault();
    // what a slow DNS lookup does, on a path that resolves nothing: time spent before a connection exists
    ProxySelector.setDefault(new ProxySelector() {
      @Override
      public List<Proxy> select(URI u) {
        try {
          Thread.sleep(1_500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return List.of(Proxy.NO_PROXY);
      }

      @Override
      public void connectFailed(URI u, SocketAddress sa, IOException ioe) {
      }
    });
    long started = System.nanoTime();
    Throwable thrown;
    try {
      thrown = catchThrowable(() -> transport(1024).get(uri, ACCEPT, Duration.ofSeconds(1)));
    } finally {
      ProxySelector.setDefault(system);
    }

    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(thrown).isInstanceOf(Transport.DeadlinePassed.class);
    assertThat(elapsedMs).as("ended once connected, not by the server 20 s later").isLessThan(5_000L);
  }

  @Test
  void aTimeoutTooLongForNanosecondsIsNoLimitRatherThanAnArithmeticException() throws Exception {
    URI uri = serve((socket, in, out) -> {
      readRequest(in);
      send(out, OK);
    });

    Transport.Answer answer = transport(1024).get(uri, ACCEPT, Duration.ofSeconds(Long.MAX_VALUE));

    assertThat(answer.status()).isEqualTo(200);
  }

  @Test
  void bytesPastTheContentLengthAreAFailureAndTheConnectionIsNotReused() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    URI uri = serve((socket, in, out) -> {
      while (readRequest(in)) {
        if (requests.incrementAndGet() == 1) { // an answer, then one nobody asked for, in one write
          send(out, OK + "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{\"x\":99}");
        } else {
          send(out, OK);
        }
      }
    });
    Transport transport = transport(1024);

    Throwable thrown = catchThrowable(() -> transport.get(uri, ACCEPT, Duration.ofSeconds(2)));
    Transport.Answer next = transport.get(uri, ACCEPT, Duration.ofSeconds(2));

    assertThat(thrown).as("HttpURLConnection reads what is there, past the Content-Length")
        .isInstanceOf(IOException.class).hasMessageContaining("of a body of 2 bytes");
    assertThat(new String(next.body(), StandardCharsets.UTF_8)).as("not the answer nobody asked for").isEqualTo("{}");
    assertThat(accepted).as("the connection with the stray answer was closed").hasValue(2);
  }
}
