package dev.optionchain.dashboard.config;

import java.time.Duration;

/**
 * The web server's limits on what clients may hold.
 *
 * @param maxConnections connections open at once on the main port (default 1000); at the limit a new connection is
 *     still accepted when a connection waiting for its client (longest for its request head, else longest idle
 *     between two requests) can be closed for it, and waits in the kernel's accept queue otherwise (see the web
 *     layer's {@code ConnectionCap})
 * @param requestReadTimeout deadline for reading one request's line, headers and body from its first byte; a slower
 *     client is disconnected (default 10 s)
 * @param idleTimeout a connection without traffic for this long is closed (default 30 s)
 * @param maxEventClients event streams ({@code GET /api/events}) open at once; beyond it 503 (default 200)
 */
public record ServerLimits(int maxConnections, Duration requestReadTimeout, Duration idleTimeout,
    int maxEventClients) {

  /** Worker threads of the main port: every request runs on one of them. */
  public static final int WORKER_THREADS = 200;

  /**
   * Worker threads that requests waiting for the upstream can never take: the breakers' {@code max-waiting-requests}
   * together must leave at least this many for the probes, metrics, static files, event streams and answers from
   * memory or the cache.
   */
  public static final int THREADS_KEPT_FROM_UPSTREAM = 50;
}
