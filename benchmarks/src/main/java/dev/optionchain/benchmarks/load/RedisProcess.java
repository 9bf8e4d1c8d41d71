package dev.optionchain.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@code redis-server} for the fleet measurements: a free loopback port, a temporary directory, no persistence. */
public final class RedisProcess implements AutoCloseable {

  private final Process process;
  private final int port;

  private RedisProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts one and waits until it answers.
   *
   * @param dir its working directory
   * @return the running server
   * @throws IOException if it cannot be started
   */
  public static RedisProcess start(Path dir) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Process p = new ProcessBuilder(List.of("/usr/bin/redis-server", "--port", Integer.toString(port), "--bind",
        "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--loglevel", "warning"))
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    RedisProcess r = new RedisProcess(p, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (r.ping()) {
        return r;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    r.close();
    throw new IOException("redis-server did not answer on port " + port + " (is /usr/bin/redis-server installed?)");
  }

  private boolean ping() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      s.setSoTimeout(1000);
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] b = new byte[7];
      int n = s.getInputStream().read(b);
      return n > 0 && new String(b, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  /** @return {@code redis://127.0.0.1:<port>/0} */
  public String url() {
    return url(0);
  }

  /**
   * Returns the URL of one of its databases, so that measurements do not see each other's keys.
   *
   * @param db the database, 0 to 15
   * @return {@code redis://127.0.0.1:<port>/<db>}
   */
  public String url(int db) {
    return "redis://127.0.0.1:" + port + "/" + db;
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
