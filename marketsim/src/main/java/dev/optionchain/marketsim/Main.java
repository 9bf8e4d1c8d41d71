package dev.optionchain.marketsim;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Standalone launcher: {@code java -jar marketsim.jar --port 8090 [--seed 42] [--token T]
 * [--fault JSON]... [--host H] [--start-time ISO-INSTANT]}.
 *
 * <p>Prints {@code marketsim listening on http://localhost:N} once ready and runs until
 * interrupted (Ctrl-C stops the server through a shutdown hook). Bad arguments print a one-line
 * error and the usage to stderr and exit with status 2. Logs go to stderr, configured by
 * {@code marketsim-logback.xml} unless {@code -Dlogback.configurationFile} says otherwise.
 */
public final class Main {

  static final String USAGE = String.join("\n",
      "usage: java -jar marketsim.jar [options]",
      "  --port N             TCP port to listen on (default 8090; 0 = any free port)",
      "  --host H             interface to bind (default 127.0.0.1; 0.0.0.0 for all)",
      "  --seed N             seed of the simulated market (default 42)",
      "  --token T            require 'Authorization: Bearer T' on /v1 requests (default: no auth)",
      "  --fault JSON         start with a fault, same JSON as POST /sim/faults (repeatable),",
      "                       e.g. --fault '{\"endpoint\":\"chains\",\"mode\":\"outage\"}'",
      "  --start-time INSTANT simulated time at start-up, e.g. 2026-03-18T15:00:00Z; the clock then",
      "                       runs at real speed (default: the real time)",
      "  --rate-limit N       answer 429 beyond N market-data requests per client and minute, as Tradier",
      "                       does at 120 (default: off)",
      "  --help               print this help");

  private Main() {
  }

  /**
   * Runs the simulator until the JVM is stopped.
   *
   * @param args the command line; see the class comment
   */
  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "marketsim-logback.xml");
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("marketsim: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(USAGE);
      return;
    }
    MarketSim sim;
    try {
      sim = options.builder().start();
    } catch (IllegalStateException e) {
      System.err.println("marketsim: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(sim::close, "marketsim-shutdown"));
    announce(sim, System.out);
  }

  static void announce(MarketSim sim, PrintStream out) {
    out.println("marketsim listening on " + sim.baseUrl());
    out.flush();
  }

  /** Parsed command line. */
  record Options(boolean help, String host, int port, long seed, String token, Instant startTime,
           List<FaultSpec> faults, int rateLimit) {

    static Options parse(String[] args) {
      boolean help = false;
      String host = "127.0.0.1";
      int port = 8090;
      long seed = 42;
      String token = null;
      Instant startTime = null;
      int rateLimit = 0;
      List<FaultSpec> faults = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String name = arg;
        String value = null;
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0) {
          name = arg.substring(0, eq);
          value = arg.substring(eq + 1);
        }
        switch (name) {
          case "--help", "-h" -> help = true;
          case "--port", "--host", "--seed", "--token", "--fault", "--start-time", "--rate-limit" -> {
            if (value == null) {
              if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
              }
              value = args[++i];
            }
            switch (name) {
              case "--port" -> port = port(value);
              case "--host" -> host = nonBlank(name, value);
              case "--seed" -> seed = seed(value);
              case "--token" -> token = nonBlank(name, value);
              case "--fault" -> faults.add(fault(value));
              case "--rate-limit" -> rateLimit = rateLimit(value);
              default -> startTime = instant(value);
            }
          }
          default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
        }
      }
      return new Options(help, host, port, seed, token, startTime, List.copyOf(faults), rateLimit);
    }

    MarketSim.Builder builder() {
      MarketSim.Builder builder = MarketSim.builder().host(host).port(port).seed(seed).token(token)
          .rateLimit(rateLimit);
      if (startTime != null) {
        Clock system = Clock.systemUTC();
        builder.clock(Clock.offset(system, Duration.between(system.instant(), startTime)));
      }
      faults.forEach(builder::fault);
      return builder;
    }

    private static int port(String value) {
      try {
        int port = Integer.parseInt(value);
        if (port >= 0 && port <= 65_535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("--port: '" + value + "' is not a port number (0..65535)");
    }

    private static int rateLimit(String value) {
      try {
        int n = Integer.parseInt(value);
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("--rate-limit: '" + value + "' is not a positive number of requests");
    }

    private static long seed(String value) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--seed: '" + value + "' is not an integer", e);
      }
    }

    private static String nonBlank(String name, String value) {
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + ": must not be blank");
      }
      return value;
    }

    private static FaultSpec fault(String value) {
      try {
        return FaultSpec.parse(value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--fault: " + e.getMessage(), e);
      }
    }

    private static Instant instant(String value) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("--start-time: '" + value
            + "' is not an ISO-8601 instant such as 2026-03-18T15:00:00Z", e);
      }
    }
  }
}
