package dev.optionchain.dashboard.secrets;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's {@code %msg} with every secret removed ({@link Secrets#redactForLogs}); {@code logback.xml} names it
 * {@code %safeMsg}. Thread-safe.
 */
public final class RedactingMessageConverter extends MessageConverter {

  /** Created by Logback. */
  public RedactingMessageConverter() {}

  @Override
  public String convert(ILoggingEvent event) {
    return Secrets.redactForLogs(super.convert(event));
  }
}
