package dev.optionchain.dashboard.history;

import static dev.optionchain.breaker.CircuitBreakerState.CLOSED;
import static dev.optionchain.breaker.CircuitBreakerState.HALF_OPEN;
import static dev.optionchain.breaker.CircuitBreakerState.OPEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.optionchain.breaker.CircuitBreakerState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The SLA definitions on scripted timelines. */
class SlaReportTest {

  private static final Instant FROM = Instant.parse("2026-03-02T00:00:00Z");
  private static final Instant TO = FROM.plus(Duration.ofHours(24));
  private static final long[] NO_REQUESTS = {0, 0, 0};

  private static TransitionRecord t(CircuitBreakerState from, CircuitBreakerState to, Instant at) {
    return new TransitionRecord("options_chain", from, to, at, "test", 0, Duration.ofSeconds(90), 0, false,
        Optional.empty());
  }

  private static Instant at(String hhmmss) {
    return Instant.parse("2026-03-02T" + hhmmss + "Z");
  }

  @Test
  void aBreakerWithNoHistoryWasAvailableAllAlong() {
    SlaReport r = SlaReport.compute("x", List.of(), FROM, TO, new long[] {90, 10, 0});
    assertThat(r.availabilityPercent()).isEqualTo(100.0);
    assertThat(r.trips()).isZero();
    assertThat(r.meanTimeToRecover()).isEmpty();
    assertThat(r.ongoingOutage()).isEmpty();
    assertThat(r.totalRequests()).isEqualTo(100);
    assertThat(r.cacheSharePercent()).contains(10.0);
  }

  @Test
  void twoOutagesWithAFailedTrialCountTwoTripsAndTheirRecoveryTimes() {
    List<TransitionRecord> timeline = List.of(
        t(CLOSED, OPEN, at("01:00:00")),
        t(OPEN, HALF_OPEN, at("01:01:30")),
        t(HALF_OPEN, OPEN, at("01:01:31")),      // failed trial: same outage
        t(OPEN, HALF_OPEN, at("01:03:01")),
        t(HALF_OPEN, CLOSED, at("01:03:02")),     // outage 1 lasted 182 s, of which 180 s OPEN
        t(CLOSED, OPEN, at("12:00:00")),
        t(OPEN, HALF_OPEN, at("12:01:30")),
        t(HALF_OPEN, CLOSED, at("12:01:31")));    // outage 2: 91 s, 90 s OPEN
    SlaReport r = SlaReport.compute("x", timeline, FROM, TO, NO_REQUESTS);
    assertThat(r.trips()).isEqualTo(2);
    assertThat(r.maxTimeToRecover()).contains(Duration.ofSeconds(182));
    assertThat(r.meanTimeToRecover()).contains(Duration.ofMillis(136_500));
    double open = 90 + 90 + 90;
    assertThat(r.availabilityPercent()).isCloseTo(100.0 * (1 - open / 86_400), within(1e-9));
    assertThat(r.ongoingOutage()).isEmpty();
  }

  @Test
  void anOutageBegunBeforeTheWindowCountsItsOpenTimeButNotAsATrip() {
    List<TransitionRecord> timeline = List.of(
        t(CLOSED, OPEN, FROM.minus(Duration.ofMinutes(10))),
        t(OPEN, HALF_OPEN, at("00:05:00")),
        t(HALF_OPEN, CLOSED, at("00:05:01")));
    SlaReport r = SlaReport.compute("x", timeline, FROM, TO, NO_REQUESTS);
    assertThat(r.trips()).isZero();
    assertThat(r.meanTimeToRecover()).as("its start is outside the window").isEmpty();
    assertThat(r.availabilityPercent()).isCloseTo(100.0 * (1 - 300.0 / 86_400), within(1e-9));
  }

  @Test
  void anOngoingOutageIsOpenUntilNowAndReportedAsOngoing() {
    List<TransitionRecord> timeline = List.of(t(CLOSED, OPEN, at("23:00:00")));
    SlaReport r = SlaReport.compute("x", timeline, FROM, TO, NO_REQUESTS);
    assertThat(r.trips()).isEqualTo(1);
    assertThat(r.ongoingOutage()).contains(Duration.ofHours(1));
    assertThat(r.availabilityPercent()).isCloseTo(100.0 * 23 / 24, within(1e-9));
  }

  @Test
  void halfOpenCountsAsAvailable() {
    List<TransitionRecord> timeline = List.of(
        t(CLOSED, OPEN, at("10:00:00")),
        t(OPEN, HALF_OPEN, at("10:10:00")));
    SlaReport r = SlaReport.compute("x", timeline, FROM, TO, NO_REQUESTS);
    assertThat(r.availabilityPercent()).isCloseTo(100.0 * (1 - 600.0 / 86_400), within(1e-9));
    assertThat(r.ongoingOutage()).contains(Duration.ofHours(14));
  }

  @Test
  void aResetEndsAnOutage() {
    List<TransitionRecord> timeline = List.of(
        t(CLOSED, OPEN, at("10:00:00")),
        t(OPEN, CLOSED, at("10:00:20")));
    SlaReport r = SlaReport.compute("x", timeline, FROM, TO, NO_REQUESTS);
    assertThat(r.meanTimeToRecover()).contains(Duration.ofSeconds(20));
  }

  @Test
  void noAnswersMeansNoCacheShare() {
    assertThat(SlaReport.compute("x", List.of(), FROM, TO, NO_REQUESTS).cacheSharePercent()).isEmpty();
  }
}
