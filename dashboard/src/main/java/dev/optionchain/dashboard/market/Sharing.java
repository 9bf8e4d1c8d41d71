package dev.optionchain.dashboard.market;

import dev.optionchain.breaker.TrialGate;
import dev.optionchain.dashboard.config.BreakerSettings;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * What the market-data service shares with the other instances of a fleet ({@code docs/fleet.md}): who may make a
 * breaker's trial call, and the answers of each kind. The upstream budget is shared through {@link UpstreamBudget}.
 * A single instance shares nothing ({@link #NONE}). Implementations are thread-safe.
 */
public interface Sharing {

  /** A single instance: no trial gate, nothing shared. */
  Sharing NONE = new Sharing() {
    @Override
    public Optional<TrialGate> trialGate(BreakerSettings breaker) {
      return Optional.empty();
    }

    @Override
    public <K, V> SharedAnswers<K, V> answers(BreakerSettings kind, Class<V> type, BiPredicate<K, V> belongs) {
      return SharedAnswers.none();
    }
  };

  /**
   * Returns the gate a breaker consults before its trial call, so that one instance of the fleet makes it.
   *
   * @param breaker the breaker's settings: its name and request timeout (how long its trial may take)
   * @return the gate, or empty for none
   */
  Optional<TrialGate> trialGate(BreakerSettings breaker);

  /**
   * Returns the shared answers of one kind of data.
   *
   * @param kind the kind's breaker settings: its name, fresh-for and request timeout
   * @param type the answers' class
   * @param belongs whether an answer is one of the key (its symbol, expiration, range): what is read back from the
   *     fleet is checked with it, since anyone who can write to Redis can put an answer under another key
   * @param <K> the key
   * @param <V> the answer
   * @return the shared answers
   */
  <K, V> SharedAnswers<K, V> answers(BreakerSettings kind, Class<V> type, BiPredicate<K, V> belongs);
}
