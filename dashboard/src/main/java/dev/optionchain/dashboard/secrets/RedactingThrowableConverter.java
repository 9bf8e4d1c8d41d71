package dev.optionchain.dashboard.secrets;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/**
 * Logback's {@code %ex} (stack traces) with every secret removed from the exceptions' messages
 * ({@link Secrets#redactForLogs}); {@code logback.xml} names it {@code %safeEx}. Thread-safe.
 */
public final class RedactingThrowableConverter extends ThrowableProxyConverter {

  /** Created by Logback. */
  public RedactingThrowableConverter() {}

  @Override
  protected String throwableProxyToString(IThrowableProxy proxy) {
    return Secrets.redactForLogs(super.throwableProxyToString(proxy));
  }
}
