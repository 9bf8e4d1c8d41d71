package dev.optionchain.dashboard.fleet;

import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.breaker.CircuitBreakerState;
import dev.optionchain.breaker.CircuitBreakerStatus;
import dev.optionchain.breaker.StateTransition;
import dev.optionchain.breaker.Subscription;
import dev.optionchain.breaker.TrialGate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The breakers' decisions shared by the fleet, without a Redis round trip on any call path.
 *
 * <ul>
 *   <li><b>Publish, in order.</b> A transition this instance decided (not adopted, not a forced open) is published
 *       by its listener, without waiting: to OPEN with the recovery time left, which also sets the breaker's state
 *       key {@code ocd:breaker:<name>} for that time plus the trial lease; to CLOSED, which deletes it; to
 *       HALF_OPEN. Each names the fleet's latest decision this instance knew of; Redis refuses it if another
 *       decision came since ({@link Scripts#DECIDED}), and this instance adopts that one instead, so a decision made
 *       while cut off, paused or before a restart cannot undo a newer one. Accepted decisions get a growing
 *       {@code seq}; a state key or refusal read after a newer decision arrived is ignored.</li>
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
 *   <li><b>One trial</b>: {@link TrialLease}.</li>
 * </ul>
 * Thread-safe.
 */
final class SharedBreakers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SharedBreakers.class);
  /** An adopted OPEN shorter than what this breaker has left, plus this, changes nothing. */
  private static final Duration SLACK = Duration.ofMillis(250);
  /** How long Redis keeps a breaker's last decision ({@code ocd:decided:<name>}) after it was made. */
  static final Duration DECIDED_KEPT = Duration.ofDays(7);

  private final RedisLink link;
  private final String me;
  private final Duration lease;
  private final BreakerClock clock;
  private final FleetCounters counters;
  private final Map<String, TrialLease> gates = new ConcurrentHashMap<>();
  /** Each breaker's last transition this instance decided itself, to publish again after a time apart. */
  private final Map<String, StateTransition> lastOwn = new ConcurrentHashMap<>();
  /** Breakers forced open here: their forced OPEN, and the reset that ends it, are not the fleet's business. */
  private final java.util.Set<String> forced = ConcurrentHashMap.newKeySet();
  /** Each breaker's latest decision in the fleet this instance knows of: its {@code seq}. */
  private final Map<String, Long> known = new ConcurrentHashMap<>();
  private volatile CircuitBreakerRegistry registry;
  private volatile Subscription subscription;

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

  static String decidedKey(String breaker) {
    return "ocd:decided:" + breaker;
  }

  TrialGate gate(String breaker, Duration lease) {
    return gates.computeIfAbsent(breaker, n -> new TrialLease(n, me, lease, link));
  }

  /** A breaker's trial lease: its gate's, or {@code fleet.trial-lease}. */
  private Duration lease(String breaker) {
    TrialLease gate = gates.get(breaker);
    return gate == null ? lease : gate.lease();
  }

  /** Publishes this registry's decisions and adopts the others'; then re-learns the fleet's state. */
  void bind(CircuitBreakerRegistry breakers) {
    this.registry = breakers;
    breakers.getAll().forEach((name, b) -> {
      if (b.getStatus().forcedOpen()) {
        forced.add(name); // restored from the history
      }
    });
    this.subscription = breakers.onStateTransition(this::onTransition);
  }

  /** The registry's listener: on the thread that made the transition, so it only hands work to Lettuce. */
  private void onTransition(StateTransition t) {
    TrialLease gate = gates.get(t.breakerName());
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
    Optional<CircuitBreaker> b = r == null ? Optional.empty() : r.get(t.breakerName());
    if (b.isEmpty()) {
      return;
    }
    CircuitBreakerStatus status = b.get().getStatus();
    if (status.forcedOpen()) {
      forced.add(t.breakerName());
      return; // maintenance of one instance, not a fleet decision
    }
    if (forced.remove(t.breakerName()) && t.from() == CircuitBreakerState.OPEN) {
      link.submitToFleet(this::resync); // the end of that maintenance: not a decision either; take the fleet's state
      return;
    }
    if (!link.active()) {
      return;
    }
    publish(t, status);
  }

  private void publish(StateTransition t, CircuitBreakerStatus status) {
    Duration remaining = status.retryAt().map(at -> Duration.between(clock.now(), at)).orElse(Duration.ZERO);
    if (remaining.isNegative() || remaining.isZero()) {
      remaining = Duration.ofMillis(1);
    }
    Message m = Message.transition(me, t, remaining);
    long ttl = t.to() == CircuitBreakerState.OPEN ? remaining.toMillis() + lease(t.breakerName()).toMillis()
        : t.to() == CircuitBreakerState.CLOSED ? 0 : -1;
    String name = t.breakerName();
    long basedOn = known.getOrDefault(name, 0L);
    link.script(Scripts.DECIDED, new String[] {stateKey(name), decidedKey(name)}, m.json(), ttl, Message.CHANNEL,
        basedOn, me, DECIDED_KEPT.toMillis(), Math.max(0, Duration.between(t.at(), clock.now()).toMillis()))
        .whenComplete((r, e) -> {
          if (e != null || r == null || r.size() < 2) {
            return;
          }
          if (Long.valueOf(1).equals(r.get(0))) {
            counters.messagesOut.increment();
            known.merge(name, (Long) r.get(1), Math::max);
          } else if (r.size() == 3) {
            link.submitToFleet(() -> overruled(t, text(r.get(1)), (Long) r.get(2)));
          }
        });
  }

  /**
   * Redis refused this instance's decision {@code t}: the fleet made a decision since the last one this instance
   * knew of (it was cut off, paused, or restarted with a state it persisted). The fleet's decision stands, and this
   * instance adopts it. On the fleet's thread.
   */
  private void overruled(StateTransition t, String last, long statePttl) {
    Optional<Message> m = Message.parse(last, counters.messagesIgnored).filter(Message::isTransition);
    LOG.info("fleet: {} {} -> {} of this instance not shared: the fleet decided {} since{}", t.breakerName(),
        t.from(), t.to(), m.map(x -> x.to() + " (" + x.instance() + ")").orElse("otherwise"),
        m.isPresent() ? "; adopting it" : "");
    m.ifPresent(x -> apply(x, x.toState() == CircuitBreakerState.OPEN ? openLeft(x.breaker(), statePttl)
        : Duration.ZERO));
  }

  /** The open time left by a state key's time to live: it lives for the remaining time plus the trial lease. */
  private Duration openLeft(String breaker, long statePttl) {
    return Duration.ofMillis(Math.max(1, statePttl - lease(breaker).toMillis()));
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
      breaker(m).ifPresent(b -> newer(m)); // our own, back from the channel: the fleet's latest decision
      return;
    }
    counters.messagesIn.increment();
    apply(m, Duration.ofMillis(m.remainingMs() == null ? 1 : Math.max(1, m.remainingMs())));
  }

  private Optional<CircuitBreaker> breaker(Message m) {
    CircuitBreakerRegistry r = registry;
    return r == null ? Optional.empty() : r.get(m.breaker());
  }

  /**
   * Whether {@code m} is newer than every decision of its breaker this instance knows of, which it then becomes.
   * Messages come in the order Redis accepted them; what is older is a state key or a refusal read while a newer
   * decision was already on its way. A {@code seq} more than a day ahead of this host's clock is garbage (it would
   * make every real decision look old). A message without {@code seq} (an older release) is taken as it is.
   */
  private boolean newer(Message m) {
    Long seq = m.seq();
    if (seq == null) {
      return true;
    }
    if (seq > (System.currentTimeMillis() + Duration.ofDays(1).toMillis()) * 1_000) {
      counters.messagesIgnored.increment();
      return false;
    }
    boolean[] newer = {false};
    known.compute(m.breaker(), (k, v) -> {
      newer[0] = v == null || seq > v;
      return newer[0] ? seq : v;
    });
    return newer[0];
  }

  /** Adopts another instance's decision, unless this instance knows of a newer one. On the fleet's thread. */
  private void apply(Message m, Duration remaining) {
    Optional<CircuitBreaker> b = breaker(m);
    if (b.isEmpty() || b.get().getStatus().forcedOpen() || !newer(m)) {
      return; // forced open: adopts nothing, and learns it when the maintenance ends
    }
    switch (m.toState()) {
      case OPEN:
        adoptOpen(b.get(), remaining, m.instance(), m.reason());
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
    String[] keys = names.stream().flatMap(n -> java.util.stream.Stream.of(stateKey(n), decidedKey(n)))
        .toArray(String[]::new);
    link.script(Scripts.STATES, keys).whenComplete((values, e) -> {
      if (e == null) {
        link.submitToFleet(() -> relearn(r, names, values));
      }
    });
  }

  /**
   * Per breaker: an OPEN this instance decided alone (while Redis was away, or restored from its history) and the
   * fleet does not have is published, and Redis refuses it if the fleet decided since; else the fleet's OPEN is
   * adopted for what is left of it, or its CLOSED if this instance missed it.
   */
  private void relearn(CircuitBreakerRegistry r, List<String> names, List<Object> values) {
    for (int i = 0; i < names.size(); i++) {
      Optional<Message> state = transition(values.get(3 * i)).filter(m -> m.toState() == CircuitBreakerState.OPEN);
      long pttl = (Long) values.get(3 * i + 1);
      Optional<Message> last = transition(values.get(3 * i + 2));
      CircuitBreaker b = r.get(names.get(i)).orElseThrow();
      CircuitBreakerStatus s = b.getStatus();
      if (state.isEmpty() && s.state() == CircuitBreakerState.OPEN && s.origin().isEmpty() && !s.forcedOpen()
          && s.retryAt().isPresent() && s.retryAt().get().isAfter(clock.now())) {
        // decided alone: the others have not heard of it
        StateTransition own = lastOwn.get(b.getName());
        publish(own != null && own.to() == CircuitBreakerState.OPEN ? own
            : new StateTransition(b.getName(), CircuitBreakerState.CLOSED, CircuitBreakerState.OPEN,
                s.stateSince(), "opened while the fleet was apart"), s);
      } else if (state.isPresent()) {
        apply(state.get(), openLeft(names.get(i), pttl));
      } else if (last.isPresent() && last.get().toState() == CircuitBreakerState.CLOSED) {
        apply(last.get(), Duration.ZERO);
      }
    }
  }

  private Optional<Message> transition(Object stored) {
    String json = text(stored);
    return json.isEmpty() ? Optional.empty()
        : Message.parse(json, counters.messagesIgnored).filter(Message::isTransition);
  }

  private static String text(Object o) {
    return o instanceof byte[] ? new String((byte[]) o, StandardCharsets.UTF_8) : String.valueOf(o);
  }

  /**
   * Runs {@code send} once per fleet transition: never for an adopted transition (its origin alerts); for one
   * decided here, unless another instance decided the same transition of the same breaker a moment ago (both
   * tripped before hearing of each other), which a key lasting half the recovery time (at most 5 s) tells
   * ({@link Scripts#ALERT}). When Redis is not usable, always.
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
    link.script(Scripts.ALERT, new String[] {key}, me, ttl)
        .whenComplete((won, e) -> {
          if (e != null || won == null || won.isEmpty() || Long.valueOf(1).equals(won.get(0))) {
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
}
