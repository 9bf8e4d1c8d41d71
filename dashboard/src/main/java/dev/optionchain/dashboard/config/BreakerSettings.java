package dev.optionchain.dashboard.config;

import java.time.Duration;

/**
 * The settings of one upstream call's circuit breaker.
 *
 * @param name the breaker's name, e.g. {@code options_chain}
 * @param failureThreshold consecutive failures that open it
 * @param recoveryTimeout time open before a trial call
 * @param requestTimeout the upstream request timeout for this call (the whole response)
 * @param connectTimeout the TCP connect timeout for this call
 * @param freshFor how long an answer of this call is served from memory without another upstream call
 */
public record BreakerSettings(String name, int failureThreshold, Duration recoveryTimeout, Duration requestTimeout,
    Duration connectTimeout, FreshFor freshFor) {}
