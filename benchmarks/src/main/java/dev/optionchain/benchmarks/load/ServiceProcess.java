package dev.optionchain.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard as its own process, for the load checks that must not share a JVM (its threads, its file handles)
 * with the load they put on it: {@code java -jar dashboard.jar --port 0} on a fresh data directory, with the given
 * {@code --set key=value} overrides. Its output goes to {@code <name>-service.log} in the working directory once it
 * has said where it listens. Also the checks' command-line parsing.
 */
final class ServiceProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("Listening on http://localhost:(\\d+)");
  private static final Pattern MANAGEMENT = Pattern.compile("management listener .* on [^:]+:(\\d+)");

  private final Process process;
  private final int port;
  private final Optional<Integer> managementPort;

  private ServiceProcess(Process process, int port, Optional<Integer> managementPort) {
    this.process = process;
    this.port = port;
    this.managementPort = managementPort;
  }

  /**
   * Starts the service and waits until it listens and is ready ({@code /health/ready}: its start-up warm-up done).
   *
   * @param name names the data directory and the log file
   * @param jar the service's jar
   * @param sets {@code key=value} overrides; with {@code management.port} among them, waits for that listener too
   * @return the running service
   * @throws IOException if it cannot be started
   * @throws IllegalStateException if it did not say where it listens within a minute
   */
  static ServiceProcess start(String name, String jar, List<String> sets) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-jar", jar, "--port", "0", "--data-dir",
        Files.createTempDirectory(name).toString()));
    boolean management = false;
    for (String kv : sets) {
      command.add("--set");
      command.add(kv);
      management |= kv.startsWith("management.port=") && kv.length() > "management.port=".length();
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    int main = -1;
    int manage = -1;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<String> seen = new ArrayList<>();
    while ((main < 0 || management && manage < 0) && System.nanoTime() < deadline) {
      String line = out.readLine();
      if (line == null) {
        break;
      }
      seen.add(line);
      Matcher l = LISTENING.matcher(line);
      if (l.find()) {
        main = Integer.parseInt(l.group(1));
      }
      Matcher m = MANAGEMENT.matcher(line);
      if (m.find()) {
        manage = Integer.parseInt(m.group(1));
      }
    }
    if (main < 0 || management && manage < 0) {
      p.destroyForcibly();
      throw new IllegalStateException("the service did not start: " + seen);
    }
    OutputStream log = Files.newOutputStream(Path.of(name + "-service.log"));
    Thread t = new Thread(() -> {
      try (log) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          log.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        // the service stopped; its log is a convenience
      }
    }, "service-output");
    t.setDaemon(true);
    t.start();
    try {
      Ready.await(URI.create("http://localhost:" + main), Duration.ofSeconds(60));
    } catch (InterruptedException | RuntimeException e) {
      p.destroyForcibly();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("the service did not become ready: " + e.getMessage(), e);
    }
    return new ServiceProcess(p, main, manage < 0 ? Optional.empty() : Optional.of(manage));
  }

  /** @return the main port */
  int port() {
    return port;
  }

  /** @return the management listener's port, when one was configured */
  Optional<Integer> managementPort() {
    return managementPort;
  }

  /** @return the service's process id */
  long pid() {
    return process.pid();
  }

  /** Stops the service (SIGTERM, then SIGKILL after 30 s). */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  /**
   * Reads {@code --key value} pairs; a key given several times keeps every value, joined by {@code \0}.
   *
   * @param args the command line
   * @return key to value
   */
  static Map<String, String> options(String[] args) {
    Map<String, String> o = new TreeMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --option value pairs, got " + Arrays.toString(args));
      }
      o.merge(args[i].substring(2), args[i + 1], (a, b) -> a + "\u0000" + b);
    }
    return o;
  }

  /**
   * Returns every value of an option given several times.
   *
   * @param o the options
   * @param key the option
   * @return its values, none when absent
   */
  static List<String> all(Map<String, String> o, String key) {
    String v = o.get(key);
    return v == null ? List.of() : List.of(v.split("\u0000"));
  }

  /**
   * Reads a duration given as {@code 250ms} or {@code 3s}.
   *
   * @param v the text
   * @return the duration
   */
  static Duration duration(String v) {
    return v.endsWith("ms") ? Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)))
        : Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
  }
}
