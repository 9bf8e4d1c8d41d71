package dev.optionchain.dashboard.fleet;

import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.breaker.CircuitBreakerState;
import dev.optionchain.breaker.CircuitBreakerStatus;
import dev.optionchain.breaker.StateTransition;
import dev.optionchain.breaker.Subscription;
import dev.optionchain.breaker.TrialGate;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The breakers' decisions shared by the fleet, without a Redis round trip on any call path.
 *
 * <ul>
 *   <li><b>Publish.</b> A transition this instance decided (not adopted, not a forced open) is published by its
 *       listener, without waiting: to OPEN with the recovery time left, which also sets the breaker's state key
 *       {@code ocd:breaker:<name>} for that time plus the trial lease; to CLOSED, which deletes it; to HALF_OPEN.</li>
 *   <li><b>Count together.</b> Every upstream call's outcome also goes, without waiting, to a fleet-wide count of
 *       consecutive failures per breaker ({@code ocd:failures:<name>}: one more per failure, deleted by a success).
 *       The instance whose failure brings it to the breaker's threshold opens its breaker as the fleet's decision
 *       and publishes it, so three instances with a threshold of 3 open after three failures in all, not three
 *       each. A breaker's own count still opens it too (when Redis is away, only that).</li>
 *   <li><b>Adopt.</b> Another instance's OPEN is adopted ({@link CircuitBreaker#adoptOpen}) with the same remaining
 *       time, unless this breaker is already open at least as long; its CLOSED is adopted
 *       ({@link CircuitBreaker#adoptClosed}) by a breaker that is not closed. Adopted transitions are never
 *       published again, so there is no echo. A forced-open breaker adopts nothing.</li>
 *   <li><b>Re-learn.</b> On connecting, reconnecting, and when Redis answers again after a pause, every state key is
 *       read: an instance that started late or missed messages adopts the fleet's OPEN breakers (due for their trial
 *       when the time left is spent), and publishes an OPEN it decided alone while Redis was away.</li>
 *   <li><b>One trial.</b> Each breaker's {@link TrialGate} is a volatile read: "does this instance hold the trial
 *       lease {@code ocd:lease:<name>}?". When the answer is no it asks Redis for the lease ({@code SET} if free or
 *       already its own, for {@code fleet.trial-lease}), off the call path, and the call is rejected like any OPEN
 *       rejection; the next call after the lease came is the trial. A trial may start while at least half the lease
 *       is left, so it ends before another instance can take the lease. A holder that dies stops renewing nothing:
 *       its lease simply expires, and another instance takes it. While Redis is not usable the gate lets the
 *       breaker recover alone.</li>
 * </ul>
 * Thread-safe.
 */
final class SharedBreakers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SharedBreakers.class);
  /** An adopted OPEN shorter than what this breaker has left, plus this, changes nothing. */
  private static final Duration SLACK = Duration.ofMillis(250);

  private final RedisLink link;
  private final String me;
  private final Duration lease;
  private final BreakerClock clock;
  private final FleetCounters counters;
  private final Map<String, LeaseGate> gates = new ConcurrentHashMap<>();
  /** Each breaker's last transition this instance decided itself, to publish again after a time apart. */
  private final Map<String, StateTransition> lastOwn = new ConcurrentHashMap<>();
  private volatile CircuitBreakerRegistry registry;
  private volatile Subscription subscription;
  private volatile Map<String, String> trialHolders = Map.of();

  SharedBreakers(RedisLink link, String me, Duration lease, BreakerClock clock, FleetCounters counters) {
    this.link = link;
    this.me = me;
    this.lease = lease;
    this.clock = clock;
    this.counters = counters;
  }

  static String stateKey(String breaker) {
    return "ocd:breaker:" + breaker;
  }

  static String leaseKey(String breaker) {
    return "ocd:lease:" + breaker;
  }

  TrialGate gate(String breaker) {
    return gates.computeIfAbsent(breaker, LeaseGate::new);
  }

  /** Publishes this registry's decisions and adopts the others'; then re-learns the fleet's state. */
  void bind(CircuitBreakerRegistry breakers) {
    this.registry = breakers;
    this.subscription = breakers.onStateTransition(this::onTransition);
  }

  /** The registry's listener: on the thread that made the transition, so it only hands work to Lettuce. */
  private void onTransition(StateTransition t) {
    LeaseGate gate = gates.get(t.breakerName());
    if (gate != null && t.from() == CircuitBreakerState.HALF_OPEN) {
      gate.release(); // the trial is over, whatever its result: the next recovery asks for the lease again
    }
    if (!mine(t)) {
      counters.adopted.increment();
      return;
    }
    lastOwn.put(t.breakerName(), t);
    if (t.adopted()) {
      return; // this instance's decision on the fleet's count, published by tripTogether
    }
    CircuitBreakerRegistry r = registry;
    if (r == null || !link.active()) {
      return;
    }
    Optional<CircuitBreaker> b = r.get(t.breakerName());
    if (b.isEmpty()) {
      return;
    }
    CircuitBreakerStatus status = b.get().getStatus();
    if (status.forcedOpen()) {
      return; // maintenance of one instance, not a fleet decision
    }
    publish(t, status);
  }

  private void publish(StateTransition t, CircuitBreakerStatus status) {
    Duration remaining = status.retryAt().map(at -> Duration.between(clock.now(), at)).orElse(Duration.ZERO);
    if (remaining.isNegative() || remaining.isZero()) {
      remaining = Duration.ofMillis(1);
    }
    Message m = Message.transition(me, t, remaining);
    long ttl = t.to() == CircuitBreakerState.OPEN ? remaining.toMillis() + lease.toMillis()
        : t.to() == CircuitBreakerState.CLOSED ? 0 : -1;
    link.script(Scripts.DECIDED, new String[] {stateKey(t.breakerName())}, m.json(), ttl, Message.CHANNEL)
        .thenRun(counters.messagesOut::increment);
  }

  /**
   * An upstream call's outcome, for the fleet-wide count of consecutive failures; never waits. A failure that
   * brings the count to the breaker's threshold opens this breaker (if CLOSED) for its recovery timeout and
   * publishes that decision.
   *
   * @param breaker the breaker's name
   * @param failure whether the breaker counts it as a failure
   */
  void outcome(String breaker, boolean failure) {
    CircuitBreakerRegistry r = registry;
    Optional<CircuitBreaker> b = r == null ? Optional.empty() : r.get(breaker);
    if (b.isEmpty() || !link.active()) {
      return;
    }
    String key = "ocd:failures:" + breaker;
    if (!failure) {
      link.call(c -> c.del(key));
      return;
    }
    int threshold = b.get().getConfig().failureThreshold();
    if (threshold <= 0) {
      return; // a failure-rate policy: windows are per instance
    }
    long ttl = Math.max(1_000, b.get().getConfig().recoveryTimeout().toMillis());
    link.script(Scripts.FAILED, new String[] {key}, ttl).whenComplete((n, e) -> {
      if (e == null && n != null && !n.isEmpty() && Long.valueOf(threshold).equals(n.get(0))) {
        link.submitToFleet(() -> tripTogether(b.get(), threshold));
      }
    });
  }

  /** The fleet's count reached the threshold on this instance's failure: open, and say so. On the fleet's thread. */
  private void tripTogether(CircuitBreaker b, int threshold) {
    if (b.getState() != CircuitBreakerState.CLOSED) {
      return; // opened meanwhile, by its own count or another instance's decision
    }
    String reason = threshold + " consecutive failures across the fleet";
    b.adoptOpen(b.getConfig().recoveryTimeout(), me, reason);
    CircuitBreakerStatus s = b.getStatus();
    publish(new StateTransition(b.getName(), CircuitBreakerState.CLOSED, CircuitBreakerState.OPEN, s.stateSince(),
        reason), s);
  }

  /** Whether this instance decided the transition: by its own breaker, or on the fleet's count of failures. */
  private boolean mine(StateTransition t) {
    return t.origin().map(me::equals).orElse(true);
  }

  /** A transition another instance decided: adopt it. On the fleet's thread. */
  void onMessage(Message m) {
    if (me.equals(m.instance())) {
      return; // our own, back from the channel
    }
    counters.messagesIn.increment();
    CircuitBreakerRegistry r = registry;
    Optional<CircuitBreaker> b = r == null ? Optional.empty() : r.get(m.breaker());
    if (b.isEmpty()) {
      return;
    }
    switch (m.toState()) {
      case OPEN:
        adoptOpen(b.get(), Duration.ofMillis(Math.max(1, m.remainingMs())), m.instance(), m.reason());
        break;
      case CLOSED:
        if (b.get().getState() != CircuitBreakerState.CLOSED && !b.get().getStatus().forcedOpen()) {
          b.get().adoptClosed(m.instance(), m.reason());
        }
        break;
      default:
        break; // HALF_OPEN: another instance's trial started; the heartbeat shows who holds it
    }
  }

  /**
   * Adopts another instance's OPEN for {@code remaining}, cut to the longest this breaker would stay open by itself
   * (its recovery timeout, or the cap of its backoff): a message or a state key is anyone's to write, and an OPEN of
   * years must not shut a dependency off for good.
   */
  private void adoptOpen(CircuitBreaker b, Duration told, String origin, String reason) {
    CircuitBreakerStatus s = b.getStatus();
    if (s.forcedOpen()) {
      return;
    }
    Duration longest = b.getConfig().maxRecoveryTimeout();
    Duration remaining = told.compareTo(longest) > 0 ? longest : told;
    if (s.state() == CircuitBreakerState.OPEN) {
      Duration left = s.retryAt().map(at -> Duration.between(clock.now(), at)).orElse(Duration.ZERO);
      if (remaining.compareTo(left.plus(SLACK)) <= 0) {
        return; // already open at least as long: nothing new
      }
    }
    b.adoptOpen(remaining, origin, reason);
  }

  /** Re-learns every breaker's fleet state from the state keys. On the fleet's thread. */
  void resync() {
    CircuitBreakerRegistry r = registry;
    if (r == null) {
      return;
    }
    List<String> names = List.copyOf(r.getAll().keySet());
    String[] keys = names.stream().map(SharedBreakers::stateKey).toArray(String[]::new);
    link.script(Scripts.STATES, keys).whenComplete((values, e) -> {
      if (e == null) {
        link.submitToFleet(() -> relearn(r, names, values));
      }
    });
  }

  private void relearn(CircuitBreakerRegistry r, List<String> names, List<Object> values) {
    for (int i = 0; i < names.size(); i++) {
      String json = new String((byte[]) values.get(2 * i), StandardCharsets.UTF_8);
      long pttl = (Long) values.get(2 * i + 1);
      CircuitBreaker b = r.get(names.get(i)).orElseThrow();
      Optional<Message> m = json.isEmpty() ? Optional.empty() : Message.parse(json, counters.messagesIgnored);
      if (m.isPresent() && m.get().isTransition() && m.get().toState() == CircuitBreakerState.OPEN) {
        // the key lives for the remaining time plus the trial lease; what is left of the first part is the open time
        long remaining = Math.max(1, pttl - lease.toMillis());
        adoptOpen(b, Duration.ofMillis(remaining), m.get().instance(), m.get().reason());
      } else if (m.isEmpty()) {
        CircuitBreakerStatus s = b.getStatus();
        if (s.state() == CircuitBreakerState.OPEN && s.origin().isEmpty() && !s.forcedOpen()
            && s.retryAt().isPresent() && s.retryAt().get().isAfter(clock.now())) {
          // decided while Redis was away: the others have not heard of it
          StateTransition own = lastOwn.get(b.getName());
          publish(own != null && own.to() == CircuitBreakerState.OPEN ? own
              : new StateTransition(b.getName(), CircuitBreakerState.CLOSED, CircuitBreakerState.OPEN,
                  s.stateSince(), "opened while the fleet was apart"), s);
        }
      }
    }
  }

  /** The heartbeat's view of who holds each breaker's trial lease. */
  void holders(List<String> breakers, List<Object> values) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < breakers.size() && i < values.size(); i++) {
      String holder = new String((byte[]) values.get(i), StandardCharsets.UTF_8);
      if (!holder.isEmpty()) {
        m.put(breakers.get(i), holder);
      }
    }
    trialHolders = Map.copyOf(m);
  }

  /** @return breaker name to the instance holding its trial lease, for those held now (as of the last heartbeat) */
  Map<String, String> trialHolders() {
    return trialHolders;
  }

  /**
   * Runs {@code send} once per fleet transition: never for an adopted transition (its origin alerts); for one
   * decided here, unless another instance decided the same transition of the same breaker a moment ago (both
   * tripped before hearing of each other), which a {@code SET NX} key lasting half the recovery time (at most 5 s)
   * tells. When Redis is not usable, always.
   */
  void alertOnce(StateTransition t, Runnable send) {
    if (!mine(t)) {
      return;
    }
    CircuitBreakerRegistry r = registry;
    if (!link.active() || r == null || r.get(t.breakerName()).isEmpty()) {
      send.run();
      return;
    }
    Duration recovery = r.get(t.breakerName()).get().getConfig().recoveryTimeout();
    long ttl = Math.max(1, Math.min(5_000, recovery.toMillis() / 2));
    String key = "ocd:alert:" + t.breakerName() + ":" + t.from() + ">" + t.to();
    link.call(c -> c.set(key, me.getBytes(StandardCharsets.UTF_8), SetArgs.Builder.nx().px(ttl)))
        .whenComplete((ok, e) -> {
          if (e != null || "OK".equals(ok)) {
            send.run();
          } else {
            LOG.debug("fleet: alert for {} already sent by another instance", t);
          }
        });
  }

  @Override
  public void close() {
    Subscription s = subscription;
    if (s != null) {
      s.close();
    }
  }

  /** "May this instance make the trial call?": it may while it holds the lease, or while Redis is not usable. */
  private final class LeaseGate implements TrialGate {
    private final String breaker;
    private final AtomicBoolean asking = new AtomicBoolean();
    /** System.nanoTime() until which a trial may start; valid while {@code held}. */
    private volatile long until;
    private volatile boolean held;

    LeaseGate(String breaker) {
      this.breaker = breaker;
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
        link.script(Scripts.LEASE, new String[] {leaseKey(breaker), Fleet.INSTANCES}, me, lease.toMillis(),
            Fleet.SEEN.toMillis())
            .whenComplete((won, e) -> {
              if (e == null && won != null) {
                ask(won);
              }
              asking.set(false);
            });
      }
      return false;
    }

    private void ask(List<Object> won) {
      // the lease is the trial's whole time; a trial may start in its first half, so it ends before the lease does
      until = System.nanoTime() + lease.toNanos() / 2;
      held = !won.isEmpty() && Long.valueOf(1).equals(won.get(0));
    }

    void release() {
      held = false;
    }

    @Override
    public String toString() {
      return "fleet trial lease of " + breaker;
    }
  }
}
