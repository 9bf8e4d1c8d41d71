package dev.optionchain.dashboard.history;

import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerRegistry;
import dev.optionchain.breaker.CircuitBreakerSnapshot;
import dev.optionchain.breaker.CircuitBreakerState;
import dev.optionchain.breaker.StateTransition;
import dev.optionchain.dashboard.cache.Database;
import dev.optionchain.dashboard.market.MarketObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persisted history of the service's breakers: every transition is recorded (off the caller's thread), a
 * restarted service puts each breaker back in the state it was left in, and the history answers the recent-transitions
 * timeline and the SLA report. Thread-safe.
 */
public final class BreakerHistory implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BreakerHistory.class);

  private final HistoryStore store;
  private final HistoryRecorder recorder;
  private final BreakerClock clock;

  private BreakerHistory(HistoryStore store, HistoryRecorder recorder, BreakerClock clock) {
    this.store = store;
    this.recorder = recorder;
    this.clock = clock;
  }

  /**
   * Opens the history in the service's database and starts its writer.
   *
   * @param db the database
   * @param clock the service's clock
   * @return the history
   */
  public static BreakerHistory open(Database db, BreakerClock clock) {
    HistoryStore store = new HistoryStore(db);
    return new BreakerHistory(store, new HistoryRecorder(store, clock), clock);
  }

  /**
   * Puts every breaker of {@code registry} whose last recorded transition left it OPEN or HALF_OPEN back in that
   * state: an OPEN breaker keeps its remaining recovery time, measured from when it opened, and reports HALF_OPEN at
   * once if that time has passed, so a restarted service does not hammer an upstream that was failing a moment ago.
   * Call before subscribing {@link #record} to the registry: restorations are not new transitions.
   *
   * @param registry the service's breakers
   * @return the number of breakers restored
   */
  public int restore(CircuitBreakerRegistry registry) {
    int restored = 0;
    for (TransitionRecord last : store.lastByBreaker().values()) {
      Optional<CircuitBreaker> breaker = registry.get(last.breaker());
      if (breaker.isEmpty() || last.to() == CircuitBreakerState.CLOSED) {
        continue;
      }
      breaker.get().restore(last.snapshot());
      restored++;
      LOG.warn("restored circuit breaker '{}' to {} (entered {}, {}); now {}", last.breaker(), last.to(), last.at(),
          last.reason(), breaker.get().getState());
    }
    return restored;
  }

  /**
   * Records a transition. Never blocks; meant for a transition listener.
   *
   * @param t the transition
   * @param after the breaker's snapshot right after it
   */
  public void record(StateTransition t, CircuitBreakerSnapshot after) {
    recorder.record(TransitionRecord.of(t, after));
  }

  /**
   * Returns the observer that counts answers per breaker and minute for the SLA report.
   *
   * @return the observer
   */
  public MarketObserver observer() {
    return recorder;
  }

  /**
   * Returns the most recent transitions of all breakers, newest first, including those recorded a moment ago.
   *
   * @param limit at most this many
   * @return the transitions
   */
  public List<TransitionRecord> recent(int limit) {
    recorder.flush();
    return store.recent(limit);
  }

  /**
   * Computes the SLA report of each breaker over the last {@code window}.
   *
   * @param breakers the breakers' names
   * @param window how far back
   * @return breaker name to its report, in the given order
   */
  public Map<String, SlaReport> sla(Iterable<String> breakers, Duration window) {
    recorder.flush();
    Instant to = clock.now();
    Instant from = to.minus(window);
    Map<String, SlaReport> out = new LinkedHashMap<>();
    for (String name : breakers) {
      out.put(name, SlaReport.compute(name, store.since(name, from), from, to, store.requests(name, from)));
    }
    return out;
  }

  /**
   * Returns how many transitions could not be persisted (the writer's queue overflowed).
   *
   * @return normally 0
   */
  public long lost() {
    return recorder.lost();
  }

  /** Writes what is pending and stops the writer. */
  @Override
  public void close() {
    recorder.close();
  }
}
