package dev.optionchain.dashboard.web;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.javalin.http.ExceptionHandler;
import org.junit.jupiter.api.Test;

/**
 * The error handlers never throw: Javalin hands what an exception handler throws to the exception handlers again, so
 * a handler that threw on a request whose response was gone (recycled after its connection closed, when an event
 * stream's late keep-alive failed) kept them calling each other, a log line each time, without end (seen once in a
 * test run, gigabytes of log; not reproduced on demand, so this checks the property that ends it).
 */
class ErrorMapperTest {

  @Test
  void aGuardedHandlerThatFailsOnAResponseThatIsGoneDoesNotThrow() {
    ExceptionHandler<Exception> failing = (e, ctx) -> {
      throw new IllegalStateException("Response does not exist (likely recycled)");
    };
    assertThatCode(() -> ErrorMapper.guarded(failing).handle(new IllegalStateException("late"), null))
        .doesNotThrowAnyException();
  }
}
