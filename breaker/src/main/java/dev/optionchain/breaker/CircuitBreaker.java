package dev.optionchain.breaker;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
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
 *   <li><b>CLOSED</b>: calls pass. The {@link TripPolicy} decides when the breaker opens: after a number of
 *       consecutive failures, or when the failure (or slow-call) rate over a window of this CLOSED period's calls
 *       reaches a threshold.
 *   <li><b>OPEN</b>: calls are rejected at once with {@link CircuitBreakerOpenException}; the function is not invoked.
 *       Once the recovery timeout has elapsed on the breaker's clock (never before), the breaker is HALF_OPEN.
 *   <li><b>HALF_OPEN</b>: {@link CircuitBreakerConfig#trialCalls()} trial calls are admitted at once (default one), the
 *       rest rejected. {@link CircuitBreakerConfig#successesToClose()} successes close the breaker; any failure, or a
 *       trial still running after {@link CircuitBreakerConfig#halfOpenMaxDuration()}, re-opens it.
 * </ul>
 *
 * <p>An outcome counts only toward the period (one stay in one state) in which its call was admitted: a call admitted
 * while CLOSED that completes after the breaker opened changes nothing but the lifetime totals.
 *
 * <h2>Events, and what happens without a call</h2>
 * The breaker has no thread. A transition that is due by time alone (OPEN to HALF_OPEN, or an overdue trial) is made by
 * the next call, or outcome, that needs it, and dated when it was due; until then {@link #getState()},
 * {@link #getStatus()} and {@link #snapshot()} report the state as due without making the transition, and never run a
 * listener. Transitions are logged through {@link System.Logger} and delivered to {@link #onStateTransition listeners}
 * once, in order, outside any lock, on the thread that made them.
 *
 * <h2>Thread-safety and cost</h2>
 * All methods are thread-safe and no call path takes a lock. A CLOSED call reads the state, compares two fields, runs
 * the function and increments a striped counter: no allocation, no clock read, and the same cost whether one or
 * a million threads have called. With N threads, at most {@code failureThreshold + N - 1} calls start before
 * rejections begin, and HALF_OPEN admits exactly {@code trialCalls} calls at a time.
 */
public final class CircuitBreaker extends BreakerCore {

  private CircuitBreaker(String name, CircuitBreakerConfig config) {
    super(name, config);
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
    Period p = admit();
    long start = startTime();
    T value;
    try {
      value = fn.get();
    } catch (Throwable t) {
      onError(p, t, start);
      throw t;
    }
    onValue(p, value, start);
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
   * @throws NullPointerException if {@code fn} or {@code fallback} is null
   */
  public <T> T call(Supplier<? extends T> fn, Function<? super RuntimeException, ? extends T> fallback) {
    Objects.requireNonNull(fn, "fn"); // before the try: a programming error is not the fallback's to handle
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
    Period p = admit();
    long start = startTime();
    T value;
    try {
      value = fn.call();
    } catch (Throwable t) {
      onError(p, t, start);
      throw t;
    }
    onValue(p, value, start);
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
    Period p = admit();
    long start = startTime();
    try {
      fn.run();
    } catch (Throwable t) {
      onError(p, t, start);
      throw t;
    }
    onValue(p, null, start);
  }

  /**
   * Calls an asynchronous function if the breaker admits it; the outcome is recorded when its stage completes, before
   * the returned future completes.
   *
   * <p>A rejection is returned as a future failed with {@link CircuitBreakerOpenException} (never thrown), and
   * {@code fn} is not invoked. If {@code fn} throws an exception instead of returning a stage (even a checked one it
   * does not declare), that counts as a failure and is returned as a failed future; an {@link Error} is recorded too,
   * and thrown. The returned future completes with the stage's value, or exceptionally with the
   * stage's exception unwrapped from any {@link java.util.concurrent.CompletionException}.
   *
   * <p>Cancelling the returned future gives the admission back at once (a HALF_OPEN trial permit is released), counts
   * the call as {@link CircuitBreakerConfig#cancellationPolicy()} says (ignored by default), and cancels the stage
   * when it supports it ({@link CompletionStage#toCompletableFuture()}); the stage's own outcome no longer counts.
   *
   * @param fn supplies the stage of the protected call
   * @param <T> the value's type
   * @return a future of the stage's outcome
   */
  public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> fn) {
    Objects.requireNonNull(fn, "fn");
    return AsyncCall.start(this, fn);
  }

  // ------------------------------------------------------------------------------------------------ control

  /**
   * Returns the breaker to CLOSED with a failure count of 0 and zeroes the call counts; ends a forced open. Delivers a
   * transition (reason {@code "reset"}) unless the breaker was already CLOSED.
   */
  public void reset() {
    Control.reset(this);
  }

  /**
   * Opens the breaker until {@link #reset()}, e.g. to isolate a dependency under maintenance. The status shows
   * {@code forcedOpen}; rejections report the recovery timeout as their retry-after hint. Calling it on a breaker
   * already forced open has no effect.
   */
  public void forceOpen() {
    Control.forceOpen(this);
  }

  /**
   * Adopts an OPEN decision made elsewhere, e.g. by another instance of a fleet: the breaker is OPEN for
   * {@code openFor} from now, then recovers as usual. The transition is delivered like any other, with
   * {@link StateTransition#origin()} = {@code origin}, so that whoever shares decisions can tell it was adopted and
   * not re-publish it. Counts, failure count and backoff are kept. A breaker {@linkplain #forceOpen() forced open}
   * stays so (nothing happens, nothing is delivered): only {@link #reset()} ends a forced open. Costs the CLOSED path
   * nothing.
   *
   * @param openFor the remaining open time, positive (cut to 73 years)
   * @param origin where the decision came from, e.g. an instance id; not blank
   * @param reason why, for the event and the log; not blank
   * @throws IllegalArgumentException if an argument is null, blank or not positive
   */
  public void adoptOpen(Duration openFor, String origin, String reason) {
    Control.adoptOpen(this, openFor, origin, reason);
  }

  /**
   * Adopts a CLOSED decision made elsewhere (e.g. another instance's successful trial): the breaker is CLOSED with a
   * failure count of 0, as after a successful recovery but without ramp-up. The transition carries {@code origin}
   * like {@link #adoptOpen}'s. A breaker forced open stays so.
   *
   * @param origin where the decision came from; not blank
   * @param reason why; not blank
   * @throws IllegalArgumentException if an argument is null or blank
   */
  public void adoptClosed(String origin, String reason) {
    Control.adoptClosed(this, origin, reason);
  }

  /**
   * Puts the breaker into the state a snapshot describes, typically one taken by an earlier process. An OPEN snapshot
   * keeps its remaining open time, measured on the wall clock from {@link CircuitBreakerSnapshot#stateSince()}; if that
   * time has passed, the breaker reports HALF_OPEN at once. A HALF_OPEN snapshot restores HALF_OPEN with no trial in
   * flight; a CLOSED one restores its failure count (below the threshold). Delivers a transition with reason
   * {@code "restored from snapshot"} when the state changes. Call counts are not restored. Any valid snapshot is
   * restored: times and counts beyond what the breaker can represent saturate (an open time of more than 73 years,
   * an instant billions of years away, {@link Integer#MAX_VALUE} failed recoveries).
   *
   * @param snapshot a snapshot of a breaker with the same name
   * @throws IllegalArgumentException if the snapshot is of another breaker
   */
  public void restore(CircuitBreakerSnapshot snapshot) {
    Control.restore(this, snapshot);
  }

  // ------------------------------------------------------------------------------------------------ reading

  /**
   * Returns the state as due now: HALF_OPEN from the moment an OPEN breaker's recovery timeout has elapsed (OPEN
   * until the gate lets a trial through, with a {@link TrialGate}), OPEN once a trial has outlived the maximum
   * HALF_OPEN duration. Makes no transition and runs no listener.
   *
   * @return the current state
   */
  public CircuitBreakerState getState() {
    return view(readerNanos()).kind;
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
   * Returns a snapshot of the breaker's state and counts, as due now (see {@link #getState()}); each figure is exact,
   * figures read while calls complete on other threads may be a few calls apart. Makes no transition and runs no
   * listener.
   *
   * @return the status
   */
  public CircuitBreakerStatus getStatus() {
    return Reading.status(this);
  }

  /**
   * Returns the calls seen since the breaker was created, by outcome; never reset, unlike the counts of
   * {@link #getStatus()}. Costs a pass over the striped counters, no lock.
   *
   * @return the totals
   */
  public CallTotals callTotals() {
    long[] s = totals.sums();
    return new CallTotals(s[Outcomes.SUCCESS], s[Outcomes.FAILURE], s[Outcomes.REJECTED], s[Outcomes.IGNORED],
        s[Outcomes.SLOW]);
  }

  /**
   * Captures the breaker's state for persistence, as due now: the state, when it was entered, the failure count, the
   * open time and the number of failed recoveries behind it. Makes no transition and runs no listener.
   *
   * @return an immutable snapshot
   */
  public CircuitBreakerSnapshot snapshot() {
    return Reading.snapshot(this);
  }

  /**
   * Subscribes to state transitions. Each transition is delivered once, in the order the transitions happened, after
   * the new state is in force, on the thread that made it (a call, an outcome, {@link #reset()} ...; never a reader),
   * outside any lock: a slow listener delays only the thread delivering to it, never other calls. An OPEN -> HALF_OPEN
   * transition is made, and delivered, by the first call after the recovery timeout (dated when the timeout elapsed).
   * A listener may call this breaker's methods, including ones that cause further transitions: those are delivered
   * after the current one. Whatever a listener throws (except a {@link VirtualMachineError}) is logged at WARNING and
   * contained: the caller, the outcome and the later listeners are not affected.
   *
   * @param listener receives each transition once, in order
   * @return a subscription whose {@link Subscription#close()} stops delivery
   */
  public Subscription onStateTransition(Consumer<StateTransition> listener) {
    return delivery.subscribe(listener);
  }

  @Override
  public String toString() {
    return "CircuitBreaker[" + name + ", " + getState() + "]";
  }

}
