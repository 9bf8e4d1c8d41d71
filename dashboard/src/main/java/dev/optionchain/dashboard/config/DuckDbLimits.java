package dev.optionchain.dashboard.config;

/**
 * DuckDB's resource limits for the cache database.
 *
 * @param memoryLimit DuckDB's {@code memory_limit}, e.g. {@code 256MB} (default)
 * @param threads DuckDB's {@code threads} (default 2)
 */
public record DuckDbLimits(String memoryLimit, int threads) {}
