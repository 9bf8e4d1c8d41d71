package dev.optionchain.dashboard.fleet;

import dev.optionchain.breaker.TrialGate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One breaker's {@link TrialGate} in a fleet: "may this instance make the trial call?". It may while it holds the
 * trial lease {@code ocd:lease:<name>}, or while Redis is not usable (alone, it recovers as a single instance would).
 * The answer is a volatile read; when it is no, the lease is asked for in the background ({@link Scripts#LEASE}) and
 * the call is rejected like any OPEN rejection, so that the next call after the lease came is the trial. A trial may
 * start while at least half the lease is left, so it ends before another instance can take the lease. Thread-safe.
 */
final class TrialLease implements TrialGate {

  private final String breaker;
  private final String me;
  private final Duration lease;
  private final RedisLink link;
  private final AtomicBoolean asking = new AtomicBoolean();
  /** System.nanoTime() until which a trial may start; valid while {@code held}. */
  private volatile long until;
  private volatile boolean held;

  TrialLease(String breaker, String me, Duration lease, RedisLink link) {
    this.breaker = breaker;
    this.me = me;
    this.lease = lease;
    this.link = link;
  }

  /**
   * How long a breaker's lease lasts: {@code fleet.trial-lease}, or twice the longest trial if that is longer. A
   * trial is the budget's wait for Redis (the command timeout and a little) and the upstream call (up to twice the
   * request timeout: a body that stops coming just before the deadline ends by its read's timeout, see the upstream
   * client's {@code Transport}), and it starts only in the lease's first half, so it ends before another instance
   * can take the lease.
   *
   * @param configured {@code fleet.trial-lease}
   * @param requestTimeout the breaker's request timeout
   * @param commandTimeout {@code fleet.command-timeout}
   * @return the lease
   */
  static Duration lasting(Duration configured, Duration requestTimeout, Duration commandTimeout) {
    Duration trial = requestTimeout.multipliedBy(2).plus(commandTimeout).plus(RedisLink.HAND_OVER);
    Duration twice = trial.multipliedBy(2);
    return twice.compareTo(configured) > 0 ? twice : configured;
  }

  /** @return how long this breaker's lease lasts */
  Duration lease() {
    return lease;
  }

  static String key(String breaker) {
    return "ocd:lease:" + breaker;
  }

  @Override
  public boolean mayStartTrial(String breakerName) {
    if (!link.active()) {
      return true; // alone: recover as a single instance would
    }
    if (held && System.nanoTime() - until < 0) {
      return true;
    }
    held = false;
    if (asking.compareAndSet(false, true)) {
      link.script(Scripts.LEASE, new String[] {key(breaker), Fleet.INSTANCES}, me, lease.toMillis(),
          Fleet.SEEN.toMillis())
          .whenComplete((won, e) -> {
            if (e == null && won != null) {
              won(won);
            }
            asking.set(false);
          });
    }
    return false;
  }

  private void won(List<Object> won) {
    // the lease is the trial's whole time; a trial may start in its first half, so it ends before the lease does
    until = System.nanoTime() + lease.toNanos() / 2;
    held = !won.isEmpty() && Long.valueOf(1).equals(won.get(0));
  }

  /**
   * The trial is over, whatever its result: the lease is given back (if still this instance's), so that the next
   * recovery's trial may be anyone's and no instance is shown holding a trial that ended.
   */
  void release() {
    if (held) {
      held = false;
      if (link.active()) {
        link.script(Scripts.RELEASE, new String[] {key(breaker)}, me);
      }
    }
  }

  @Override
  public String toString() {
    return "fleet trial lease of " + breaker;
  }
}
