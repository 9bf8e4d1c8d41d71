package dev.optionchain.dashboard.market;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.breaker.testing.ManualClock;
import dev.optionchain.dashboard.upstream.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The upstream budget on virtual time: a sliding minute, a reserve for uncached data, the upstream's word. */
class LocalBudgetTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-18T15:00:00Z"), Long.MAX_VALUE - 5_000);

  @Test
  void allowsTheLimitInAnySixtySecondsAndSaysWhenTheNextIsFree() {
    LocalBudget budget = new LocalBudget(4, clock);
    for (int i = 0; i < 4; i++) {
      assertThat(budget.tryAcquire(false)).isEmpty();
      clock.advance(Duration.ofSeconds(10));
    }
    // calls at 0, 10, 20, 30 s; now 40 s
    assertThat(budget.tryAcquire(false)).contains(Duration.ofSeconds(20));
    assertThat(budget.available()).isZero();
    clock.advance(Duration.ofSeconds(20));
    assertThat(budget.tryAcquire(false)).as("the call at 0 s left the window").isEmpty();
    assertThat(budget.tryAcquire(false)).contains(Duration.ofSeconds(10));
  }

  @Test
  void callsWithACachedFallbackLeaveAQuarterForDataWithNothingCached() {
    LocalBudget budget = new LocalBudget(8, clock);
    for (int i = 0; i < 6; i++) {
      assertThat(budget.tryAcquire(true)).isEmpty();
    }
    assertThat(budget.tryAcquire(true)).as("refreshes stop at 8 - 2").isPresent();
    assertThat(budget.tryAcquire(false)).isEmpty();
    assertThat(budget.tryAcquire(false)).isEmpty();
    assertThat(budget.tryAcquire(false)).isPresent();
  }

  @Test
  void theUpstreamSayingNoneIsLeftStopsCallsUntilItsWindowEnds() {
    LocalBudget budget = new LocalBudget(120, clock);
    budget.observe(new RateLimit(120, 119, 1, clock.now().plusSeconds(30)));
    assertThat(budget.tryAcquire(false)).isEmpty();
    budget.observe(new RateLimit(120, 120, 0, clock.now().plusSeconds(30)));
    assertThat(budget.tryAcquire(false)).contains(Duration.ofSeconds(30));
    assertThat(budget.available()).isZero();
    clock.advance(Duration.ofSeconds(30));
    assertThat(budget.tryAcquire(false)).isEmpty();
  }

  @Test
  void aPauseAfterA429IsHonouredEvenWithoutALimitOfOurOwn() {
    LocalBudget budget = new LocalBudget(0, clock);
    assertThat(budget.tryAcquire(true)).isEmpty();
    budget.pause(Duration.ofSeconds(7));
    assertThat(budget.tryAcquire(true)).contains(Duration.ofSeconds(7));
    budget.pause(Duration.ofSeconds(2));
    assertThat(budget.tryAcquire(true)).as("a shorter pause does not shorten a longer one")
        .contains(Duration.ofSeconds(7));
    clock.advance(Duration.ofSeconds(7));
    assertThat(budget.tryAcquire(true)).isEqualTo(Optional.empty());
  }

  @Test
  void noWaitTheUpstreamAsksForStopsCallsForLongerThanTheCap() {
    LocalBudget budget = new LocalBudget(120, clock);
    // a garbage X-Ratelimit-Expiry (or a wall clock set back by a year) and a garbage Retry-After
    budget.observe(new RateLimit(120, 120, 0, clock.now().plus(Duration.ofDays(3650))));
    assertThat(budget.tryAcquire(false)).contains(UpstreamBudget.MAX_PAUSE);
    assertThat(budget.pause(Duration.ofSeconds(999_999_999_999_999_999L))).isEqualTo(UpstreamBudget.MAX_PAUSE);
    assertThat(budget.tryAcquire(false)).contains(UpstreamBudget.MAX_PAUSE);
    clock.advance(UpstreamBudget.MAX_PAUSE);
    assertThat(budget.tryAcquire(false)).as("asked again after the cap; a still-limited upstream says so again")
        .isEmpty();
    assertThat(budget.pause(Duration.ofSeconds(7))).as("a wait under the cap is kept").isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void aFleetInstanceCutOffFromTheOthersSpendsOnlyItsShare() {
    int[] instances = {3};
    LocalBudget budget = new LocalBudget(120, () -> instances[0], clock);
    int allowed = 0;
    while (budget.tryAcquire(false).isEmpty()) {
      allowed++;
    }
    assertThat(allowed).isEqualTo(40);
    instances[0] = 0; // no heartbeat seen yet: counts as one
    assertThat(budget.tryAcquire(false)).isEmpty();
  }
}
