package dev.optionchain.dashboard;

import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.config.Settings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command line: {@code java -jar dashboard.jar [--port N] [--data-dir DIR] [--config FILE] [--set key=value]}.
 * Prints {@code Listening on http://localhost:N} when ready; Ctrl-C stops it cleanly.
 */
public final class Main {

  static final String USAGE = String.join("\n",
      "usage: java -jar dashboard.jar [options]",
      "  --port N          port to listen on (server.port, OCD_SERVER_PORT; default 8080, 0 = any free port)",
      "  --data-dir DIR    directory of the cache (data.dir, OCD_DATA_DIR; default ./data)",
      "  --config FILE     properties file with settings (OCD_CONFIG)",
      "  --set KEY=VALUE   any setting of dashboard-defaults.properties, e.g. --set upstream.base-url=https://...",
      "  --help            this text",
      "Every setting can also be given as an environment variable: OCD_ + the key in upper case, '.' and '-' as '_'.");

  /**
   * How the JDK keeps upstream connections alive for reuse, unless given on the command line ({@code -D}):
   * {@code http.maxConnections} idle connections per host (the JDK keeps 5; the client makes its calls on the request
   * threads, up to {@code breaker.<name>.max-concurrent-calls}, 8, per kind at once), each for
   * {@code http.keepAlive.time.server} seconds when the server does not say (the JDK keeps them 5 s; at the default
   * upstream budget, two calls a second, a longer gap would mean a new TCP and TLS handshake with Tradier). 30 s is
   * below the idle timeout of common servers and balancers (60 s and more); a connection the server closed first is
   * retried once by the JDK on a new one.
   */
  static final Map<String, String> UPSTREAM_CONNECTIONS = Map.of(
      "http.maxConnections", "20",
      "http.keepAlive.time.server", "30");

  private Main() {}

  /**
   * Starts the service.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    UPSTREAM_CONNECTIONS.forEach((name, value) -> {
      if (System.getProperty(name) == null) {
        System.setProperty(name, value); // read once, when the JDK's keep-alive cache first loads
      }
    });
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Parses, starts and returns 0, or prints the problem and returns the exit code (2: usage, 1: start-up). */
  static int run(String[] args, PrintStream out, PrintStream err) {
    DashboardConfig config;
    try {
      Map<String, String> overrides = new LinkedHashMap<>();
      String configFile = System.getenv("OCD_CONFIG");
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--help":
          case "-h":
            out.println(USAGE);
            return 0;
          case "--port":
            overrides.put("server.port", value(args, ++i, arg));
            break;
          case "--data-dir":
            overrides.put("data.dir", value(args, ++i, arg));
            break;
          case "--config":
            configFile = value(args, ++i, arg);
            break;
          case "--set":
            String kv = value(args, ++i, arg);
            int eq = kv.indexOf('=');
            if (eq <= 0) {
              throw new IllegalArgumentException("--set takes key=value, was '" + kv + "'");
            }
            overrides.put(kv.substring(0, eq).trim(), kv.substring(eq + 1));
            break;
          default:
            throw new IllegalArgumentException("unknown option '" + arg + "'");
        }
      }
      Settings settings = Settings.defaults();
      if (configFile != null && !configFile.isBlank()) {
        settings = settings.withFile(Path.of(configFile));
      }
      settings = settings.withEnvironment(System.getenv()).with(overrides, "command line");
      config = DashboardConfig.from(settings);
    } catch (IllegalArgumentException e) {
      err.println("dashboard: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    DashboardApp app;
    try {
      app = DashboardApp.start(config);
    } catch (IllegalStateException e) {
      err.println("dashboard: cannot start: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "dashboard-shutdown"));
    out.println("Listening on " + app.url());
    return 0;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
