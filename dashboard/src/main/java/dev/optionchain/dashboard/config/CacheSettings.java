package dev.optionchain.dashboard.config;

import java.time.Duration;

/**
 * The memory in front of the upstream and the writes behind it.
 *
 * @param memoryEntries most answers kept in memory per kind of data, fresh ones and last good ones each
 *     ({@code cache.memory-entries}, default 2 000)
 * @param memoryLimit most bytes (estimated) of the answers kept in memory per kind of data, fresh ones and last good
 *     ones each; whichever of the two bounds is reached first evicts ({@code cache.memory-limit}, default
 *     {@code 32MB} = 32 000 000 bytes; at least {@link #MIN_MEMORY_LIMIT})
 * @param unknownSymbolsFor how long a symbol the upstream does not know is answered 404 without asking it again
 *     ({@code cache.unknown-symbols-for}, default 1 h; 0 = not remembered)
 * @param writeBatchSize most answers written in one transaction ({@code cache.write-batch-size}, default 256)
 * @param writeQueueCapacity most keys waiting to be written ({@code cache.write-queue-capacity}, default 10 000)
 * @param writeMaxAttempts attempts per answer before it is dropped ({@code cache.write-max-attempts}, default 5)
 * @param writeRetryBackoff pause after a failed write ({@code cache.write-retry-backoff}, default 500 ms)
 */
public record CacheSettings(int memoryEntries, long memoryLimit, Duration unknownSymbolsFor, int writeBatchSize,
    int writeQueueCapacity, int writeMaxAttempts, Duration writeRetryBackoff) {

  /** The smallest {@code cache.memory-limit}: 1 MB (1 000 000 bytes), room for about two twenty-year histories. */
  public static final long MIN_MEMORY_LIMIT = 1_000_000;
}
