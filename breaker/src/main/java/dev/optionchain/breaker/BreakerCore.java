package dev.optionchain.breaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.Optional;

/**
 * The machinery of a {@link CircuitBreaker}: its current period, its counters, and the paths every call takes. The
 * whole CLOSED hot path is here, top to bottom: {@link #admit()} (one volatile read and one comparison), the call
 * (in {@code CircuitBreaker}), then {@link #onValue} (one striped counter increment and one read). Everything else is
 * a state's gated admission ({@link Period#admitGated}), {@link Outcomes}, {@link Delivery}, {@link Control} or
 * {@link Reading}.
 */
abstract class BreakerCore {

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(BreakerCore.class, "state", Period.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final String name;
  final CircuitBreakerConfig config;
  private final BreakerClock clock;
  /** Rejections decide on the coarse system clock. */
  private final boolean systemClock;
  final Rules rules;
  /** {@link Rules#plainSuccess} and {@link Rules#timed}, one load closer to the hot path. */
  private final boolean plainSuccess;
  private final boolean timed;
  /** Lifetime counts by {@link Outcomes} kind; "since reset" figures subtract {@link #baseline}. */
  final Counters totals = new Counters();
  final Delivery delivery;
  /** Failures of the predicates and the trial gate, reported without flooding the log. */
  final CallbackFailures callbackFailures;
  private volatile Period state;
  volatile long[] baseline = new long[Counters.KINDS];
  volatile long lastFailureNanos;
  volatile boolean failedSinceReset;

  BreakerCore(String name, CircuitBreakerConfig config) {
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
    this.systemClock = clock == SystemClock.INSTANCE;
    this.rules = new Rules(config);
    this.plainSuccess = rules.plainSuccess;
    this.timed = rules.timed;
    Period initial = ClosedPeriod.fresh(this, nanos(), wall(), null);
    this.state = initial;
    this.delivery = new Delivery(name, initial);
    this.callbackFailures = new CallbackFailures(name);
  }

  /** Returns the period admitting a call, or throws the rejection. CLOSED: one volatile read and one comparison. */
  Period admit() {
    Period p = state;
    if (p.consecutiveFailures < p.admitLimit) {
      return p;
    }
    for (;;) {
      Period admitted = p.admitGated(this);
      if (admitted != null) {
        return admitted;
      }
      p = state;
      if (p.consecutiveFailures < p.admitLimit) {
        return p;
      }
    }
  }

  /** A call's start on the precise clock, when slow calls are detected; 0 otherwise (no clock read). */
  long startTime() {
    return timed ? clock.nanoTime() : 0L;
  }

  /**
   * Records a returned value. A CLOSED success without timing or result predicate (and, under a failure-rate policy,
   * with a count window) is one striped counter increment and a read of the failure count: no lock, no allocation, no
   * clock read.
   */
  void onValue(Period p, Object value, long start) {
    if (plainSuccess && p.kind == CircuitBreakerState.CLOSED) {
      totals.increment(Outcomes.SUCCESS);
      ClosedPeriod c = (ClosedPeriod) p;
      c.clearFailures();
      if (c.window != null) {
        String reason = c.window.success(0L); // a count window: one increment once it holds its minimum of calls
        if (reason != null) {
          c.trip(this, reason);
        }
      }
      return;
    }
    Outcomes.value(this, p, value, start);
  }

  /** Records a thrown exception. */
  void onError(Period p, Throwable error, long start) {
    Outcomes.error(this, p, error, start);
  }

  /**
   * Replaces {@code from} by {@code to} if {@code from} is still current, then delivers the transition. A transition
   * from a period that is no longer current is dropped: another thread got there first, or the outcome that caused it
   * belongs to a period that has ended.
   *
   * @return whether the transition happened
   */
  boolean transition(Period from, Period to, String reason) {
    to.cause = new StateTransition(name, from.kind, to.kind, to.enteredAt, reason, Optional.ofNullable(to.origin));
    if (!STATE.compareAndSet(this, from, to)) {
      return false;
    }
    from.next = to;
    delivery.drain();
    return true;
  }

  /** Makes {@code to} current whatever the current period is. */
  void replace(Period to, String reason) {
    while (!transition(state, to, reason)) {
      Thread.onSpinWait();
    }
  }

  Period current() {
    return state;
  }

  /**
   * The clock reading readers decide on: the same as rejections while the breaker is OPEN or HALF_OPEN, so that a
   * reader never reports HALF_OPEN before a call would be admitted; the precise clock while CLOSED (so that reading a
   * CLOSED breaker never starts the coarse clock's thread).
   */
  long readerNanos() {
    return state.kind == CircuitBreakerState.CLOSED ? nanos() : decisionNanos();
  }

  /** The state as due at {@code now}, without making any transition: what readers report. */
  Period view(long now) {
    Period p = state;
    for (int i = 0; i < 3; i++) {
      Period due = p.due(this, now, true);
      if (due == p) {
        break;
      }
      p = due;
    }
    return p;
  }

  CircuitBreakerOpenException reject(CircuitBreakerState in, long retryAfterNanos) {
    totals.increment(Outcomes.REJECTED);
    return new CircuitBreakerOpenException(name, in, retryAfterNanos);
  }

  void failedAt(long now) {
    lastFailureNanos = now;
    if (!failedSinceReset) {
      failedSinceReset = true;
    }
  }

  /** The precise reading of the breaker's clock. */
  long nanos() {
    return clock.nanoTime();
  }

  /** The reading rejections decide on: the coarse system clock (never ahead), or the configured clock. */
  long decisionNanos() {
    return systemClock ? CoarseClock.SYSTEM.read() : clock.nanoTime();
  }

  Instant wall() {
    return clock.now();
  }

  /** Cells of the lifetime counters, for tests: fixed, whatever threads call. */
  int counterCells() {
    return totals.cellCount();
  }
}
