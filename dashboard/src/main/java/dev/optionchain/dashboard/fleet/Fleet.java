package dev.optionchain.dashboard.fleet;

import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.breaker.StateTransition;
import dev.optionchain.breaker.TrialGate;
import dev.optionchain.dashboard.config.BreakerSettings;
import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.config.FleetSettings;
import dev.optionchain.dashboard.market.MarketObserver;
import dev.optionchain.dashboard.market.SharedAnswers;
import dev.optionchain.dashboard.market.Sharing;
import dev.optionchain.dashboard.market.UpstreamBudget;
import dev.optionchain.dashboard.metrics.DashboardMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fleet mode ({@code docs/fleet.md}): this instance's part in a fleet of dashboards sharing, through Redis, their
 * breakers' decisions ({@link SharedBreakers}), their answers ({@link RedisAnswers}) and the upstream budget
 * ({@link SharedBudget}), with no Redis round trip on a breaker's call path or a memory hit. Without
 * {@code fleet.redis-url} it is off and shares nothing.
 *
 * <p>Its work runs on Lettuce's event loop and one thread of its own ({@code fleet}): received messages, re-learning
 * the fleet's state, and a heartbeat every second ({@link Scripts#HEARTBEAT}: this instance seen, the instances seen
 * in the last 30 s, the budget used, who holds each trial lease), which is also the trial call of the fleet's own
 * Redis breaker. When Redis is down, slow or paused, every part falls back to what a single instance does.
 * Thread-safe.
 */
public final class Fleet implements Sharing, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);
  /** An instance is listed while its last heartbeat is this recent. */
  static final Duration SEEN = Duration.ofSeconds(30);
  static final Duration HEARTBEAT = Duration.ofSeconds(1);
  /** The sorted set of instances, scored by the Redis time of their last heartbeat. */
  static final String INSTANCES = "ocd:instances";

  private final FleetSettings settings;
  private final BreakerClock clock;
  private final ScheduledExecutorService executor;
  private final RedisLink link;
  private final SharedBreakers breakers;
  private final FleetCounters counters = new FleetCounters();
  private final Map<String, RedisAnswers<?, ?>> answers = new ConcurrentHashMap<>();
  private volatile SharedBudget budget;
  private volatile List<String> instances = List.of();
  /** Breaker name to the instance holding its trial lease, as of the last heartbeat. */
  private volatile Map<String, String> trialHolders = Map.of();

  private Fleet(FleetSettings settings, BreakerClock clock) {
    this.settings = settings;
    this.clock = clock;
    if (!settings.enabled()) {
      this.executor = null;
      this.link = null;
      this.breakers = null;
      return;
    }
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fleet");
      t.setDaemon(true);
      return t;
    });
    this.link = new RedisLink(settings.redisUrl().orElseThrow(), settings.commandTimeout(), executor,
        this::onMessage, this::onReconnected);
    this.breakers = new SharedBreakers(link, settings.instanceId(), settings.trialLease(), clock, counters);
    link.breaker().onStateTransition(t -> {
      if (t.to() == dev.optionchain.breaker.CircuitBreakerState.OPEN) {
        answers.values().forEach(RedisAnswers::wakeAll); // nobody waits for a notice that may never come
      }
    });
  }

  /**
   * Starts this instance's part in the fleet: connects to Redis in the background (the service starts and serves
   * without it) and starts the heartbeat. Off when no Redis URL is configured.
   *
   * @param settings the fleet settings
   * @param clock the service's clock (breaker times, freshness)
   * @return the fleet
   */
  public static Fleet start(FleetSettings settings, BreakerClock clock) {
    Fleet f = new Fleet(settings, clock);
    if (settings.enabled()) {
      LOG.info("fleet: instance {} joining through Redis {}", settings.instanceId(), f.link.shown());
      f.link.start();
      f.executor.scheduleWithFixedDelay(f::heartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    return f;
  }

  /**
   * Returns the upstream budget: the fleet's, in Redis, or a local one when fleet mode is off.
   *
   * @param perMinute {@code upstream.rate-limit-per-minute}
   * @return the budget
   */
  public UpstreamBudget budget(int perMinute) {
    if (!settings.enabled()) {
      return UpstreamBudget.local(perMinute, clock);
    }
    SharedBudget b = new SharedBudget(perMinute, settings.instanceId(), link,
        () -> Math.max(1, instances.size()), clock);
    this.budget = b;
    return b;
  }

  @Override
  public Optional<TrialGate> trialGate(BreakerSettings breaker) {
    if (!settings.enabled()) {
      return Optional.empty();
    }
    return Optional.of(breakers.gate(breaker.name(),
        TrialLease.lasting(settings.trialLease(), breaker.requestTimeout(), settings.commandTimeout())));
  }

  @Override
  public <K, V> SharedAnswers<K, V> answers(BreakerSettings kind, Class<V> type,
      java.util.function.BiPredicate<K, V> belongs) {
    if (!settings.enabled()) {
      return SharedAnswers.none();
    }
    RedisAnswers<K, V> a = new RedisAnswers<>(kind, type, belongs, settings, link, clock, counters);
    answers.put(kind.name(), a);
    return a;
  }

  /**
   * Returns the observer that tells the fleet of every upstream call's outcome, so that failures on different
   * instances add up ({@link SharedBreakers#outcome}); it never waits. Does nothing when fleet mode is off.
   *
   * @return the observer
   */
  public MarketObserver observer() {
    if (!settings.enabled()) {
      return MarketObserver.NONE;
    }
    return new MarketObserver() {
      @Override
      public void upstreamCall(String breaker, Duration elapsed, String outcome) {
        boolean success = MarketObserver.SUCCESS.equals(outcome) || MarketObserver.CLIENT_ERROR.equals(outcome);
        breakers.outcome(breaker, !success);
      }

      @Override
      public void served(String breaker, dev.optionchain.dashboard.market.Sourced.Source source) {}

      @Override
      public void unavailable(String breaker, dev.optionchain.dashboard.market.Sourced.Cause cause) {}
    };
  }

  /**
   * Publishes the decisions of {@code registry}'s breakers and adopts the other instances'.
   *
   * @param registry the service's breakers, all registered
   */
  public void bind(CircuitBreakerRegistry registry) {
    if (settings.enabled()) {
      breakers.bind(registry);
      executor.execute(breakers::resync);
    }
  }

  /**
   * Sends an alert once per fleet transition ({@link SharedBreakers#alertOnce}); alone, always.
   *
   * @param t the transition
   * @param send sends the alert; never blocks
   */
  public void alertOnce(StateTransition t, Runnable send) {
    if (settings.enabled()) {
      breakers.alertOnce(t, send);
    } else {
      send.run();
    }
  }

  /**
   * Returns this instance's id in the fleet.
   *
   * @return {@code fleet.instance-id}
   */
  public String instanceId() {
    return settings.instanceId();
  }

  /**
   * Returns whether fleet mode is on and Redis usable now.
   *
   * @return false when off, disconnected or Redis not answering
   */
  public boolean connected() {
    return settings.enabled() && link.active();
  }

  /**
   * Returns the fleet's part of {@code /api/health/circuit-breakers}: {@code enabled}, {@code connected},
   * {@code instanceId}, {@code instances} (ids seen in the last 30 s, as of the last heartbeat; this one alone when
   * off) and {@code trials} (breaker to the instance holding its trial lease).
   *
   * @return the fields, in order
   */
  public Map<String, Object> status() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("enabled", settings.enabled());
    m.put("connected", connected());
    m.put("instanceId", settings.instanceId());
    m.put("instances", settings.enabled() ? instances : List.of(settings.instanceId()));
    m.put("trials", trialHolders);
    return m;
  }

  /**
   * Registers the fleet's series: {@code fleet_connected}, {@code fleet_instances}, {@code fleet_messages_in_total},
   * {@code fleet_messages_out_total}, {@code fleet_messages_ignored_total}, {@code fleet_messages_dropped_total},
   * {@code fleet_adopted_transitions_total}, {@code fleet_redis_errors_total}, {@code fleet_redis_waits_timed_out_total},
   * {@code fleet_budget_available}, {@code fleet_answers_shared_total}, {@code fleet_answers_joined_total}, {@code fleet_fallbacks_shared_total}, {@code fleet_answers_published_total},
   * {@code fleet_answers_too_large_total}.
   *
   * @param metrics the service's metrics
   */
  public void bindMetrics(DashboardMetrics metrics) {
    metrics.gauge("fleet.connected", "1 when fleet mode is on and Redis answers, else 0", () -> connected() ? 1 : 0);
    metrics.gauge("fleet.instances", "instances of the fleet seen in the last 30 s", () -> instances.size());
    metrics.counter("fleet.messages.in", "fleet messages received from other instances", counters.messagesIn::sum);
    metrics.counter("fleet.messages.out", "fleet messages published", counters.messagesOut::sum);
    metrics.counter("fleet.messages.ignored", "fleet messages ignored (another version, malformed)",
        counters.messagesIgnored::sum);
    metrics.counter("fleet.messages.dropped", "messages dropped unread: longer than a fleet message, or the inbox "
        + "full", () -> settings.enabled() ? link.messagesDropped() : 0);
    metrics.counter("fleet.adopted.transitions", "breaker transitions adopted from another instance",
        counters.adopted::sum);
    metrics.counter("fleet.redis.errors", "Redis commands that failed or timed out",
        () -> settings.enabled() ? link.errors() : 0);
    metrics.counter("fleet.redis.waits.timed.out", "requests' waits for Redis that timed out (each makes the "
        + "requests after it skip Redis for a second, or until it answers)",
        () -> settings.enabled() ? link.waitsTimedOut() : 0);
    metrics.gauge("fleet.budget.available", "upstream calls the fleet may still make in the current minute",
        () -> budget == null ? Double.NaN : Math.min(budget.available(), Integer.MAX_VALUE));
    metrics.counter("fleet.answers.shared", "fresh answers taken from another instance instead of the upstream",
        counters.sharedHits::sum);
    metrics.counter("fleet.answers.joined", "memory misses that waited for another instance's upstream call",
        counters.joined::sum);
    metrics.counter("fleet.fallbacks.shared", "stale fallbacks served from the fleet's last good answer",
        counters.sharedFallbacks::sum);
    metrics.counter("fleet.answers.published", "answers this instance shared", counters.published::sum);
    metrics.counter("fleet.answers.too.large", "answers larger than fleet.max-answer-bytes, not shared",
        counters.tooLarge::sum);
  }

  private void onMessage(String json) {
    Optional<Message> parsed = Message.parse(json, counters.messagesIgnored);
    if (parsed.isEmpty()) {
      return;
    }
    Message m = parsed.get();
    if (m.isTransition()) {
      breakers.onMessage(m);
    } else if (m.isAnswer()) {
      if (!settings.instanceId().equals(m.instance())) {
        counters.messagesIn.increment();
        RedisAnswers<?, ?> a = answers.get(m.kind());
        if (a != null) {
          a.onNotice(m);
        }
      }
    } else {
      counters.messagesIgnored.increment(); // a type this version does not know
    }
  }

  private void onReconnected() {
    breakers.resync();
    heartbeat();
  }

  private void heartbeat() {
    List<String> names = DashboardConfig.BREAKER_NAMES;
    List<String> keys = new ArrayList<>(List.of(INSTANCES, "ocd:budget:calls"));
    names.forEach(n -> keys.add(TrialLease.key(n)));
    link.script(Scripts.HEARTBEAT, keys.toArray(String[]::new), settings.instanceId(), SEEN.toMillis(),
        SharedBudget.WINDOW_MILLIS).whenComplete((r, e) -> {
          if (e != null || r == null || r.size() < 3) {
            return;
          }
          List<String> seen = new ArrayList<>();
          for (Object id : (List<?>) r.get(0)) {
            seen.add(new String((byte[]) id, StandardCharsets.UTF_8));
          }
          seen.sort(null);
          instances = List.copyOf(seen);
          SharedBudget b = budget;
          if (b != null) {
            b.used((Long) r.get(1));
          }
          List<?> holders = (List<?>) r.get(2);
          Map<String, String> held = new LinkedHashMap<>();
          for (int i = 0; i < names.size() && i < holders.size(); i++) {
            String holder = new String((byte[]) holders.get(i), StandardCharsets.UTF_8);
            if (!holder.isEmpty()) {
              held.put(names.get(i), holder);
            }
          }
          trialHolders = Map.copyOf(held);
        });
  }

  /** Leaves the fleet: stops the heartbeat, closes the connections. Idempotent. */
  @Override
  public void close() {
    if (settings.enabled()) {
      breakers.close();
      executor.shutdownNow();
      link.close();
    }
  }
}
