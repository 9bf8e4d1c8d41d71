package dev.optionchain.dashboard.config;

/**
 * The management listener: a second port serving only the probes and the metrics.
 *
 * @param host interface to listen on
 * @param port port; 0 picks a free one
 */
public record ManagementListener(String host, int port) {}
