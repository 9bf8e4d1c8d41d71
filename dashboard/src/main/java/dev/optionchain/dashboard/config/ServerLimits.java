package dev.optionchain.dashboard.config;

import java.time.Duration;

/**
 * The web server's limits on what clients may hold.
 *
 * @param maxConnections connections open at once on the main port; beyond it new ones wait in the kernel's accept
 *     queue (default 1000)
 * @param requestReadTimeout deadline for reading one request's line, headers and body from its first byte; a slower
 *     client is disconnected (default 10 s)
 * @param idleTimeout a connection without traffic for this long is closed (default 30 s)
 * @param maxEventClients event streams ({@code GET /api/events}) open at once; beyond it 503 (default 200)
 */
public record ServerLimits(int maxConnections, Duration requestReadTimeout, Duration idleTimeout,
    int maxEventClients) {}
