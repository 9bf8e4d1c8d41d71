package dev.optionchain.breaker;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What readers see: the status and the snapshot of a breaker, computed from the state as due now
 * ({@link CircuitBreaker#view}) without making a transition, so that a metrics scrape or a health check never runs a
 * listener or another user callback.
 */
final class Reading {

  private Reading() {}

  static CircuitBreakerStatus status(BreakerCore b) {
    long now = b.readerNanos();
    Instant wall = b.wall();
    Period s = b.view(now);
    Rules r = b.rules;
    // the baseline first: it was summed before it was published, so the sums read after it are at least as large;
    // read the other way round, a reset (with calls) between the two reads would make the counts negative
    long[] base = b.baseline;
    long[] sums = b.totals.sums();
    long[] counts = new long[Counters.KINDS];
    for (int k = 0; k < counts.length; k++) {
      counts[k] = Math.max(0L, sums[k] - base[k]);
    }
    Optional<Instant> retryAt = Optional.empty();
    boolean forced = false;
    OptionalDouble failureRate = OptionalDouble.empty();
    OptionalDouble slowRate = OptionalDouble.empty();
    double share = 1.0;
    int trials = 0;
    if (s instanceof OpenPeriod) {
      OpenPeriod o = (OpenPeriod) s;
      forced = o.forced;
      if (!forced) {
        retryAt = Optional.of(wall.plusNanos(Math.max(0L, o.remaining(now))));
      }
    } else if (s instanceof ClosedPeriod) {
      ClosedPeriod c = (ClosedPeriod) s;
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
      trials = ((HalfOpenPeriod) s).inFlight();
    }
    return new CircuitBreakerStatus(b.name, s.kind, s.consecutiveFailures, r.config.failureThreshold(),
        r.config.recoveryTimeout(), lastFailure(b, now, wall), s.enteredAt, retryAt, counts, forced,
        Duration.ofNanos(s.nextOpenNanos(r)), failureRate, r.failureRateThreshold(), slowRate, share, trials,
        Optional.ofNullable(s.origin));
  }

  static CircuitBreakerSnapshot snapshot(BreakerCore b) {
    long now = b.readerNanos();
    Instant wall = b.wall();
    Period s = b.view(now);
    return new CircuitBreakerSnapshot(b.name, s.kind, s.enteredAt, s.consecutiveFailures,
        Duration.ofNanos(s.nextOpenNanos(b.rules)), s.failedRecoveries,
        s instanceof OpenPeriod && ((OpenPeriod) s).forced, lastFailure(b, now, wall));
  }

  private static Optional<Instant> lastFailure(BreakerCore b, long now, Instant wall) {
    return b.failedSinceReset
        ? Optional.of(wall.minusNanos(Math.max(0L, now - b.lastFailureNanos)))
        : Optional.empty();
  }
}
