package dev.optionchain.dashboard;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.Layout;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures every event the root logger lets through while open, formatted by the configured console appender's own
 * layout ({@code logback-test.xml}, which redacts secrets like {@code logback.xml} does): what an operator would read.
 */
public final class LogCapture implements AutoCloseable {

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Layout<ILoggingEvent> layout;
  private final List<ILoggingEvent> events = new ArrayList<>();
  private final List<String> lines = new ArrayList<>();
  private final Appender<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      String line = layout.doLayout(event);
      synchronized (LogCapture.this) {
        events.add(event);
        lines.add(line);
      }
    }
  };

  private LogCapture() {
    Appender<ILoggingEvent> console = root.getAppender("STDOUT");
    if (!(console instanceof ch.qos.logback.core.OutputStreamAppender<ILoggingEvent> out)
        || !(out.getEncoder() instanceof PatternLayoutEncoder encoder)) {
      throw new IllegalStateException("logback-test.xml must define the STDOUT appender with a pattern");
    }
    this.layout = encoder.getLayout();
    appender.setContext(root.getLoggerContext());
    appender.setName("capture");
    appender.start();
    root.addAppender(appender);
  }

  /** Starts capturing. */
  public static LogCapture start() {
    return new LogCapture();
  }

  /** Everything captured so far, as the console shows it (stack traces included). */
  public synchronized String text() {
    return String.join("", lines);
  }

  /** The number of events captured so far. */
  public synchronized int size() {
    return events.size();
  }

  /** The formatted events from index {@code from} on. */
  public synchronized List<String> linesFrom(int from) {
    return new ArrayList<>(lines.subList(from, lines.size()));
  }

  /** The events from index {@code from} on. */
  public synchronized List<ILoggingEvent> eventsFrom(int from) {
    return new ArrayList<>(events.subList(from, events.size()));
  }

  /** How many of the events from index {@code from} on are at {@code level} or above. */
  public synchronized long countFrom(int from, Level level) {
    return events.subList(from, events.size()).stream().filter(e -> e.getLevel().isGreaterOrEqual(level)).count();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
