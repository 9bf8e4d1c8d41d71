package dev.optionchain.breaker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.optionchain.breaker.testing.ManualClock;

/** Small helpers shared by the breaker tests. */
final class BreakerTestSupport {

  private BreakerTestSupport() {}

  /** The exception the tests' failing calls throw. */
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Boom() {
      super("boom");
    }
  }

  /** Makes one call that fails with {@link Boom}, which must reach the caller. */
  static void failOnce(CircuitBreaker breaker) {
    assertThatThrownBy(() -> breaker.call(() -> {
      throw new Boom();
    })).isInstanceOf(Boom.class);
  }

  /** Makes one call that succeeds. */
  static void succeedOnce(CircuitBreaker breaker) {
    breaker.call(() -> "ok");
  }

  /** Makes {@code failures} failing calls. */
  static void tripOpen(CircuitBreaker breaker, int failures) {
    for (int i = 0; i < failures; i++) {
      failOnce(breaker);
    }
  }

  /** A consecutive-mode config on {@code clock}. */
  static CircuitBreakerConfig consecutive(ManualClock clock, int threshold, long recoverySeconds) {
    return CircuitBreakerConfig.builder()
        .failureThreshold(threshold)
        .recoveryTimeout(java.time.Duration.ofSeconds(recoverySeconds))
        .clock(clock)
        .build();
  }

  /** Throws {@code t}, checked or not, without declaring it, as Lombok's {@code @SneakyThrows} does. */
  @SuppressWarnings("unchecked")
  static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
    throw (E) t;
  }
}
