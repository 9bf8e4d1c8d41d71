package dev.optionchain.breaker;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The transitions a user makes by hand: reset, force open, restore from a snapshot, adopt a decision made elsewhere.
 * Each replaces whatever period is current with a compare-and-set (retried if a call's transition got there first) and
 * is delivered to listeners like any other transition. Only a reset (or a restore) ends a forced open: an adoption
 * leaves it in place.
 */
final class Control {

  private Control() {}

  static void reset(BreakerCore b) {
    b.baseline = b.totals.sums();
    b.failedSinceReset = false;
    b.replace(ClosedPeriod.fresh(b, b.nanos(), b.wall(), null), "reset");
  }

  static void forceOpen(BreakerCore b) {
    for (;;) {
      Period current = b.current();
      if (forced(current)) {
        return;
      }
      Period to = new OpenPeriod(b.rules.recoveryNanos, b.nanos(), b.wall(), current.consecutiveFailures, 0, true,
          null);
      if (b.transition(current, to, "forced open")) {
        return;
      }
    }
  }

  static void adoptOpen(BreakerCore b, Duration openFor, String origin, String reason) {
    if (openFor == null || openFor.isNegative() || openFor.isZero()) {
      throw new IllegalArgumentException("openFor must be positive, was " + openFor);
    }
    notBlank("origin", origin);
    notBlank("reason", reason);
    long openNanos = saturatedNanos(openFor);
    for (;;) {
      Period current = b.current();
      if (forced(current)) {
        return; // forced open until reset(): a decision made elsewhere does not end it
      }
      Period to = new OpenPeriod(openNanos, b.nanos(), b.wall(), current.consecutiveFailures,
          current.failedRecoveries, false, origin);
      if (b.transition(current, to, reason)) {
        return;
      }
    }
  }

  static void adoptClosed(BreakerCore b, String origin, String reason) {
    notBlank("origin", origin);
    notBlank("reason", reason);
    for (;;) {
      Period current = b.current();
      if (forced(current)) {
        return; // as in adoptOpen
      }
      if (b.transition(current, ClosedPeriod.fresh(b, b.nanos(), b.wall(), origin), reason)) {
        return;
      }
    }
  }

  private static boolean forced(Period p) {
    return p instanceof OpenPeriod && ((OpenPeriod) p).forced;
  }

  static void restore(BreakerCore b, CircuitBreakerSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    if (!snapshot.name().equals(b.name)) {
      throw new IllegalArgumentException(
          "snapshot is of breaker '" + snapshot.name() + "', not '" + b.name + "'");
    }
    long now = b.nanos();
    Instant wall = b.wall();
    // a state entered "in the future" (clock skew between processes) was entered now
    Instant since = snapshot.stateSince().isAfter(wall) ? wall : snapshot.stateSince();
    long elapsed = nanosBetween(since, wall);
    int failures = snapshot.failureCount();
    int recoveries = snapshot.failedRecoveries();
    Period to;
    switch (snapshot.state()) {
      case OPEN:
        long openNanos = Math.min(saturatedNanos(snapshot.openDuration()), Rules.MAX_OPEN_NANOS);
        to = new OpenPeriod(openNanos, now - Math.min(elapsed, openNanos), since, failures, recoveries,
            snapshot.forcedOpen(), null);
        break;
      case HALF_OPEN:
        to = new HalfOpenPeriod(b.rules, now, since, failures, recoveries);
        break;
      default:
        // below the threshold, and under a rate policy below the gate's limit, so that restoring never trips
        to = new ClosedPeriod(b.rules, now, since, Math.min(failures, b.rules.tripAt - 1), false, 0, null);
    }
    snapshot.lastFailureTime().ifPresent(t -> {
      b.lastFailureNanos = now - nanosBetween(t.isAfter(wall) ? wall : t, wall);
      b.failedSinceReset = true;
    });
    b.replace(to, "restored from snapshot");
  }

  /** Nanoseconds from {@code from} to {@code to} (not before), saturating instead of overflowing. */
  static long nanosBetween(Instant from, Instant to) {
    return saturatedNanos(Duration.between(from, to));
  }

  static long saturatedNanos(Duration d) {
    if (d.isNegative()) {
      return 0L;
    }
    return d.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : d.toNanos();
  }

  private static void notBlank(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be null or blank, was "
          + (value == null ? null : "'" + value + "'"));
    }
  }
}
