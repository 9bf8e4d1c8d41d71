package dev.optionchain.dashboard.history;

import dev.optionchain.breaker.CircuitBreakerState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Service-level figures of one breaker over a window, from its persisted transitions and request counts.
 *
 * <ul>
 *   <li><b>availability</b>: the share of the window the breaker was not OPEN (HALF_OPEN counts as available: calls
 *       are being tried). Before the first recorded transition a breaker is CLOSED.
 *   <li><b>trips</b>: transitions CLOSED → OPEN in the window (a failed trial, HALF_OPEN → OPEN, continues the same
 *       outage and is not a new trip).
 *   <li><b>time to recover</b>: for each outage that began in the window (CLOSED → OPEN) and ended in it (back to
 *       CLOSED, by a successful trial or a reset), the time between the two; mean and max. An outage still going on
 *       is reported as {@code ongoingOutage}.
 *   <li><b>cache share</b>: of the answers served for this breaker's data in the window (per whole minute), the share
 *       served from the cache; answers that could not be served at all are counted in {@code requests} as
 *       {@code unavailable}.
 * </ul>
 *
 * @param breaker the breaker's name
 * @param from start of the window
 * @param to end of the window
 * @param availabilityPercent share of the window not OPEN, in percent
 * @param trips outages begun in the window
 * @param meanTimeToRecover mean duration of the outages that began and ended in the window
 * @param maxTimeToRecover longest of those
 * @param ongoingOutage how long the current outage has lasted, if the breaker is OPEN or HALF_OPEN now
 * @param liveAnswers answers in the window served live
 * @param cachedAnswers answers in the window served from the cache
 * @param unavailableAnswers requests in the window that neither the upstream nor the cache could answer
 */
public record SlaReport(
    String breaker, Instant from, Instant to, double availabilityPercent, int trips,
    Optional<Duration> meanTimeToRecover, Optional<Duration> maxTimeToRecover, Optional<Duration> ongoingOutage,
    long liveAnswers, long cachedAnswers, long unavailableAnswers) {

  /** Checks the components. */
  public SlaReport {
    Objects.requireNonNull(breaker, "breaker");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
  }

  /**
   * Computes the report.
   *
   * @param breaker the breaker's name
   * @param transitions its transitions from the last one at or before {@code from} on, oldest first
   * @param from start of the window
   * @param to end of the window (now)
   * @param requests {live, cache, unavailable} answers in the window
   * @return the report
   */
  public static SlaReport compute(String breaker, List<TransitionRecord> transitions, Instant from, Instant to,
      long[] requests) {
    CircuitBreakerState state = CircuitBreakerState.CLOSED;
    Instant since = from;
    Instant outageStart = null;
    long openNanos = 0;
    int trips = 0;
    List<Duration> recoveries = new ArrayList<>();
    for (TransitionRecord t : transitions) {
      Instant at = t.at().isBefore(from) ? from : t.at();
      if (at.isAfter(to)) {
        break;
      }
      if (state == CircuitBreakerState.OPEN) {
        openNanos += Duration.between(since, at).toNanos();
      }
      boolean inWindow = !t.at().isBefore(from);
      if (t.from() == CircuitBreakerState.CLOSED && t.to() == CircuitBreakerState.OPEN) {
        outageStart = t.at();
        if (inWindow) {
          trips++;
        }
      } else if (t.to() == CircuitBreakerState.CLOSED) {
        if (outageStart != null && !outageStart.isBefore(from) && inWindow) {
          recoveries.add(Duration.between(outageStart, t.at()));
        }
        outageStart = null;
      }
      state = t.to();
      since = at;
    }
    if (state == CircuitBreakerState.OPEN) {
      openNanos += Duration.between(since, to).toNanos();
    }
    long windowNanos = Math.max(1L, Duration.between(from, to).toNanos());
    double availability = 100.0 * (1.0 - (double) openNanos / windowNanos);
    Optional<Duration> mean = recoveries.isEmpty() ? Optional.empty()
        : Optional.of(recoveries.stream().reduce(Duration.ZERO, Duration::plus).dividedBy(recoveries.size()));
    Optional<Duration> max = recoveries.stream().max(Duration::compareTo);
    Optional<Duration> ongoing = state == CircuitBreakerState.CLOSED || outageStart == null ? Optional.empty()
        : Optional.of(Duration.between(outageStart, to));
    return new SlaReport(breaker, from, to, availability, trips, mean, max, ongoing, requests[0], requests[1],
        requests[2]);
  }

  /**
   * Returns the answers served in the window.
   *
   * @return live + cache + unavailable
   */
  public long totalRequests() {
    return liveAnswers + cachedAnswers + unavailableAnswers;
  }

  /**
   * Returns the share of answers served from the cache, in percent, when there were answers.
   *
   * @return the share
   */
  public Optional<Double> cacheSharePercent() {
    long total = totalRequests();
    return total == 0 ? Optional.empty() : Optional.of(100.0 * cachedAnswers / total);
  }
}
