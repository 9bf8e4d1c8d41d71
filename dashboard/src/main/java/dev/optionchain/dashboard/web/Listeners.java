package dev.optionchain.dashboard.web;

import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.config.ManagementListener;
import dev.optionchain.dashboard.config.ServerLimits;
import io.javalin.config.JavalinConfig;
import com.sun.management.UnixOperatingSystemMXBean;
import io.javalin.http.Context;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server's listeners and their limits.
 *
 * <ul>
 *   <li>The main listener ({@code server.host:server.port}), with its own {@value #MAIN_IO_THREADS} network threads
 *       (acceptor, selector, turning accepted sockets into connections; requests are handled by the server's worker
 *       threads, {@link #workers}), so that a new connection is taken in even when every worker is busy; at most
 *       {@link ServerLimits#maxConnections()} connections, a new one taking the place of the one that has been
 *       reading a request head the longest, else of the one idle between requests the longest ({@link ConnectionCap}:
 *       neither a drip-feeder nor an idle client can keep a prompt client out), or waiting in the kernel's accept
 *       queue when no open connection is waiting for its client; the idle timeout; and the
 *       {@link RequestDeadline}.</li>
 *   <li>The management listener, when configured: serves only {@link #MANAGEMENT_PATHS}, with its own
 *       {@value #MANAGEMENT_MAX_CONNECTIONS} connections, its own {@value #MANAGEMENT_THREADS} threads and the same
 *       deadline, so that a liveness probe or a metrics scrape gets in while the main listener is saturated.</li>
 * </ul>
 *
 * <p>Why the management listener still matters: on the main port a probe's connection waits in the kernel's accept
 * queue behind every connection that arrived before it, and competes for the same threads and CPU as every client;
 * a probe often comes from the same address as other clients (a node, a proxy), so per-address limits cannot tell it
 * apart. A port no ordinary client uses has none of this. Thread-safe after start.
 */
final class Listeners {

  /** What the management listener serves; anything else there is 404. */
  static final Set<String> MANAGEMENT_PATHS = Set.of("/health/live", "/health/ready", "/metrics");
  /** Connections open at once on the management listener. */
  static final int MANAGEMENT_MAX_CONNECTIONS = 50;
  /** Threads of the management listener (acceptor and selector included). */
  static final int MANAGEMENT_THREADS = 8;
  /**
   * Threads of the main listener's network side: its acceptor, its selector, and the short tasks that turn an accepted
   * socket into a connection. Requests are handled by the server's worker threads, never by these.
   */
  static final int MAIN_IO_THREADS = 8;
  /**
   * The kernel's queue of connections not yet accepted, on both listeners (Java's default is 50; Linux caps it at
   * {@code net.core.somaxconn}, 4096 on current kernels). When a burst of new connections overflows it, as 300 clients
   * reconnecting at once did, the kernel drops the handshake of the connections behind them, and each, a health probe
   * among them, waits a second for its client to send it again.
   */
  static final int ACCEPT_QUEUE = 1024;

  private final DashboardConfig config;
  private final String threadPrefix;
  private final RequestDeadline deadline;
  private volatile ConnectionCap mainCap;
  private volatile ServerConnector management;

  /**
   * Creates the listeners.
   *
   * @param config the listeners' addresses and limits
   * @param threadPrefix the prefix of their threads' names ({@code dashboard}: {@code dashboard-io},
   *     {@code dashboard-management})
   */
  Listeners(DashboardConfig config, String threadPrefix) {
    this.config = config;
    this.threadPrefix = threadPrefix;
    this.deadline = new RequestDeadline(config.limits().requestReadTimeout());
  }

  /**
   * Adds the listeners to the server Javalin builds; the main one first, so that Javalin reports its port.
   *
   * @param cfg Javalin's configuration
   */
  void install(JavalinConfig cfg) {
    ServerLimits limits = config.limits();
    cfg.jetty.addConnector((server, http) -> {
      ServerConnector main = connector(server, http, null, config.host(), config.port());
      mainCap = new ConnectionCap(limits.maxConnections(), main);
      main.addBean(mainCap);
      return main;
    });
    config.management().ifPresent(m -> cfg.jetty.addConnector((server, http) -> {
      management = connector(server, http, m, m.host(), m.port());
      server.addBean(new NetworkConnectionLimit(MANAGEMENT_MAX_CONNECTIONS, management));
      return management;
    }));
  }

  private ServerConnector connector(Server server, HttpConfiguration http, ManagementListener own, String host,
      int port) {
    ServerConnector c;
    if (own == null) {
      QueuedThreadPool io = new QueuedThreadPool(MAIN_IO_THREADS, 2);
      io.setName(threadPrefix + "-io");
      c = new ServerConnector(server, io, null, null, 1, 1, new HttpConnectionFactory(http));
    } else {
      QueuedThreadPool threads = new QueuedThreadPool(MANAGEMENT_THREADS, 2);
      threads.setName(threadPrefix + "-management");
      c = new ServerConnector(server, threads, null, null, 1, 1, new HttpConnectionFactory(http));
      c.setName("management");
    }
    c.setHost(host);
    c.setPort(port);
    c.setIdleTimeout(config.limits().idleTimeout().toMillis());
    c.setAcceptQueueSize(ACCEPT_QUEUE);
    c.addBean(deadline);
    return c;
  }

  /**
   * Returns the threads that handle the requests of a listener: the management listener's own, or for the main
   * listener the server's worker threads (its own threads only read and write the network).
   *
   * @param connector the listener a request came in on
   * @return where to run its handling
   */
  Executor workers(Connector connector) {
    return connector == management ? connector.getExecutor() : connector.getServer().getThreadPool();
  }

  /**
   * Refuses, on the management listener, every path but the probes and the metrics.
   *
   * @param ctx the request
   * @return true when the request was answered (404) and must go no further
   */
  boolean refusedOnManagement(Context ctx) {
    ServerConnector m = management;
    if (m == null || ctx.req().getLocalPort() != m.getLocalPort() || MANAGEMENT_PATHS.contains(ctx.path())) {
      return false;
    }
    ErrorMapper.write(ctx, 404, "the management listener serves only " + String.join(", ",
        MANAGEMENT_PATHS.stream().sorted().toList()));
    return true;
  }

  /**
   * Returns the management listener's port.
   *
   * @return the bound port, or empty when there is none
   */
  Optional<Integer> managementPort() {
    ServerConnector m = management;
    return m == null ? Optional.empty() : Optional.of(m.getLocalPort());
  }

  /** File handles the process needs besides its connections: jars, DuckDB, upstream and alert connections. */
  static final int OTHER_FILES = 200;

  /**
   * Tells whether the connection limits fit in the process's file-handle limit ({@code ulimit -n}); past it the
   * service would fail with "Too many open files" before the limit protects it.
   *
   * @param config the configuration
   * @return the warning to log at start, or empty when they fit (or the limit cannot be read)
   */
  static Optional<String> fileLimitWarning(DashboardConfig config) {
    if (!(ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix)) {
      return Optional.empty();
    }
    long limit = unix.getMaxFileDescriptorCount();
    long needed = (long) config.limits().maxConnections() + OTHER_FILES
        + (config.management().isPresent() ? MANAGEMENT_MAX_CONNECTIONS : 0);
    if (needed <= limit) {
      return Optional.empty();
    }
    return Optional.of("server.max-connections=" + config.limits().maxConnections() + " (plus about " + OTHER_FILES
        + " other files" + (config.management().isPresent() ? " and " + MANAGEMENT_MAX_CONNECTIONS + " management "
        + "connections" : "") + ") exceeds this process's limit of " + limit + " open files (ulimit -n): lower "
        + "server.max-connections or raise the limit, or the service fails with 'Too many open files' first");
  }

  /** Connections open on the main listener. */
  int connections() {
    ConnectionCap c = mainCap;
    return c == null ? 0 : c.connections();
  }

  /** Connections the main listener closed, still reading a request head or idle, to make room for newer ones. */
  long connectionsShed() {
    ConnectionCap c = mainCap;
    return c == null ? 0 : c.shed();
  }

  /** Connections closed because a request did not arrive within the deadline. */
  long requestsCut() {
    return deadline.cut();
  }
}
