package dev.optionchain.dashboard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runnable jar the build leaves ({@code target/dashboard.jar}), started as a separate process for the failsafe
 * tests: waits for its {@code Listening on ...} line, keeps its output, and can be stopped with SIGTERM or killed with
 * SIGKILL ({@code kill -9}).
 */
public final class JarProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("Listening on (http://localhost:(\\d+))");

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final String url;

  private JarProcess(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /**
   * Starts {@code java -jar target/dashboard.jar args...} and waits (at most 60 s) until it listens.
   *
   * @param args its arguments
   * @return the running process
   */
  public static JarProcess start(String... args) {
    Path jar = Path.of("target", "dashboard.jar");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-jar", jar.toString()));
    cmd.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> seen = new CopyOnWriteArrayList<>();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String url = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try {
      while (url == null && System.nanoTime() < deadline) {
        String line = out.readLine();
        if (line == null) {
          break;
        }
        seen.add(line);
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          url = m.group(1);
        }
      }
    } catch (IOException e) {
      p.destroyForcibly();
      throw new UncheckedIOException(e);
    }
    if (url == null) {
      p.destroyForcibly();
      throw new IllegalStateException("the jar did not print its URL; output: " + seen);
    }
    JarProcess jp = new JarProcess(p, url);
    jp.lines.addAll(seen);
    Thread drain = new Thread(() -> out.lines().forEach(jp.lines::add), "jar-output");
    drain.setDaemon(true);
    drain.start();
    return jp;
  }

  /** @return its base URL */
  public String url() {
    return url;
  }

  /** @return what it printed so far */
  public List<String> output() {
    return List.copyOf(lines);
  }

  /** @return the process */
  public Process process() {
    return process;
  }

  /** Kills it at once with SIGKILL: no shutdown hook runs. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * Stops it with SIGTERM (what Ctrl-C's shutdown hook also runs) and waits for it.
   *
   * @return whether it exited within 30 s
   */
  public boolean stop() throws InterruptedException {
    process.destroy();
    return process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
