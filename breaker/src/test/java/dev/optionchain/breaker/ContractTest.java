package dev.optionchain.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.breaker.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The contract, written as the issue writes it: every name and signature other code relies on. If this file
 * stops compiling, the public API broke.
 */
class ContractTest {

  @Test
  void theContractCompilesAsWritten() throws Exception {
    ManualClock clock = new ManualClock();
    ManualClock other = new ManualClock(Instant.parse("2026-01-26T11:05:56Z"));
    clock.advance(Duration.ofSeconds(1));
    BreakerClock asClock = other;
    long nanos = asClock.nanoTime();
    Instant now = asClock.now();
    BreakerClock system = BreakerClock.system();

    CircuitBreakerConfig cfg = CircuitBreakerConfig.builder()
        .failureThreshold(5)
        .recoveryTimeout(Duration.ofSeconds(60))
        .clock(clock)
        .build();
    CircuitBreakerConfig defaults = CircuitBreakerConfig.defaults();

    CircuitBreaker a = CircuitBreaker.of("current_price");
    CircuitBreaker b = CircuitBreaker.of("options_chain", 3, Duration.ofSeconds(90));
    CircuitBreaker cb = CircuitBreaker.of("name", cfg);

    String value = cb.call(() -> "v");
    Integer checked = cb.callChecked(() -> 1);
    cb.run(() -> { });
    CompletableFuture<String> async = cb.callAsync(() -> CompletableFuture.completedFuture("a"));
    boolean open = cb.isOpen();
    boolean halfOpen = cb.isHalfOpen();
    boolean closed = cb.isClosed();
    CircuitBreakerState state = cb.getState();
    CircuitBreakerStatus status = cb.getStatus();
    cb.reset();
    String name = cb.getName();
    CircuitBreakerConfig config = cb.getConfig();
    Consumer<StateTransition> listener = t -> { };
    Subscription subscription = cb.onStateTransition(listener);
    subscription.close();

    StateTransition t = new StateTransition("n", CircuitBreakerState.CLOSED, CircuitBreakerState.OPEN, now, "why");
    String breakerName = t.breakerName();
    CircuitBreakerState from = t.from();
    CircuitBreakerState to = t.to();
    Instant at = t.at();
    String reason = t.reason();

    Object[] fields = {status.name(), status.state(), status.failureCount(), status.failureThreshold(),
        status.recoveryTimeout(), status.lastFailureTime(), status.stateSince(), status.retryAt(),
        status.successfulCalls(), status.failedCalls(), status.rejectedCalls()};
    Duration recovery = status.recoveryTimeout();
    Optional<Instant> lastFailure = status.lastFailureTime();
    Optional<Instant> retryAt = status.retryAt();
    Map<String, Object> map = status.toMap();

    RuntimeException base = new CircuitBreakerException("x");
    CircuitBreakerOpenException rejected =
        new CircuitBreakerOpenException("n", CircuitBreakerState.OPEN, Duration.ofSeconds(1));
    CircuitBreakerException asBase = rejected;
    String rejectedBy = rejected.breakerName();
    CircuitBreakerState rejectedIn = rejected.state();
    Duration retryAfter = rejected.retryAfter();

    CircuitBreakerRegistry global = CircuitBreakerRegistry.global();
    CircuitBreakerRegistry registry = new CircuitBreakerRegistry();
    CircuitBreaker registered = registry.register("current_price", a);
    Optional<CircuitBreaker> found = registry.get("current_price");
    CircuitBreaker created = registry.getOrCreate("options_chain", cfg);
    Map<String, CircuitBreaker> all = registry.getAll();
    registry.resetAll();
    Map<String, CircuitBreakerStatus> statuses = registry.getStatusAll();
    List<String> openNames = registry.getOpenBreakers();
    List<String> halfOpenNames = registry.getHalfOpenBreakers();
    List<String> closedNames = registry.getClosedBreakers();

    assertThat(value).isEqualTo("v");
    assertThat(checked).isEqualTo(1);
    assertThat(async).isCompletedWithValue("a");
    assertThat(open || halfOpen).isFalse();
    assertThat(closed).isTrue();
    assertThat(state).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(name).isEqualTo("name");
    assertThat(config).isSameAs(cfg);
    assertThat(defaults.failureThreshold()).isEqualTo(5);
    assertThat(b.getConfig().failureThreshold()).isEqualTo(3);
    assertThat(global).isSameAs(CircuitBreakerRegistry.global());
    assertThat(registered).isSameAs(a);
    assertThat(found).contains(a);
    assertThat(all).containsKeys("current_price", "options_chain").containsValue(created);
    assertThat(statuses).hasSize(2);
    assertThat(openNames).isEmpty();
    assertThat(halfOpenNames).isEmpty();
    assertThat(closedNames).containsExactly("current_price", "options_chain");
    assertThat(map).containsEntry("state", "CLOSED");
    assertThat(fields).hasSize(11);
    assertThat(recovery).isEqualTo(Duration.ofSeconds(60));
    assertThat(lastFailure).isEmpty();
    assertThat(retryAt).isEmpty();
    assertThat(base).isNotNull();
    assertThat(asBase).isSameAs(rejected);
    assertThat(rejectedBy).isEqualTo("n");
    assertThat(rejectedIn).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(retryAfter).isEqualTo(Duration.ofSeconds(1));
    assertThat(breakerName + from + to + at + reason).isNotBlank();
    assertThat(nanos).isZero();
    assertThat(now).isEqualTo(Instant.parse("2026-01-26T11:05:56Z"));
    assertThat(system).isSameAs(BreakerClock.system());
    assertThat(new ManualClock().now()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
  }
}
