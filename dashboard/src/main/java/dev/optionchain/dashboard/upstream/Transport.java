package dev.optionchain.dashboard.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One HTTP/1.1 {@code GET} on the calling thread, with one deadline for the whole exchange and a bound on the body.
 *
 * <p>Why blocking: an upstream call is made by the request thread that needs its answer, and under the upstream's
 * budget (120 calls a minute for Tradier) the call path runs too rarely for the JIT to compile it for a long time. The
 * JDK's asynchronous {@code java.net.http.HttpClient} crosses three threads per exchange (caller, selector, completion)
 * through a deep reactive stack; run mostly interpreted that cost 2 to 5 ms a call on this project's machine, against
 * about 1 ms for {@link HttpURLConnection} on the caller's thread (figures in {@code docs/benchmarks.md}). Connections
 * are kept alive and reused by the JDK's keep-alive cache ({@code http.maxConnections} idle connections per host,
 * which the service's {@code Main} raises to 20, kept 30 s idle, unless set).
 *
 * <p>The deadline: the connect timeout is the smaller of the client's and the call's, each read waits at most the
 * call's timeout, and a timer ({@code upstream-deadline}, one daemon thread shared by every client, started on the
 * first call and ended after 30 s without calls) closes the connection when the whole exchange has not ended by the
 * deadline, so that an answer trickled a byte at a time cannot hold the caller longer. An exchange that ends in time
 * returns its connection to the keep-alive cache; the timer never touches a connection after that
 * ({@link Deadline}'s state decides which of the two happened).
 *
 * <p>Where the deadline is late: a DNS lookup is bounded by no timeout, and a deadline that passed during it finds no
 * connection to close, so the exchange ends as soon as it has connected. And {@link HttpURLConnection} closes a
 * connection in the middle of its body only once the read in progress returns (the read holds the body stream's
 * lock): a body that stops coming just before the deadline ends by that read's timeout, the call's timeout, so such a
 * call takes up to twice its timeout (a wait for the headers is not affected: it ends at the deadline). The closing
 * runs on its own thread ({@code upstream-disconnect}, ended after 30 s without work), so that it never delays
 * another call's deadline.
 *
 * <p>A blocking socket read is not interrupted by {@link Thread#interrupt()}: an interrupted caller's exchange ends
 * at its deadline at the latest. Thread-safe: stateless but for the timer.
 */
final class Transport {

  /** The answer passed {@link #maxBytes}. Stackless: it is always turned into MALFORMED. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long maxBytes) {
      super("the answer is larger than " + maxBytes + " bytes");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // always turned into MALFORMED: a stack trace would only cost time
    }
  }

  /** The deadline passed before the exchange ended; the connection was closed. */
  static final class DeadlinePassed extends IOException {
    private static final long serialVersionUID = 1L;

    DeadlinePassed(Throwable cause) {
      super("deadline passed", cause);
    }
  }

  /**
   * A complete answer, of any status.
   *
   * @param status the HTTP status
   * @param headers the response headers (names case-insensitive)
   * @param body the body, empty when there is none
   */
  record Answer(int status, HttpHeaders headers, byte[] body) {}

  private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();
  /**
   * Where a passed deadline's connection is closed, off the timer thread: closing a connection in the middle of its
   * body waits until the read in progress returns, and the one timer thread must not wait for it while other calls'
   * deadlines pass. A thread per connection being closed, ended after 30 s without work.
   */
  private static final ThreadPoolExecutor DISCONNECTS = daemonThreads("upstream-disconnect", 0, Integer.MAX_VALUE,
      new SynchronousQueue<>());

  private final int connectTimeoutMillis;
  private final int maxBytes;

  /**
   * @param connectTimeout how long to wait for a TCP (and TLS) connection; positive
   * @param maxBytes the largest body read
   */
  Transport(Duration connectTimeout, int maxBytes) {
    if (maxBytes < 0 || maxBytes == Integer.MAX_VALUE) {
      throw new IllegalArgumentException("maxBytes: 0 to Integer.MAX_VALUE - 1, was " + maxBytes);
    }
    this.connectTimeoutMillis = millis(connectTimeout);
    this.maxBytes = maxBytes;
  }

  /**
   * Sends {@code GET uri} and reads the whole answer.
   *
   * @param uri an {@code http} or {@code https} URI
   * @param headers request headers, sent in this order
   * @param timeout the deadline of the whole exchange, from connecting to the last byte; positive
   * @return the answer
   * @throws DeadlinePassed if it did not end in time
   * @throws TooLarge if the body is larger than the limit (declared or read); the rest is not read
   * @throws java.net.SocketTimeoutException if connecting, or one read, took longer than allowed
   * @throws IOException on any other failure to connect, send or read (a body shorter or longer than its
   *     Content-Length included), also where {@link HttpURLConnection} throws an unchecked exception
   */
  Answer get(URI uri, Map<String, String> headers, Duration timeout) throws IOException {
    int timeoutMillis = millis(timeout);
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    c.setInstanceFollowRedirects(false); // the token never travels to another host
    c.setUseCaches(false);
    c.setConnectTimeout(Math.min(connectTimeoutMillis, timeoutMillis));
    c.setReadTimeout(timeoutMillis);
    headers.forEach(c::setRequestProperty);
    Deadline deadline = new Deadline(c);
    ScheduledFuture<?> timer = DEADLINES.schedule(deadline, nanos(timeout), TimeUnit.NANOSECONDS);
    try {
      c.connect();
      if (deadline.passed()) {
        // it passed before there was a connection to close (a slow DNS lookup, proxy selection): the timer closed none
        c.disconnect();
        throw new DeadlinePassed(null);
      }
      int status = c.getResponseCode();
      if (status < 0) {
        throw new IOException("not an HTTP answer (no valid status line)");
      }
      HttpHeaders responseHeaders = HttpHeaders.of(headerFields(c), (name, value) -> true);
      long declared = c.getContentLengthLong();
      if (declared > maxBytes) {
        throw new TooLarge(maxBytes);
      }
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      byte[] body = in == null ? new byte[0] : readAtMost(in);
      boolean chunked = c.getHeaderField("Transfer-Encoding") != null;
      if (declared >= 0 && body.length != declared && hasBody(status) && !chunked) {
        // HttpURLConnection ends a body quietly where the connection ended, and reads past its Content-Length what
        // has already arrived (another answer, which the next call on the connection would take for its own): a
        // body of another length than declared is no answer, and its connection is closed
        throw new IOException("the answer has " + body.length + " bytes of a body of " + declared + " bytes");
      }
      if (!deadline.finish()) {
        throw new DeadlinePassed(null);
      }
      if (in != null) {
        in.close(); // read to its end: the connection goes back to the keep-alive cache
      }
      return new Answer(status, responseHeaders, body);
    } catch (IOException | RuntimeException e) {
      if (!deadline.finish()) {
        throw e instanceof DeadlinePassed passed ? passed : new DeadlinePassed(e);
      }
      c.disconnect(); // a connection in an unknown state is not reused
      if (e instanceof RuntimeException) {
        // HttpURLConnection fails some exchanges unchecked (a port out of range, for one): still a failure to reach
        throw new IOException(e.getMessage(), e);
      }
      throw e;
    } finally {
      timer.cancel(false);
    }
  }

  /** Whether an answer of this status has a body (RFC 9110: not 1xx, 204 or 304), whatever its Content-Length. */
  private static boolean hasBody(int status) {
    return status >= 200 && status != 204 && status != 304;
  }

  /** Reads to the end, failing as soon as more than {@link #maxBytes} arrived (the rest is not read). */
  private byte[] readAtMost(InputStream in) throws IOException {
    byte[] body = in.readNBytes(maxBytes + 1); // grows as bytes arrive, not allocated up front
    if (body.length > maxBytes) {
      throw new TooLarge(maxBytes);
    }
    return body;
  }

  /**
   * The header fields in the order they came, without the status line; names that differ only in case are one name
   * (as HTTP has it). Not {@link HttpURLConnection#getHeaderFields()}: it keys by the exact spelling, which
   * {@link HttpHeaders#of} refuses as a duplicate ({@code X-A} and {@code x-a}), and lists a repeated header's values
   * last first on JDK 17.
   */
  private static Map<String, List<String>> headerFields(HttpURLConnection c) {
    Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; ; i++) {
      String value = c.getHeaderField(i);
      if (value == null) {
        return fields;
      }
      String name = c.getHeaderFieldKey(i); // null for the status line
      if (name != null && !name.isBlank()) {
        fields.computeIfAbsent(name.trim(), n -> new ArrayList<>()).add(value);
      }
    }
  }

  private static int millis(Duration d) {
    try {
      return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    } catch (ArithmeticException e) {
      return Integer.MAX_VALUE;
    }
  }

  /** {@code d} in nanoseconds, {@link Long#MAX_VALUE} (292 years) for a longer one. */
  private static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private static ScheduledThreadPoolExecutor deadlines() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("upstream-deadline"));
    timer.setRemoveOnCancelPolicy(true); // a cancelled deadline does not wait in the queue until it would have fired
    timer.setKeepAliveTime(30, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
    return timer;
  }

  private static ThreadPoolExecutor daemonThreads(String name, int core, int max, BlockingQueue<Runnable> queue) {
    return new ThreadPoolExecutor(core, max, 30, TimeUnit.SECONDS, queue, daemon(name));
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * The race between an exchange ending and its deadline: whichever moves the state first wins. The timer closes the
   * connection only if it won; the caller returns the connection to the keep-alive cache only if it won.
   */
  private static final class Deadline implements Runnable {
    private static final int RUNNING = 0;
    private static final int FINISHED = 1;
    private static final int PASSED = 2;

    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final HttpURLConnection connection;

    Deadline(HttpURLConnection connection) {
      this.connection = connection;
    }

    @Override
    public void run() {
      if (state.compareAndSet(RUNNING, PASSED)) {
        DISCONNECTS.execute(this::disconnect); // a blocked read of the headers fails at once, of the body soon
      }
    }

    private void disconnect() {
      try {
        connection.disconnect();
      } catch (RuntimeException e) {
        // HttpURLConnection is not thread-safe: its caller may be closing it too (a deadline that passed before it
        // connected), and the second close can trip over the first; it is closed either way
      }
    }

    /** @return true if the deadline passed before the exchange ended */
    boolean passed() {
      return state.get() == PASSED;
    }

    /** @return true if the exchange ended before the deadline (also when called again after that) */
    boolean finish() {
      return state.compareAndSet(RUNNING, FINISHED) || state.get() == FINISHED;
    }
  }
}
