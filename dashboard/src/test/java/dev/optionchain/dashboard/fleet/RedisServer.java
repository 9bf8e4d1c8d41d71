package dev.optionchain.dashboard.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for the fleet tests: on a free port of the loopback interface, in a temporary
 * directory, without persistence ({@code --save ''}), killed by {@link #close()}. It can be killed ({@code SIGKILL})
 * and started again on the same port, and paused ({@code SIGSTOP}) and resumed ({@code SIGCONT}).
 */
public final class RedisServer implements AutoCloseable {

  /** Where Debian's {@code redis-server} package puts it. */
  static final Path BINARY = Path.of("/usr/bin/redis-server");

  private final Path dir;
  private final int port;
  private Process process;

  private RedisServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /**
   * Returns whether {@code redis-server} and {@code redis-cli} are installed (the fleet tests skip loudly without).
   *
   * @return true when it can be run
   */
  public static boolean available() {
    return Files.isExecutable(BINARY) && Files.isExecutable(Path.of("/usr/bin/redis-cli"));
  }

  /**
   * Starts one.
   *
   * @param dir a temporary directory
   * @return the running server
   */
  public static RedisServer start(Path dir) {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      RedisServer r = new RedisServer(dir, freePort());
      try {
        r.startProcess();
        return r;
      } catch (IllegalStateException e) {
        r.close();
        last = e;
      }
    }
    throw last;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void startProcess() {
    try {
      process = new ProcessBuilder(List.of(BINARY.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no", "--loglevel", "warning"))
          .redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited: " + log());
      }
      if (ping()) {
        return;
      }
      sleep(20);
    }
    throw new IllegalStateException("redis-server did not answer on port " + port + ": " + log());
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("redis-" + port + ".log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** @return true when the server answers PING within a second */
  public boolean ping() {
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
    return "redis://127.0.0.1:" + port + "/0";
  }

  /** @return the port */
  public int port() {
    return port;
  }

  /** Kills it with SIGKILL (its data is gone: nothing is persisted). */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts it again on the same port, empty. */
  public void restart() {
    kill();
    startProcess();
  }

  /** Pauses it (SIGSTOP): connections stay open, nothing answers. */
  public void pause() {
    signal("STOP");
  }

  /** Resumes it (SIGCONT). */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs a command with {@code redis-cli} and returns its output (for assertions on keys).
   *
   * @param args the command
   * @return its output, trimmed
   */
  public String cli(String... args) {
    try {
      List<String> cmd = new java.util.ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(10, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Resumes it if paused and kills it. */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      try {
        resume();
      } catch (RuntimeException ignored) {
        // it may be gone already
      }
      kill();
    }
  }

  @Override
  public String toString() {
    return "redis-server on " + port;
  }
}
