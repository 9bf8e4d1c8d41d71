package dev.optionchain.breaker.testing;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.optionchain.breaker.CircuitBreaker;
import dev.optionchain.breaker.CircuitBreakerConfig;
import dev.optionchain.breaker.CircuitBreakerOpenException;
import dev.optionchain.breaker.CircuitBreakerState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ManualClockTest {

  private static final Instant START = Instant.parse("2026-01-26T11:05:56Z");

  private ExecutorService executor;

  @AfterEach
  void shutDownExecutor() throws InterruptedException {
    if (executor != null) {
      executor.shutdownNow();
      assertThat(executor.awaitTermination(10, SECONDS)).isTrue();
    }
  }

  @Test
  void defaultClockStartsAtNewYear2026WithNanoTimeZero() {
    ManualClock clock = new ManualClock();

    assertThat(clock.now()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(ManualClock.DEFAULT_START).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(clock.nanoTime()).isZero();
  }

  @Test
  void clockStartsAtTheGivenInstantAndOrigin() {
    assertThat(new ManualClock(START).now()).isEqualTo(START);
    assertThat(new ManualClock(START).nanoTime()).isZero();

    ManualClock clock = new ManualClock(START, -42L);
    assertThat(clock.now()).isEqualTo(START);
    assertThat(clock.nanoTime()).isEqualTo(-42L);
  }

  @Test
  void clockDoesNotMoveOnItsOwn() {
    ManualClock clock = new ManualClock(START, 7L);

    for (int i = 0; i < 1_000; i++) {
      assertThat(clock.now()).isEqualTo(START);
      assertThat(clock.nanoTime()).isEqualTo(7L);
    }
  }

  @Test
  void advanceMovesNowAndNanoTimeTogether() {
    ManualClock clock = new ManualClock(START, 1_000L);

    assertThat(clock.advance(Duration.ofSeconds(90).plusNanos(5))).isSameAs(clock);
    assertThat(clock.now()).isEqualTo(START.plusSeconds(90).plusNanos(5));
    assertThat(clock.nanoTime()).isEqualTo(1_000L + 90_000_000_005L);

    assertThat(clock.advanceMillis(250)).isSameAs(clock);
    assertThat(clock.now()).isEqualTo(START.plusSeconds(90).plusNanos(5).plusMillis(250));
    assertThat(clock.nanoTime()).isEqualTo(1_000L + 90_250_000_005L);

    clock.advance(Duration.ZERO);
    assertThat(clock.nanoTime()).isEqualTo(1_000L + 90_250_000_005L);
  }

  @Test
  void negativeAdvanceIsRejected() {
    ManualClock clock = new ManualClock(START);

    assertThatThrownBy(() -> clock.advance(Duration.ofNanos(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("amount")
        .hasMessageContaining("PT-0.000000001S");
    assertThatThrownBy(() -> clock.advanceMillis(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(clock.now()).isEqualTo(START);
    assertThat(clock.nanoTime()).isZero();
  }

  @Test
  void toStringShowsTheCurrentInstant() {
    assertThat(new ManualClock(START).advanceMillis(1)).hasToString("ManualClock[2026-01-26T11:05:56.001Z]");
  }

  @Test
  void nanoTimeWrapsPastLongMaxValue() {
    ManualClock clock = new ManualClock(START, Long.MAX_VALUE - 1_000);

    clock.advance(Duration.ofNanos(1_001));

    assertThat(clock.nanoTime()).isEqualTo(Long.MIN_VALUE);
    assertThat(clock.now()).isEqualTo(START.plusNanos(1_001));
  }

  @Test
  void breakerTripsAndRecoversAcrossTheNanoTimeOverflow() {
    ManualClock clock = new ManualClock(START, Long.MAX_VALUE - 1_000);
    CircuitBreaker breaker = CircuitBreaker.of("wrap", CircuitBreakerConfig.builder()
        .failureThreshold(2)
        .recoveryTimeout(Duration.ofSeconds(60))
        .clock(clock)
        .build());
    fail(breaker);
    fail(breaker);
    assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);

    clock.advance(Duration.ofSeconds(30));
    assertThat(clock.nanoTime()).as("wrapped").isNegative();
    assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(rejection(breaker).retryAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(breaker.getStatus().retryAt()).contains(START.plusSeconds(60));

    clock.advance(Duration.ofSeconds(30).minusNanos(1));
    assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(rejection(breaker).retryAfter()).isEqualTo(Duration.ofNanos(1));

    clock.advance(Duration.ofNanos(1));
    assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    assertThat(breaker.call(() -> "trial")).isEqualTo("trial");
    assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(breaker.getStatus().lastFailureTime()).contains(START);
  }

  @Test
  void breakerCreatedJustBeforeTheOverflowTripsOnlyAfterItsTimeoutAcrossTheWrap() {
    ManualClock clock = new ManualClock(START, Long.MAX_VALUE - 1_000);
    CircuitBreaker breaker = CircuitBreaker.of("wrap", CircuitBreakerConfig.builder()
        .failureThreshold(1)
        .recoveryTimeout(Duration.ofNanos(2_000))
        .clock(clock)
        .build());

    fail(breaker);
    clock.advance(Duration.ofNanos(1_999));
    assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
    clock.advance(Duration.ofNanos(1));
    assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    fail(breaker);
    assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
    clock.advance(Duration.ofNanos(2_000));
    assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.HALF_OPEN);
  }

  @Test
  void concurrentAdvancesAreNeverLost() throws Exception {
    int threads = 8;
    int advances = 1_000;
    ManualClock clock = new ManualClock(START, 5L);
    executor = Executors.newFixedThreadPool(threads);
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(executor.submit(() -> {
        ready.countDown();
        assertThat(start.await(10, SECONDS)).isTrue();
        for (int i = 0; i < advances; i++) {
          clock.advance(Duration.ofNanos(1));
        }
        return null;
      }));
    }
    assertThat(ready.await(10, SECONDS)).isTrue();
    start.countDown();
    for (Future<?> f : futures) {
      f.get(10, SECONDS);
    }

    assertThat(clock.nanoTime()).isEqualTo(5L + threads * advances);
    assertThat(clock.now()).isEqualTo(START.plusNanos(threads * advances));
  }

  private static void fail(CircuitBreaker breaker) {
    IllegalStateException boom = new IllegalStateException("boom");
    assertThat(catchThrowable(() -> breaker.call(() -> {
      throw boom;
    }))).isSameAs(boom);
  }

  private static CircuitBreakerOpenException rejection(CircuitBreaker breaker) {
    Throwable thrown = catchThrowable(() -> breaker.call(() -> "not called"));
    assertThat(thrown).isInstanceOf(CircuitBreakerOpenException.class);
    return (CircuitBreakerOpenException) thrown;
  }
}
