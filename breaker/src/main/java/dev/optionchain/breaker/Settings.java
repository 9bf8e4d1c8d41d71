package dev.optionchain.breaker;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Every setting of a {@link CircuitBreakerConfig} with its default, in one place: a {@link CircuitBreakerConfig.Builder}
 * fills one in, a config keeps a frozen clone (never written after construction). Also the validation helpers whose
 * messages name the parameter and the value.
 */
final class Settings implements Cloneable {

  /** The "every exception" and "nothing" predicates; a config with them needs no predicate call. */
  static final Predicate<Object> ALL = t -> true;
  static final Predicate<Object> NONE = t -> false;

  TripPolicy tripPolicy = TripPolicy.consecutiveFailures(5);
  Duration recoveryTimeout = Duration.ofSeconds(60);
  BreakerClock clock = BreakerClock.system();
  /** Null: slow-call detection off. */
  Duration slowCallDuration;
  int trialCalls = 1;
  int successesToClose = 1;
  Duration halfOpenMaxDuration = Duration.ofSeconds(60);
  double backoffMultiplier = 1.0;
  /** Null: the cap follows the recovery timeout. */
  Duration maxRecoveryTimeout;
  Predicate<? super Throwable> recordExceptions = ALL;
  Predicate<? super Throwable> ignoreExceptions = NONE;
  Predicate<Object> recordResult = NONE;
  CancellationPolicy cancellationPolicy = CancellationPolicy.IGNORE;
  Duration rampUp = Duration.ZERO;
  /** Null: no gate. */
  TrialGate trialGate;

  Settings copy() {
    try {
      return (Settings) clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }

  static Duration positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
    try {
      d.toNanos();
    } catch (ArithmeticException tooLong) {
      throw new IllegalArgumentException(name + " must fit in 292 years of nanoseconds, was " + d);
    }
    return d;
  }

  static int atLeastOne(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, was " + value);
    }
    return value;
  }

  static <T> T nonNull(String name, T value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null, was null");
    }
    return value;
  }
}
