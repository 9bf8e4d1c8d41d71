package dev.optionchain.marketsim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class OptionQuoterTest {

  private static final MarketMoment NOW = MarketCalendar.moment(Instant.parse("2026-03-18T15:00:00Z"));
  private final MarketData market = new MarketData(42, Universe.standard());

  /** The nearest weekly, the next monthly and the farthest LEAPS of every symbol. */
  private List<List<OptionQuote>> sampleChains() {
    List<Expiration> expirations = market.expirations(NOW);
    List<Expiration> picks = List.of(expirations.get(0), expirations.get(4), expirations.get(expirations.size() - 1));
    List<List<OptionQuote>> chains = new ArrayList<>();
    for (Security s : market.universe().all()) {
      for (Expiration e : picks) {
        chains.add(market.chain(s, NOW, e));
      }
    }
    return chains;
  }

  @Test
  void quotesAreOnTheTickGridWithBidBelowAskAndNeverNegative() {
    for (List<OptionQuote> chain : sampleChains()) {
      Security security = market.universe().find(chain.get(0).occ().root()).orElseThrow();
      for (OptionQuote q : chain) {
        assertThat(q.bid()).as(q.symbol()).isGreaterThanOrEqualTo(0).isLessThan(q.ask());
        assertThat(onTick(q.bid(), security)).as("bid of %s", q.symbol()).isTrue();
        assertThat(onTick(q.ask(), security)).as("ask of %s", q.symbol()).isTrue();
        assertThat(q.bid()).isLessThanOrEqualTo(q.theoretical() + 1e-9);
        assertThat(q.ask()).isGreaterThanOrEqualTo(q.theoretical() - 1e-9);
      }
    }
  }

  @Test
  void worthlessFarOutOfTheMoneyOptionsBidZero() {
    Security spy = market.universe().find("SPY").orElseThrow();
    List<OptionQuote> chain = market.chain(spy, NOW, market.expirations(NOW).get(0));
    OptionQuote farPut = chain.get(1);
    OptionQuote farCall = chain.get(chain.size() - 2);
    assertThat(farPut.theoretical()).isLessThan(0.005);
    assertThat(farPut.bid()).isZero();
    assertThat(farPut.bidSize()).isZero();
    assertThat(farPut.ask()).isEqualTo(0.01);
    assertThat(farPut.bidIv()).isZero();
    assertThat(farCall.bid()).isZero();
  }

  @Test
  void spreadsWidenAwayFromTheMoneyAndWithMaturity() {
    Security aapl = market.universe().find("AAPL").orElseThrow();
    List<Expiration> expirations = market.expirations(NOW);
    List<OptionQuote> monthly = market.chain(aapl, NOW, expirations.get(4));
    List<OptionQuote> leaps = market.chain(aapl, NOW, expirations.get(expirations.size() - 1));
    OptionQuote atm = nearestDelta(monthly, 0.5);
    OptionQuote wing = nearestDelta(monthly, 0.1);
    assertThat(relativeSpread(atm)).isLessThan(0.05);
    assertThat(relativeSpread(wing)).isGreaterThan(relativeSpread(atm));
    assertThat(width(nearestDelta(leaps, 0.5))).isGreaterThan(width(atm));
  }

  @Test
  void bidAndAskVolsBracketTheModelVol() {
    for (List<OptionQuote> chain : sampleChains()) {
      for (OptionQuote q : chain) {
        if (q.bidIv() > 0 && q.askIv() > 0) {
          assertThat(q.bidIv()).as(q.symbol()).isLessThanOrEqualTo(q.smvVol() + 1e-9);
          assertThat(q.askIv()).as(q.symbol()).isGreaterThanOrEqualTo(q.smvVol() - 1e-9);
          assertThat(q.midIv()).isBetween(q.bidIv() - 1e-9, q.askIv() + 1e-9);
        }
      }
    }
  }

  @Test
  void theoreticalValuesSatisfyPutCallParity() {
    Security aapl = market.universe().find("AAPL").orElseThrow();
    double spot = market.paths().of(aapl).price(NOW);
    for (Expiration e : market.expirations(NOW)) {
      double t = Duration.between(NOW.instant(), e.expiresAt()).getSeconds() / (365.0 * 86_400);
      List<OptionQuote> chain = market.chain(aapl, NOW, e);
      for (int i = 0; i < chain.size(); i += 2) {
        OptionQuote call = chain.get(i);
        OptionQuote put = chain.get(i + 1);
        double k = call.occ().strike();
        assertThat(put.occ().strike()).isEqualTo(k);
        assertThat(call.theoretical() - put.theoretical()).as(call.symbol()).isEqualTo(
            spot * Math.exp(-aapl.dividendYield() * t) - k * Math.exp(-OptionQuoter.RATE * t), within(1e-8));
      }
    }
  }

  @Test
  void callValuesFallAndPutValuesRiseWithStrikeAcrossTheSmile() {
    for (List<OptionQuote> chain : sampleChains()) {
      double previousCall = Double.MAX_VALUE;
      double previousPut = -1;
      for (int i = 0; i < chain.size(); i += 2) {
        if (i > 0 && !chain.get(i).occ().root().equals(chain.get(i - 2).occ().root())) {
          previousCall = Double.MAX_VALUE; // the next root's strikes start again
          previousPut = -1;
        }
        assertThat(chain.get(i).theoretical()).as(chain.get(i).symbol()).isLessThanOrEqualTo(previousCall + 1e-9);
        assertThat(chain.get(i + 1).theoretical()).as(chain.get(i + 1).symbol())
            .isGreaterThanOrEqualTo(previousPut - 1e-9);
        previousCall = chain.get(i).theoretical();
        previousPut = chain.get(i + 1).theoretical();
      }
    }
  }

  @Test
  void openInterestPeaksNearTheMoneyAndOnRoundStrikes() {
    double round = 0;
    int roundCount = 0;
    double other = 0;
    int otherCount = 0;
    for (Security s : market.universe().all()) {
      Expiration monthly = market.expirations(NOW).get(4);
      assertThat(monthly.standard()).isTrue();
      List<OptionQuote> chain = market.chain(s, NOW, monthly);
      double ref = market.paths().of(s).close(NOW.previousClose().day());
      Map<Double, Long> oiByStrike = new TreeMap<>();
      for (OptionQuote q : chain) {
        oiByStrike.merge(q.occ().strike(), q.openInterest(), Long::sum);
      }
      double peakStrike = oiByStrike.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      assertThat(Math.abs(peakStrike / ref - 1)).as(s.symbol()).isLessThan(0.12);
      long increment = StrikeGrid.baseIncrement(ref);
      for (Map.Entry<Double, Long> entry : oiByStrike.entrySet()) {
        long millis = Math.round(entry.getKey() * 1000);
        if (Math.abs(entry.getKey() / ref - 1) > 0.05 || increment >= 10_000) {
          continue;
        }
        if (millis % (increment * 2) == 0 && millis % 5_000 == 0) {
          round += entry.getValue();
          roundCount++;
        } else if (millis % 5_000 != 0) {
          other += entry.getValue();
          otherCount++;
        }
      }
    }
    assertThat(round / roundCount).isGreaterThan(1.2 * other / otherCount);
  }

  @Test
  void volumeIsAFractionOfOpenInterestAndHigherNearExpiry() {
    double nearRatio = 0;
    double farRatio = 0;
    for (Security s : market.universe().all()) {
      List<Expiration> expirations = market.expirations(NOW);
      nearRatio += ratio(market.chain(s, NOW, expirations.get(0)));
      farRatio += ratio(market.chain(s, NOW, expirations.get(expirations.size() - 1)));
    }
    assertThat(nearRatio).isGreaterThan(2 * farRatio);
    for (List<OptionQuote> chain : sampleChains()) {
      for (OptionQuote q : chain) {
        assertThat(q.volume()).isBetween(0L, q.openInterest());
      }
    }
  }

  @Test
  void noVolumeAtTheOpeningBellSoLastIsThePreviousClose() {
    MarketMoment open = MarketCalendar.moment(Instant.parse("2026-03-18T13:30:00Z"));
    Security aapl = market.universe().find("AAPL").orElseThrow();
    for (OptionQuote q : market.chain(aapl, open, market.expirations(open).get(4))) {
      assertThat(q.volume()).isZero();
      assertThat(q.last()).isEqualTo(q.prevclose());
      assertThat(q.tradeDate()).isZero();
    }
  }

  @Test
  void quotesAnOptionBySymbolOnlyWhenListed() {
    Security aapl = market.universe().find("AAPL").orElseThrow();
    OptionQuote first = market.chain(aapl, NOW, market.expirations(NOW).get(2)).get(10);
    assertThat(market.option(first.occ(), NOW)).contains(first);
    OccSymbol offGrid = new OccSymbol("AAPL", first.occ().expiration(), OptionType.CALL, first.occ().strikeMillis() + 1);
    assertThat(market.option(offGrid, NOW)).isEmpty();
    OccSymbol notAnExpiration = new OccSymbol("AAPL", first.occ().expiration().plusDays(1), OptionType.CALL,
        first.occ().strikeMillis());
    assertThat(market.option(notAnExpiration, NOW)).isEmpty();
  }

  private static double ratio(List<OptionQuote> chain) {
    long volume = chain.stream().mapToLong(OptionQuote::volume).sum();
    long oi = chain.stream().mapToLong(OptionQuote::openInterest).sum();
    return oi == 0 ? 0 : volume / (double) oi;
  }

  private static OptionQuote nearestDelta(List<OptionQuote> chain, double delta) {
    return chain.stream().min((a, b) -> Double.compare(Math.abs(Math.abs(a.greeks().delta()) - delta),
        Math.abs(Math.abs(b.greeks().delta()) - delta))).orElseThrow();
  }

  private static double width(OptionQuote q) {
    return q.ask() - q.bid();
  }

  private static double relativeSpread(OptionQuote q) {
    return width(q) / q.theoretical();
  }

  private static boolean onTick(double price, Security security) {
    long cents = Math.round(price * 100);
    if (Math.abs(cents - price * 100) > 1e-6) {
      return false;
    }
    // A price is valid if it is a multiple of the tick that applies at that price.
    return cents % security.ticks().cents(price) == 0;
  }
}
