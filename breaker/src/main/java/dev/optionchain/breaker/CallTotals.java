package dev.optionchain.breaker;

/**
 * How many calls a breaker has seen since it was created, by outcome. Unlike the counts of
 * {@link CircuitBreakerStatus}, these are never reset, so they suit monotonic metrics (Prometheus counters).
 *
 * @param successful calls that succeeded
 * @param failed calls that failed
 * @param rejected calls rejected without being invoked
 * @param ignored calls that counted neither way: ignored exceptions and, by default, cancelled calls
 * @param slow calls at least as slow as the configured slow-call duration (also counted as successful or failed)
 */
public record CallTotals(long successful, long failed, long rejected, long ignored, long slow) {}
