package dev.optionchain.dashboard.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Where and how state-change alerts are sent.
 *
 * @param webhooks URLs to POST each alert to; empty for none
 * @param timeout timeout of one POST
 * @param maxAttempts attempts per alert and webhook, at least 1
 * @param backoff wait before the first retry; doubles after each
 * @param queueCapacity alerts waiting to be sent before new ones are dropped
 */
public record AlertSettings(List<URI> webhooks, Duration timeout, int maxAttempts, Duration backoff,
    int queueCapacity) {

  /** Copies the list. */
  public AlertSettings {
    webhooks = List.copyOf(webhooks);
  }
}
