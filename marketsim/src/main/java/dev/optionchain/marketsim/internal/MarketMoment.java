package dev.optionchain.marketsim.internal;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The market state an answer is computed for. Immutable.
 *
 * @param day     the session the prices belong to (today during a session, else the last session)
 * @param minute  completed minutes since the 09:30 open, 0..390 (390 = closed)
 * @param instant the pricing instant: the start of {@code minute} during a session, else the
 *                16:00 close of {@code day}; every price, greek and time-to-expiry uses it
 * @param open    whether a regular session is in progress
 */
record MarketMoment(LocalDate day, int minute, Instant instant, boolean open) {

  /** The close of the previous session, used for {@code prevclose}. */
  MarketMoment previousClose() {
    LocalDate previous = MarketCalendar.previousTradingDay(day);
    return new MarketMoment(previous, MarketCalendar.SESSION_MINUTES, MarketCalendar.close(previous), false);
  }

  /** The opening minute of this moment's session. */
  MarketMoment sessionOpen() {
    return new MarketMoment(day, 0, MarketCalendar.open(day), true);
  }
}
