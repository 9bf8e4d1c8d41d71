package dev.optionchain.dashboard.fleet;

import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerConfig;
import dev.optionchain.breaker.CircuitBreakerOpenException;
import dev.optionchain.breaker.CircuitBreakerState;
import dev.optionchain.dashboard.logging.LogThrottle;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's connection to Redis (Lettuce): one multiplexed command connection and one pub/sub connection, both
 * non-blocking, reconnecting by themselves (the pub/sub one re-subscribes).
 *
 * <p>Nothing waits on Redis for long: every command has the fleet's command timeout (Lettuce's
 * {@link TimeoutOptions}); while disconnected, commands are refused at once ({@code REJECT_COMMANDS}) rather than
 * queued; the request queue is bounded; and every command goes through the fleet's own circuit breaker,
 * {@value #BREAKER_NAME} (3 failures in a row open it for 1 s, on the real clock), so that a paused Redis (SIGSTOP:
 * the connection stays up, answers never come) costs a few timeouts and then nothing: while it is open the instance
 * works alone. A heartbeat every second is its trial call. Before it opens, a request's wait that timed out makes
 * the requests after it skip Redis for {@link #QUIET_AFTER_TIMEOUT} or until Redis answers a command, whichever is
 * first ({@link #awaitScript}): so one request waits one timeout at most (not one per step of its path: the shared
 * answer, then the budget), and the requests behind it do not wait at all.
 *
 * <p>The first connection is made in the background, retried every second until it succeeds: an instance starts and
 * serves without Redis. Thread-safe.
 */
final class RedisLink implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

  /** The fleet's own breaker, around every Redis command. */
  static final String BREAKER_NAME = "fleet_redis";
  /** Keys are strings, values bytes (answers are gzip-compressed JSON). */
  static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
  /** Commands allowed in flight or waiting; beyond it they fail at once (they would time out anyway). */
  static final int REQUEST_QUEUE = 1_000;
  /** What a caller waits for a command beyond its timeout: the hand-over of the answer. */
  static final Duration HAND_OVER = Duration.ofMillis(20);
  /**
   * Messages received and not yet handled by the fleet's thread, at most; beyond it (a flood on the channel) a
   * message is dropped and counted, so that the inbox cannot grow without bound.
   */
  static final int INBOX = 10_000;
  /** Longest message handled; fleet messages are a few hundred bytes, a longer one is dropped and counted. */
  static final int MAX_MESSAGE_CHARS = 16_384;
  /** After a request's wait timed out, how long the requests after it skip Redis unless it answers meanwhile. */
  static final Duration QUIET_AFTER_TIMEOUT = Duration.ofSeconds(1);
  /** Longest wait for a connection's handshake, made in the background. */
  static final Duration HANDSHAKE = Duration.ofSeconds(2);

  private final URI url;
  private final Duration timeout;
  private final ScheduledExecutorService executor;
  private final ClientResources resources;
  private final RedisClient client;
  private final CircuitBreaker breaker;
  private final Consumer<String> onMessage;
  private final Runnable onReconnected;
  private final LongAdder errors = new LongAdder();
  private final LongAdder waitsTimedOut = new LongAdder();
  private final AtomicInteger inbox = new AtomicInteger();
  private final LongAdder messagesDropped = new LongAdder();
  private final AtomicBoolean warnedDropped = new AtomicBoolean();
  /** While true and before {@link #quietUntil} ({@code System.nanoTime()}), requests do not wait for Redis. */
  private volatile boolean quiet;
  private volatile long quietUntil;
  private final LogThrottle errorLog = new LogThrottle(Duration.ofMinutes(1));
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Whether the loss of the connection was reported (once for both connections). */
  private final AtomicBoolean lost = new AtomicBoolean();
  /** Failed attempts of the first connection. */
  private final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
  private volatile StatefulRedisConnection<String, byte[]> commands;
  private volatile StatefulRedisPubSubConnection<String, String> pubsub;
  private volatile boolean subscribed;

  /**
   * @param url the Redis URL
   * @param timeout the command timeout
   * @param executor the fleet's thread: messages are handed to it, off Lettuce's event loop
   * @param onMessage told of each message received, on the fleet's thread
   * @param onReconnected told when Redis can be used again (connected, reconnected, or answering again after a
   *     pause), on the fleet's thread: the moment to re-learn the fleet's state
   */
  RedisLink(URI url, Duration timeout, ScheduledExecutorService executor, Consumer<String> onMessage,
      Runnable onReconnected) {
    this.url = url;
    this.timeout = timeout;
    this.executor = executor;
    this.onMessage = onMessage;
    this.onReconnected = onReconnected;
    this.resources = ClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(2)
        .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
        .build();
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(HANDSHAKE); // connecting (HELLO, SELECT) may take longer than a command; commands: timeout
    this.client = RedisClient.create(resources, uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(REQUEST_QUEUE)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(1)).keepAlive(true).build())
        .build());
    client.addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        if (commands != null) { // a reconnection (the first connection is announced by connect())
          if (lost.compareAndSet(true, false)) {
            LOG.info("fleet: reconnected to Redis {}", shown());
          }
          if (breaker.getState() != CircuitBreakerState.CLOSED) {
            breaker.reset(); // a new connection: what timed out on the old one says nothing about it
          }
          submit(RedisLink.this::reconnected);
        }
      }

      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        if (!closed.get() && commands != null && lost.compareAndSet(false, true)) {
          LOG.warn("fleet: lost the connection to Redis {}; working alone until it is back", shown());
        }
      }
    });
    this.breaker = CircuitBreaker.of(BREAKER_NAME, CircuitBreakerConfig.builder()
        .failureThreshold(3)
        .recoveryTimeout(Duration.ofSeconds(1))
        .recordExceptions(RedisLink::isOutage)
        .clock(BreakerClock.system()) // Redis's answers take real time, whatever clock the service runs on
        .build());
    breaker.onStateTransition(t -> {
      if (t.to() == CircuitBreakerState.OPEN && t.from() == CircuitBreakerState.CLOSED) {
        LOG.warn("fleet: Redis {} does not answer within {} ms ({}); working alone until it does", shown(),
            timeout.toMillis(), t.reason());
      } else if (t.to() == CircuitBreakerState.CLOSED && t.from() != CircuitBreakerState.CLOSED) {
        LOG.info("fleet: Redis {} answers again", shown());
        submit(this::reconnected);
      }
    });
  }

  /** Starts connecting, in the background. */
  void start() {
    submit(this::connect);
  }

  private void connect() {
    if (closed.get()) {
      return;
    }
    StatefulRedisConnection<String, byte[]> c = null;
    StatefulRedisPubSubConnection<String, String> p = null;
    try {
      c = client.connect(CODEC);
      p = client.connectPubSub(StringCodec.UTF8);
      p.addListener(new RedisPubSubAdapter<>() {
        @Override
        public void message(String channel, String message) {
          received(message);
        }
      });
      pubsub = p;
      commands = c;
      subscribe();
      LOG.info("fleet: connected to Redis {}", shown());
      reconnected();
    } catch (RuntimeException e) {
      closeQuietly(p);
      closeQuietly(c);
      if (!closed.get()) {
        int n = attempts.incrementAndGet();
        if (n == 1 || n % 60 == 0) { // the first failure, then once a minute
          LOG.warn("fleet: cannot connect to Redis {} ({}); working alone, retrying every second ({} attempt{} so "
              + "far)", shown(), e.getMessage(), n, n == 1 ? "" : "s");
        }
        executor.schedule(this::connect, 1, TimeUnit.SECONDS);
      }
    }
  }

  private void subscribe() {
    StatefulRedisPubSubConnection<String, String> p = pubsub;
    if (p == null || subscribed) {
      return;
    }
    p.async().subscribe(Message.CHANNEL).whenComplete((ok, e) -> {
      if (e == null) {
        subscribed = true; // Lettuce re-subscribes by itself after a reconnection
      } else {
        errors.increment();
      }
    });
  }

  private void reconnected() {
    subscribe();
    if (!closed.get()) {
      onReconnected.run();
    }
  }

  /**
   * Returns whether Redis is usable now: connected, and the fleet's breaker not OPEN. When false, the instance works
   * alone and makes no Redis call on a request.
   *
   * @return true when connected and answering
   */
  boolean active() {
    StatefulRedisConnection<String, byte[]> c = commands;
    return c != null && c.isOpen() && breaker.getState() != CircuitBreakerState.OPEN && !closed.get();
  }

  /**
   * Runs a command through the fleet's breaker, without waiting.
   *
   * @param command the command on Lettuce's asynchronous API
   * @param <T> its result
   * @return its result, or failed (not connected, refused by the breaker, timed out, Redis's error)
   */
  <T> CompletableFuture<T> call(Function<RedisAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
    StatefulRedisConnection<String, byte[]> c = commands;
    if (c == null || closed.get() || !c.isOpen()) {
      // disconnected: Lettuce would refuse it at once; the breaker need not learn it again every second (each trial
      // failing at once made it log two transitions a second for as long as Redis was down)
      if (c != null) {
        errors.increment();
      }
      return CompletableFuture.failedFuture(new IllegalStateException("not connected to Redis"));
    }
    CompletableFuture<T> result = breaker.callAsync(() -> command.apply(c.async()));
    result.whenComplete((v, e) -> {
      if (e == null && quiet) {
        quiet = false; // Redis answers: requests may wait for it again
      }
      if (e != null && !(unwrap(e) instanceof CircuitBreakerOpenException)) {
        errors.increment();
        if (!isOutage(unwrap(e))) {
          answeredError(unwrap(e));
        }
      }
    });
    return result;
  }

  /**
   * Whether a failed command says Redis cannot be used: no connection, no answer in time, busy (a script or
   * {@code DEBUG SLEEP} holds it) or loading. An error reply otherwise ({@code OOM} when full, {@code WRONGTYPE} on a
   * key someone else wrote, {@code READONLY} on a replica) is an answer: Redis is there, the command alone failed,
   * and the fleet's breaker counts it as a success, so that one bad key or a full Redis does not cut the instance off
   * from the others.
   */
  static boolean isOutage(Throwable t) {
    Throwable e = unwrap(t);
    return !(e instanceof RedisCommandExecutionException) || e instanceof RedisBusyException
        || e instanceof RedisLoadingException;
  }

  /** Logs an error reply, the first one and then at most one a minute. */
  private void answeredError(Throwable e) {
    long held = errorLog.admit();
    if (held >= 0) {
      LOG.warn("fleet: Redis {} answered an error: {}{} (further ones within a minute are counted in "
          + "fleet_redis_errors_total, not logged)", shown(), e.getMessage(), errorLog.suffix(held));
    }
  }

  /**
   * Runs a Lua script ({@link Scripts}).
   *
   * @param script the script
   * @param keys its KEYS
   * @param args its ARGV, as strings or byte arrays
   * @return its multi-bulk result
   */
  CompletableFuture<List<Object>> script(String script, String[] keys, Object... args) {
    byte[][] argv = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      argv[i] = args[i] instanceof byte[] ? (byte[]) args[i] : String.valueOf(args[i]).getBytes(StandardCharsets.UTF_8);
    }
    return call(c -> c.<List<Object>>eval(script, ScriptOutputType.MULTI, keys, argv));
  }

  /**
   * Runs a script for a request and waits for it at most the command timeout (plus a little for the hand-over).
   * When such a wait times out, the waits after it are skipped (empty at once) for {@link #QUIET_AFTER_TIMEOUT} or
   * until Redis answers any command, whichever is first.
   *
   * @return its result, or empty if Redis did not answer in time, refused, or is not usable
   */
  Optional<List<Object>> awaitScript(String script, String[] keys, Object... args) {
    if (!active() || (quiet && System.nanoTime() - quietUntil < 0)) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(script(script, keys, args).get(timeout.plus(HAND_OVER).toMillis(),
          TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (TimeoutException e) {
      timedOutWaiting();
      return Optional.empty();
    } catch (ExecutionException e) {
      if (unwrap(e) instanceof RedisCommandTimeoutException) {
        timedOutWaiting();
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private void timedOutWaiting() {
    waitsTimedOut.increment();
    quietUntil = System.nanoTime() + QUIET_AFTER_TIMEOUT.toNanos();
    quiet = true;
  }

  /** @return waits of requests for Redis that timed out */
  long waitsTimedOut() {
    return waitsTimedOut.sum();
  }

  /** @return the fleet's own breaker around Redis */
  CircuitBreaker breaker() {
    return breaker;
  }

  /** @return Redis commands that failed (timed out, refused while disconnected, errors), not those the breaker held */
  long errors() {
    return errors.sum();
  }

  /** @return the command timeout */
  Duration timeout() {
    return timeout;
  }

  /** The URL without its user-info, for logs. */
  String shown() {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "")
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }

  /** Runs {@code r} on the fleet's thread. */
  void submitToFleet(Runnable r) {
    submit(r);
  }

  /** Hands a message to the fleet's thread, unless the inbox is full or the message too long for a fleet message. */
  private void received(String message) {
    if (message.length() > MAX_MESSAGE_CHARS || inbox.incrementAndGet() > INBOX) {
      if (message.length() <= MAX_MESSAGE_CHARS) {
        inbox.decrementAndGet();
      }
      messagesDropped.increment();
      if (warnedDropped.compareAndSet(false, true)) {
        LOG.warn("fleet: dropped a message on the channel ({} characters, {} waiting; further ones are counted in "
            + "fleet_messages_dropped_total, not logged)", message.length(), inbox.get());
      }
      return;
    }
    boolean handed = submit(() -> {
      try {
        onMessage.accept(message);
      } finally {
        inbox.decrementAndGet();
      }
    });
    if (!handed) {
      inbox.decrementAndGet();
    }
  }

  /** @return messages dropped: too long, or the inbox full */
  long messagesDropped() {
    return messagesDropped.sum();
  }

  private boolean submit(Runnable r) {
    if (closed.get()) {
      return false;
    }
    try {
      executor.execute(() -> {
        try {
          r.run();
        } catch (RuntimeException e) {
          LOG.warn("fleet: {}", e.toString(), e);
        }
      });
      return true;
    } catch (RuntimeException rejected) {
      return false; // the executor is shutting down
    }
  }


  static Throwable unwrap(Throwable e) {
    while ((e instanceof java.util.concurrent.CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing a half-made connection
      }
    }
  }

  /** Closes both connections and Lettuce's threads. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      closeQuietly(pubsub);
      closeQuietly(commands);
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }
}
