package dev.optionchain.breaker;

import dev.optionchain.breaker.BreakerState.Closed;
import dev.optionchain.breaker.BreakerState.HalfOpen;
import dev.optionchain.breaker.BreakerState.Open;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A named circuit breaker: runs calls to an unreliable dependency, counts their outcomes, and stops calling it while it
 * is failing.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.of("options_chain", 3, Duration.ofSeconds(90));
 * try {
 *   Chain chain = breaker.call(() -> upstream.chain(symbol, expiration));
 * } catch (CircuitBreakerOpenException open) {
 *   // not called: serve the cache, or tell the client to retry after open.retryAfter()
 * }
 * }</pre>
 *
 * <h2>States</h2>
 * <ul>
 *   <li><b>CLOSED</b>: calls pass. Each failure adds one to the consecutive-failure count and a success sets it to 0;
 *       at {@link CircuitBreakerConfig#failureThreshold()} consecutive failures the breaker opens. In rate mode it opens
 *       instead when the failure rate (or slow-call rate) over the sliding window reaches its threshold.
 *   <li><b>OPEN</b>: calls are rejected at once with {@link CircuitBreakerOpenException}; the function is not invoked.
 *       From the moment the recovery timeout has elapsed the breaker is HALF_OPEN, as every query reports.
 *   <li><b>HALF_OPEN</b>: {@link CircuitBreakerConfig#trialCalls()} trial calls are admitted at once (default one), the
 *       rest rejected. {@link CircuitBreakerConfig#successesToClose()} successes close the breaker (count 0); any
 *       failure re-opens it with the timer restarted (and grown, with a recovery backoff).
 * </ul>
 *
 * <p>A failure is any exception thrown by the function (or a failed stage from {@link #callAsync}) selected by the
 * configured predicates, a returned value selected by {@link CircuitBreakerConfig#recordResults()}, or a slow call.
 * Exceptions reach the caller unchanged (same instance) and values pass through. An outcome counts only toward the
 * state period in which its call was admitted: a call admitted while CLOSED that completes after the breaker opened
 * cannot affect the OPEN or any later period.
 *
 * <h2>Events and logging</h2>
 * Every transition is logged through {@link System.Logger} (logger name {@code dev.optionchain.breaker.CircuitBreaker};
 * ERROR when opening, INFO otherwise) with its UTC timestamp, the breaker's name, the states and the reason, and is
 * delivered to the {@link #onStateTransition listeners} synchronously, on the thread that caused it, once, in the order
 * the transitions happened, after the new state is in force. A listener that throws is logged and skipped.
 *
 * <h2>Thread-safety and cost</h2>
 * All methods are thread-safe. Admitting and recording a call takes no lock: a CLOSED call reads the state and bumps a
 * counter owned by the calling thread, allocating nothing. Transitions, listener delivery and rate-window evaluation
 * (on failures only) take short locks. With N threads, at most {@code failureThreshold + N - 1} calls start before
 * rejections begin, and HALF_OPEN admits exactly {@code trialCalls} calls at a time.
 */
public final class CircuitBreaker {

  private static final System.Logger LOG = System.getLogger(CircuitBreaker.class.getName());
  /** Writes {@link #lastFailureTicks} without a fence: it is read only by status queries. */
  private static final VarHandle LAST_FAILURE;

  static {
    try {
      LAST_FAILURE = MethodHandles.lookup().findVarHandle(CircuitBreaker.class, "lastFailureTicks", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final int SUCCESS = 0;
  private static final int FAILURE = 1;
  private static final int IGNORED = 2;

  private final String name;
  private final CircuitBreakerConfig config;
  private final BreakerClock clock;
  /** Decisions use the system clock's coarse reading. */
  private final boolean coarse;
  /** Calls are timed for slow-call detection. */
  private final boolean timed;
  private final long slowNanos;
  /** Slow calls are tracked on their own rate instead of counting as failures. */
  private final boolean slowTracked;
  /** A CLOSED success needs nothing but counting: no timing, no result predicate. */
  private final boolean plainSuccess;
  /** Rate mode over a time window: a CLOSED success also moves the window to the current bucket. */
  private final boolean timeWindowed;
  private final boolean rateBased;
  private final int failureThreshold;
  private final long recoveryNanos;
  private final long maxRecoveryNanos;
  private final long rampNanos;

  private final CallCounters counters = new CallCounters();
  private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
  private final ReentrantLock transitionLock = new ReentrantLock();
  /** Transitions not yet delivered to listeners, in order; guarded by transitionLock. */
  private final ArrayDeque<StateTransition> undelivered = new ArrayDeque<>();
  /** Whether a delivery loop is running on the lock-holding thread; guarded by transitionLock. */
  private boolean delivering;

  private volatile BreakerState state;
  /** Counter sums at the last reset; status figures are "since reset". */
  private volatile long[] baseline = new long[CallCounters.KINDS];
  private volatile long lastFailureTicks;
  private volatile boolean failedSinceReset;

  private CircuitBreaker(String name, CircuitBreakerConfig config) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be null or blank, was " + (name == null ? null : "'" + name
          + "'"));
    }
    if (config == null) {
      throw new IllegalArgumentException("config must not be null, was null");
    }
    this.name = name;
    this.config = config;
    this.clock = config.clock();
    this.coarse = clock == SystemClock.INSTANCE;
    this.timed = config.slowCallDuration().isPresent();
    this.slowNanos = config.slowCallDuration().map(Duration::toNanos).orElse(Long.MAX_VALUE);
    this.slowTracked = config.slowCallRateThreshold().isPresent();
    this.rateBased = config.isRateBased();
    this.plainSuccess = !timed && !config.hasResultPredicate();
    this.timeWindowed = rateBased && config.slidingWindow() instanceof SlidingWindow.Time;
    this.failureThreshold = config.failureThreshold();
    this.recoveryNanos = config.recoveryTimeout().toNanos();
    this.maxRecoveryNanos = config.maxRecoveryTimeout().toNanos();
    this.rampNanos = config.rampUp().toNanos();
    long now = ticks();
    BreakerState initial = newClosed(now, 0, 0L, 0);
    initial.enteredAt = clock.now();
    this.state = initial;
    if (LOG.isLoggable(Level.DEBUG)) {
      LOG.log(Level.DEBUG, initial.enteredAt + " CircuitBreaker '" + name + "' initialized: " + config);
    }
  }

  /**
   * Creates a breaker with the default configuration: 5 consecutive failures, 60 s recovery timeout.
   *
   * @param name the breaker's name, not blank
   * @return a new CLOSED breaker
   * @throws IllegalArgumentException if {@code name} is null or blank
   */
  public static CircuitBreaker of(String name) {
    return new CircuitBreaker(name, CircuitBreakerConfig.defaults());
  }

  /**
   * Creates a breaker that trips after {@code failureThreshold} consecutive failures and tries again after
   * {@code recoveryTimeout}.
   *
   * @param name the breaker's name, not blank
   * @param failureThreshold at least 1
   * @param recoveryTimeout positive
   * @return a new CLOSED breaker
   * @throws IllegalArgumentException if an argument is invalid
   */
  public static CircuitBreaker of(String name, int failureThreshold, Duration recoveryTimeout) {
    return new CircuitBreaker(name, CircuitBreakerConfig.builder()
        .failureThreshold(failureThreshold)
        .recoveryTimeout(recoveryTimeout)
        .build());
  }

  /**
   * Creates a breaker with the given configuration.
   *
   * @param name the breaker's name, not blank
   * @param config the configuration, shared freely between breakers
   * @return a new CLOSED breaker
   * @throws IllegalArgumentException if {@code name} is null or blank or {@code config} is null
   */
  public static CircuitBreaker of(String name, CircuitBreakerConfig config) {
    return new CircuitBreaker(name, config);
  }

  // ------------------------------------------------------------------------------------------------ calls

  /**
   * Calls {@code fn} if the breaker admits it and returns its value.
   *
   * @param fn the protected function
   * @param <T> the value's type
   * @return what {@code fn} returned, unchanged
   * @throws CircuitBreakerOpenException if the call is rejected; {@code fn} was not invoked
   * @throws RuntimeException whatever {@code fn} threw, unchanged
   */
  public <T> T call(Supplier<? extends T> fn) {
    Objects.requireNonNull(fn, "fn");
    BreakerState s = acquire();
    long start = timed ? clock.nanoTime() : 0L;
    T value;
    try {
      value = fn.get();
    } catch (Throwable t) {
      onError(s, t, start);
      throw t;
    }
    onValue(s, value, start);
    return value;
  }

  /**
   * Calls {@code fn} if the breaker admits it; otherwise, or if {@code fn} throws, returns what {@code fallback} makes
   * of the exception ({@link CircuitBreakerOpenException} when rejected). Errors are not passed to the fallback.
   *
   * @param fn the protected function
   * @param fallback receives the rejection or the exception {@code fn} threw
   * @param <T> the value's type
   * @return the value of {@code fn} or of {@code fallback}
   */
  public <T> T call(Supplier<? extends T> fn, Function<? super RuntimeException, ? extends T> fallback) {
    Objects.requireNonNull(fallback, "fallback");
    try {
      return call(fn);
    } catch (RuntimeException e) {
      return fallback.apply(e);
    }
  }

  /**
   * Like {@link #call(Supplier)} for a function that throws checked exceptions.
   *
   * @param fn the protected function
   * @param <T> the value's type
   * @return what {@code fn} returned
   * @throws CircuitBreakerOpenException if the call is rejected
   * @throws Exception whatever {@code fn} threw, unchanged
   */
  public <T> T callChecked(Callable<? extends T> fn) throws Exception {
    Objects.requireNonNull(fn, "fn");
    BreakerState s = acquire();
    long start = timed ? clock.nanoTime() : 0L;
    T value;
    try {
      value = fn.call();
    } catch (Throwable t) {
      onError(s, t, start);
      throw t;
    }
    onValue(s, value, start);
    return value;
  }

  /**
   * Like {@link #call(Supplier)} for a function without a value.
   *
   * @param fn the protected function
   * @throws CircuitBreakerOpenException if the call is rejected
   * @throws RuntimeException whatever {@code fn} threw, unchanged
   */
  public void run(Runnable fn) {
    Objects.requireNonNull(fn, "fn");
    BreakerState s = acquire();
    long start = timed ? clock.nanoTime() : 0L;
    try {
      fn.run();
    } catch (Throwable t) {
      onError(s, t, start);
      throw t;
    }
    onValue(s, null, start);
  }

  /**
   * Calls an asynchronous function if the breaker admits it; the outcome is recorded when its stage completes, before
   * the returned future completes.
   *
   * <p>A rejection is returned as a future failed with {@link CircuitBreakerOpenException} (never thrown), and
   * {@code fn} is not invoked. If {@code fn} throws instead of returning a stage, that counts as a failure and is
   * returned as a failed future. The returned future completes with the stage's value, or exceptionally with the
   * stage's exception unwrapped from any {@link CompletionException}.
   *
   * @param fn supplies the stage of the protected call
   * @param <T> the value's type
   * @return a future of the stage's outcome
   */
  public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> fn) {
    Objects.requireNonNull(fn, "fn");
    BreakerState s;
    try {
      s = acquire();
    } catch (CircuitBreakerOpenException rejected) {
      return CompletableFuture.failedFuture(rejected);
    }
    long start = timed ? clock.nanoTime() : 0L;
    CompletionStage<T> stage;
    try {
      stage = Objects.requireNonNull(fn.get(), "callAsync: fn returned null instead of a stage");
    } catch (RuntimeException e) {
      onError(s, e, start);
      return CompletableFuture.failedFuture(e);
    } catch (Error e) {
      onError(s, e, start);
      throw e;
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    stage.whenComplete((value, error) -> {
      if (error == null) {
        try {
          onValue(s, value, start);
        } finally {
          result.complete(value);
        }
      } else {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        try {
          onError(s, cause, start);
        } finally {
          result.completeExceptionally(cause);
        }
      }
    });
    return result;
  }

  // ------------------------------------------------------------------------------------------------ admission

  /** Returns the period admitting a call, or throws the rejection. Lock-free. */
  private BreakerState acquire() {
    BreakerState s = state;
    if (s.consecutiveFailures < s.admitLimit) {
      return s;
    }
    return acquireGated(s);
  }

  private BreakerState acquireGated(BreakerState s) {
    for (;;) {
      switch (s.kind) {
        case CLOSED: {
          Closed c = (Closed) s;
          long now = ticks();
          if (c.tripping()) {
            // the failure that reached the threshold is being turned into OPEN by its thread; make sure it happens
            tripIf(c, consecutiveFailures(c.consecutiveFailures), now);
            break;
          }
          if (c.rampAdmits(now)) {
            return c;
          }
          throw rejected(CircuitBreakerState.CLOSED, c.rampRetryAfter(now));
        }
        case OPEN: {
          Open o = (Open) s;
          if (o.forced) {
            throw rejected(CircuitBreakerState.OPEN, recoveryNanos);
          }
          long left = o.remaining(ticks());
          if (left > 0) {
            throw rejected(CircuitBreakerState.OPEN, left);
          }
          toHalfOpen(o);
          break;
        }
        default: {
          HalfOpen h = (HalfOpen) s;
          if (h.tryAcquire(config.trialCalls())) {
            return h;
          }
          throw rejected(CircuitBreakerState.HALF_OPEN, 0L);
        }
      }
      s = state;
    }
  }

  private CircuitBreakerOpenException rejected(CircuitBreakerState in, long retryAfterNanos) {
    counters.rejection();
    return new CircuitBreakerOpenException(name, in, retryAfterNanos);
  }

  // ------------------------------------------------------------------------------------------------ outcomes

  private void onValue(BreakerState s, Object value, long start) {
    if (plainSuccess && s.kind == CircuitBreakerState.CLOSED) {
      Closed c = (Closed) s;
      if (timeWindowed) {
        c.window.beforeCount(ticks());
      }
      counters.success();
      c.clearFailures();
      return;
    }
    boolean slow = timed && clock.nanoTime() - start >= slowNanos;
    int outcome = config.hasResultPredicate() && test(config.recordResults(), value, "recordResults") ? FAILURE
        : SUCCESS;
    record(s, outcome, slow);
  }

  private void onError(BreakerState s, Throwable error, long start) {
    boolean slow = timed && clock.nanoTime() - start >= slowNanos;
    int outcome;
    if (!config.hasExceptionPredicates()) {
      outcome = FAILURE;
    } else if (test(config.ignoreExceptions(), error, "ignoreExceptions")) {
      outcome = IGNORED;
    } else {
      outcome = test(config.recordExceptions(), error, "recordExceptions") ? FAILURE : SUCCESS;
    }
    record(s, outcome, slow);
  }

  /** Evaluates a user predicate; one that throws is logged and taken as true (the outcome is recorded). */
  private <V> boolean test(Predicate<? super V> predicate, V value, String which) {
    try {
      return predicate.test(value);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "CircuitBreaker '" + name + "': " + which + " predicate threw; treating as true", e);
      return true;
    }
  }

  /** Records an outcome that is not a plain CLOSED success; split so that each part stays small enough to inline. */
  private void record(BreakerState s, int outcome, boolean slow) {
    if (slow && !slowTracked && outcome == SUCCESS) {
      outcome = FAILURE;
    }
    long now = ticks();
    if (s.kind == CircuitBreakerState.CLOSED && timeWindowed) {
      ((Closed) s).window.beforeCount(now);
    }
    if (slow) {
      counters.slow();
    }
    if (outcome == SUCCESS) {
      recordSuccess(s, slow, now);
    } else if (outcome == FAILURE) {
      recordFailure(s, slow, now);
    } else {
      counters.ignored();
      if (s.kind == CircuitBreakerState.HALF_OPEN) {
        ((HalfOpen) s).release();
      }
    }
  }

  private void recordSuccess(BreakerState s, boolean slow, long now) {
    counters.success();
    if (s.kind == CircuitBreakerState.CLOSED) {
      Closed closed = (Closed) s;
      closed.clearFailures();
      if (slow && slowTracked) {
        tripIf(closed, closed.window.onBadOutcome(false, true, now), now);
      }
    } else if (s.kind == CircuitBreakerState.HALF_OPEN) {
      HalfOpen h = (HalfOpen) s;
      int successes = h.succeed();
      if (successes >= config.successesToClose()) {
        String reason = successes == 1 ? "trial call succeeded" : successes + " trial calls succeeded";
        transition(h, newClosed(now, 0, rampNanos, h.failedRecoveries), reason);
      }
    }
  }

  private void recordFailure(BreakerState s, boolean slow, long now) {
    counters.failure();
    LAST_FAILURE.setRelease(this, now);
    if (!failedSinceReset) {
      failedSinceReset = true;
    }
    if (s.kind == CircuitBreakerState.CLOSED) {
      Closed closed = (Closed) s;
      int consecutive = closed.addFailure();
      String reason;
      if (rateBased) {
        reason = closed.window.onBadOutcome(true, slow, now);
      } else {
        reason = consecutive >= failureThreshold ? consecutiveFailures(consecutive) : null;
      }
      tripIf(closed, reason, now);
    } else if (s.kind == CircuitBreakerState.HALF_OPEN) {
      HalfOpen h = (HalfOpen) s;
      int recoveries = h.failedRecoveries + 1;
      transition(h, new Open(now, openNanos(recoveries), h.consecutiveFailures + 1, recoveries, false),
          "trial call failed");
    }
  }

  private void tripIf(Closed c, String reason, long now) {
    if (reason == null) {
      return;
    }
    boolean ramping = c.ramping();
    int recoveries = ramping ? c.failedRecoveries + 1 : 0;
    transition(c, new Open(now, openNanos(recoveries), c.consecutiveFailures, recoveries, false),
        ramping ? reason + " during ramp-up" : reason);
  }

  private static String consecutiveFailures(int n) {
    return n == 1 ? "1 consecutive failure" : n + " consecutive failures";
  }

  /** Open time after {@code failedRecoveries} failed recoveries in a row: the recovery timeout grown by the backoff. */
  private long openNanos(int failedRecoveries) {
    if (failedRecoveries == 0 || config.backoffMultiplier() == 1.0) {
      return recoveryNanos;
    }
    double grown = recoveryNanos * Math.pow(config.backoffMultiplier(), failedRecoveries);
    return grown >= maxRecoveryNanos ? maxRecoveryNanos : (long) grown;
  }

  private Closed newClosed(long now, int consecutiveFailures, long rampNanos, int failedRecoveries) {
    RateWindow window = rateBased ? RateWindow.create(counters, config, now) : null;
    int tripAt = rateBased ? Integer.MAX_VALUE : failureThreshold;
    return new Closed(now, consecutiveFailures, tripAt, window, rampNanos, failedRecoveries);
  }

  /**
   * Moves an OPEN period whose recovery timeout has elapsed to HALF_OPEN, dated when the timeout elapsed rather than
   * when someone noticed: that is when the breaker became HALF_OPEN.
   */
  private void toHalfOpen(Open o) {
    transition(o, new HalfOpen(o.openUntil, o.consecutiveFailures, o.failedRecoveries), "recovery timeout elapsed",
        o.enteredAt.plusNanos(o.openNanos));
  }

  /** Decision time: the coarse reading for the system clock, otherwise the configured clock. */
  private long ticks() {
    return coarse ? SystemClock.coarseNanoTime() : clock.nanoTime();
  }

  // ------------------------------------------------------------------------------------------------ transitions

  /**
   * Replaces {@code from} (or, if null, whatever is current) by {@code to}, logs the change and delivers it to the
   * listeners, in order, on this thread. A transition whose {@code from} is no longer current is dropped: another
   * thread got there first, or the outcome belongs to a period that has ended.
   *
   * @return whether the transition happened
   */
  private boolean transition(BreakerState from, BreakerState to, String reason) {
    return transition(from, to, reason, null);
  }

  /** As {@link #transition(BreakerState, BreakerState, String)}, dated {@code at} (null: now). */
  private boolean transition(BreakerState from, BreakerState to, String reason, Instant at) {
    transitionLock.lock();
    try {
      BreakerState previous = state;
      if (from != null && previous != from) {
        return false;
      }
      if (at == null) {
        at = clock.now();
      }
      if (to.enteredAt == null) {
        to.enteredAt = at;
      }
      state = to;
      if (previous.kind == to.kind) {
        log(Level.INFO, at + " CircuitBreaker '" + name + "' " + to.kind + " (" + reason + ")");
        return true;
      }
      StateTransition event = new StateTransition(name, previous.kind, to.kind, at, reason);
      log(to.kind == CircuitBreakerState.OPEN ? Level.ERROR : Level.INFO,
          at + " CircuitBreaker '" + name + "' transitioning " + previous.kind + " -> " + to.kind + " (" + reason
              + ")");
      if (!listeners.isEmpty()) {
        undelivered.add(event);
        if (!delivering) {
          deliver();
        }
      }
      return true;
    } finally {
      transitionLock.unlock();
    }
  }

  /** Delivers queued transitions in order; transitions caused by a listener are queued and delivered after. */
  private void deliver() {
    delivering = true;
    try {
      StateTransition event;
      while ((event = undelivered.poll()) != null) {
        for (Listener listener : listeners) {
          listener.accept(event);
        }
      }
    } finally {
      delivering = false;
    }
  }

  private static void log(Level level, String message) {
    if (LOG.isLoggable(level)) {
      LOG.log(level, message);
    }
  }

  // ------------------------------------------------------------------------------------------------ control

  /** Returns the current period, first moving an OPEN breaker whose recovery timeout has elapsed to HALF_OPEN. */
  private BreakerState current() {
    BreakerState s = state;
    if (s.kind == CircuitBreakerState.OPEN) {
      Open o = (Open) s;
      if (!o.forced && o.remaining(ticks()) <= 0) {
        toHalfOpen(o);
        return state;
      }
    }
    return s;
  }

  /**
   * Returns the breaker to CLOSED with a failure count of 0 and zeroes the call counts; ends a forced open. Delivers a
   * transition (reason {@code "reset"}) unless the breaker was already CLOSED.
   */
  public void reset() {
    transitionLock.lock();
    try {
      long now = ticks();
      baseline = counters.sums();
      failedSinceReset = false;
      transition(null, newClosed(now, 0, 0L, 0), "reset");
    } finally {
      transitionLock.unlock();
    }
  }

  /**
   * Opens the breaker until {@link #reset()}, e.g. to isolate a dependency under maintenance. The status shows
   * {@code forcedOpen}; rejections report the recovery timeout as their retry-after hint. Calling it on a breaker
   * already forced open has no effect.
   */
  public void forceOpen() {
    transitionLock.lock();
    try {
      BreakerState s = current();
      if (s instanceof Open && ((Open) s).forced) {
        return;
      }
      transition(s, new Open(ticks(), recoveryNanos, s.consecutiveFailures, 0, true), "forced open");
    } finally {
      transitionLock.unlock();
    }
  }

  /**
   * Returns the state, reporting HALF_OPEN from the moment an OPEN breaker's recovery timeout has elapsed.
   *
   * @return the current state
   */
  public CircuitBreakerState getState() {
    return current().kind;
  }

  /**
   * Returns whether the breaker is OPEN (rejecting calls).
   *
   * @return whether {@link #getState()} is OPEN
   */
  public boolean isOpen() {
    return getState() == CircuitBreakerState.OPEN;
  }

  /**
   * Returns whether the breaker is HALF_OPEN (admitting trial calls).
   *
   * @return whether {@link #getState()} is HALF_OPEN
   */
  public boolean isHalfOpen() {
    return getState() == CircuitBreakerState.HALF_OPEN;
  }

  /**
   * Returns whether the breaker is CLOSED (admitting calls).
   *
   * @return whether {@link #getState()} is CLOSED
   */
  public boolean isClosed() {
    return getState() == CircuitBreakerState.CLOSED;
  }

  /**
   * Returns the breaker's name.
   *
   * @return the name given at creation
   */
  public String getName() {
    return name;
  }

  /**
   * Returns the breaker's configuration.
   *
   * @return the immutable configuration
   */
  public CircuitBreakerConfig getConfig() {
    return config;
  }

  /**
   * Returns a consistent-enough snapshot of the breaker's state and counts (each figure is exact; figures read while
   * calls complete on other threads may be a few calls apart).
   *
   * @return the status
   */
  public CircuitBreakerStatus getStatus() {
    BreakerState s = current();
    long now = ticks();
    Instant wall = clock.now();
    long[] sums = counters.sums();
    long[] base = baseline;
    Optional<Instant> retryAt = Optional.empty();
    boolean forced = false;
    long openNanos;
    OptionalDouble failureRate = OptionalDouble.empty();
    OptionalDouble slowRate = OptionalDouble.empty();
    double share = 1.0;
    if (s instanceof Open) {
      Open o = (Open) s;
      forced = o.forced;
      openNanos = o.openNanos;
      if (!forced) {
        retryAt = Optional.of(wall.plusNanos(Math.max(0L, o.remaining(now))));
      }
    } else if (s instanceof Closed) {
      Closed c = (Closed) s;
      openNanos = openNanos(c.ramping() ? c.failedRecoveries + 1 : 0);
      share = c.share(now);
      if (c.window != null) {
        long[] w = c.window.contents(now);
        if (w[0] > 0) {
          failureRate = OptionalDouble.of(RateWindow.percent(w[1], w[0]));
          if (c.window.tracksSlowCalls()) {
            slowRate = OptionalDouble.of(RateWindow.percent(w[2], w[0]));
          }
        }
      }
    } else {
      openNanos = openNanos(s.failedRecoveries + 1);
    }
    Optional<Instant> lastFailure = failedSinceReset
        ? Optional.of(wall.minusNanos(Math.max(0L, now - lastFailureTicks)))
        : Optional.empty();
    return new CircuitBreakerStatus(name, s.kind, s.consecutiveFailures, failureThreshold, config.recoveryTimeout(),
        lastFailure, s.enteredAt, retryAt,
        sums[CallCounters.SUCCESSES] - base[CallCounters.SUCCESSES],
        sums[CallCounters.FAILURES] - base[CallCounters.FAILURES],
        sums[CallCounters.REJECTIONS] - base[CallCounters.REJECTIONS],
        sums[CallCounters.IGNORED] - base[CallCounters.IGNORED],
        sums[CallCounters.SLOW] - base[CallCounters.SLOW],
        forced, Duration.ofNanos(openNanos), failureRate, config.failureRateThreshold(), slowRate, share);
  }

  /**
   * Returns the calls seen since the breaker was created, by outcome; never reset, unlike the counts of
   * {@link #getStatus()}. Each figure is exact; figures read while calls complete on other threads may be a few calls
   * apart. Costs a pass over the per-thread counters, no lock.
   *
   * @return the totals
   */
  public CallTotals callTotals() {
    long[] s = counters.sums();
    return new CallTotals(s[CallCounters.SUCCESSES], s[CallCounters.FAILURES], s[CallCounters.REJECTIONS],
        s[CallCounters.IGNORED], s[CallCounters.SLOW]);
  }

  /**
   * Subscribes to state transitions. The listener runs synchronously on the thread that caused each transition, under
   * the breaker's transition lock, so it must be quick and must not wait for other threads that use this breaker; hand
   * slow work (I/O, alerts) to an executor. It may call this breaker's methods, including ones that cause further
   * transitions: those are delivered after the current one.
   *
   * @param listener receives each transition once, in order
   * @return a subscription whose {@link Subscription#close()} stops delivery
   */
  public Subscription onStateTransition(Consumer<StateTransition> listener) {
    Objects.requireNonNull(listener, "listener");
    Listener l = new Listener(listener);
    listeners.add(l);
    return () -> {
      l.closed = true;
      transitionLock.lock();
      try {
        listeners.remove(l);
      } finally {
        transitionLock.unlock();
      }
    };
  }

  /**
   * Captures the breaker's state for persistence: the state, when it was entered, the failure count, the open time
   * and the number of failed recoveries behind it.
   *
   * @return an immutable snapshot
   */
  public CircuitBreakerSnapshot snapshot() {
    BreakerState s = current();
    long openNanos = s instanceof Open ? ((Open) s).openNanos : openNanos(s.failedRecoveries);
    Optional<Instant> lastFailure = Optional.empty();
    if (failedSinceReset) {
      lastFailure = Optional.of(clock.now().minusNanos(Math.max(0L, ticks() - lastFailureTicks)));
    }
    return new CircuitBreakerSnapshot(name, s.kind, s.enteredAt, s.consecutiveFailures, Duration.ofNanos(openNanos),
        s.failedRecoveries, s instanceof Open && ((Open) s).forced, lastFailure);
  }

  /**
   * Puts the breaker into the state a snapshot describes, typically one taken by an earlier process. An OPEN snapshot
   * keeps its remaining open time, measured on the wall clock from {@link CircuitBreakerSnapshot#stateSince()}; if that
   * time has passed, the breaker reports HALF_OPEN at once. A HALF_OPEN snapshot restores HALF_OPEN with no trial in
   * flight; a CLOSED one restores its failure count. Delivers a transition with reason
   * {@code "restored from snapshot"} when the state changes. Call counts are not restored.
   *
   * @param snapshot a snapshot of a breaker with the same name
   * @throws IllegalArgumentException if the snapshot is of another breaker
   */
  public void restore(CircuitBreakerSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    if (!snapshot.name().equals(name)) {
      throw new IllegalArgumentException(
          "snapshot is of breaker '" + snapshot.name() + "', not '" + name + "'");
    }
    long now = ticks();
    long elapsed = Math.max(0L, Duration.between(snapshot.stateSince(), clock.now()).toNanos());
    int failures = snapshot.failureCount();
    int recoveries = snapshot.failedRecoveries();
    BreakerState to;
    switch (snapshot.state()) {
      case OPEN:
        long openNanos = Math.min(snapshot.openDuration().toNanos(), Long.MAX_VALUE / 4);
        to = new Open(now - Math.min(elapsed, openNanos), openNanos, failures, recoveries, snapshot.forcedOpen());
        break;
      case HALF_OPEN:
        to = new HalfOpen(now, failures, recoveries);
        break;
      default:
        to = newClosed(now, Math.min(failures, rateBased ? Integer.MAX_VALUE : failureThreshold - 1), 0L, 0);
    }
    to.enteredAt = snapshot.stateSince();
    snapshot.lastFailureTime().ifPresent(t -> {
      lastFailureTicks = now - Math.max(0L, Duration.between(t, clock.now()).toNanos());
      failedSinceReset = true;
    });
    transition(null, to, "restored from snapshot");
  }

  @Override
  public String toString() {
    return "CircuitBreaker[" + name + ", " + getState() + "]";
  }

  /** Counter table size, for tests of thread retirement. */
  int counterCells() {
    return counters.cellCount();
  }

  /** A subscribed listener; contains its failures. */
  private final class Listener {
    private final Consumer<StateTransition> delegate;
    /** Set by {@link Subscription#close()}, so a delivery already iterating over this listener skips it. */
    volatile boolean closed;

    Listener(Consumer<StateTransition> delegate) {
      this.delegate = delegate;
    }

    void accept(StateTransition event) {
      if (closed) {
        return;
      }
      try {
        delegate.accept(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "CircuitBreaker '" + name + "': state-transition listener failed on " + event, e);
      }
    }
  }
}
