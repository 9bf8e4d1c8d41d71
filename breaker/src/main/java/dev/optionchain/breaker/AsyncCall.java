package dev.optionchain.breaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One call through {@link CircuitBreaker#callAsync}: its outcome is recorded exactly once, either when its stage
 * completes or when the caller cancels the returned future, whichever comes first.
 */
final class AsyncCall<T> {

  private static final VarHandle SETTLED;

  static {
    try {
      SETTLED = MethodHandles.lookup().findVarHandle(AsyncCall.class, "settled", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final BreakerCore breaker;
  private final Period period;
  private final long start;
  private final CompletableFuture<T> result = new CompletableFuture<>();
  /** Whether the outcome has been recorded (by completion or cancellation). */
  @SuppressWarnings("unused")
  private volatile boolean settled;

  private AsyncCall(BreakerCore breaker, Period period, long start) {
    this.breaker = breaker;
    this.period = period;
    this.start = start;
  }

  static <T> CompletableFuture<T> start(BreakerCore b, Supplier<? extends CompletionStage<T>> fn) {
    Period p;
    try {
      p = b.admit();
    } catch (CircuitBreakerOpenException rejected) {
      return CompletableFuture.failedFuture(rejected);
    }
    long start = b.startTime();
    CompletionStage<T> stage;
    try {
      stage = Objects.requireNonNull(fn.get(), "callAsync: fn returned null instead of a stage");
    } catch (Error e) {
      b.onError(p, e, start);
      throw e;
    } catch (Throwable e) { // a RuntimeException, or a checked exception thrown without being declared
      b.onError(p, e, start);
      return CompletableFuture.failedFuture(e);
    }
    AsyncCall<T> call = new AsyncCall<>(b, p, start);
    call.result.whenComplete((value, error) -> {
      if (error instanceof CancellationException) {
        call.cancelled(stage);
      }
    });
    stage.whenComplete(call::completed);
    return call.result;
  }

  /** The stage completed: records its outcome, then completes the returned future, unless it was cancelled first. */
  private void completed(T value, Throwable error) {
    if (!SETTLED.compareAndSet(this, false, true)) {
      return;
    }
    if (error == null) {
      try {
        breaker.onValue(period, value, start);
      } finally {
        result.complete(value);
      }
    } else {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      try {
        breaker.onError(period, cause, start);
      } finally {
        result.completeExceptionally(cause);
      }
    }
  }

  /** The caller cancelled the returned future: gives the admission back and cancels the stage if it can. */
  private void cancelled(CompletionStage<T> stage) {
    if (!SETTLED.compareAndSet(this, false, true)) {
      return;
    }
    Outcomes.cancelled(breaker, period);
    try {
      stage.toCompletableFuture().cancel(true);
    } catch (UnsupportedOperationException cannot) {
      // a stage that is not a future cannot be cancelled; its outcome no longer counts either way
    }
  }
}
