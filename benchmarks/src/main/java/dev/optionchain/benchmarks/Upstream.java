package dev.optionchain.benchmarks;

import dev.failsafe.function.CheckedSupplier;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The protected functions, one set per benchmark thread. Every implementation, ours and the peers, calls these same
 * objects, so the work inside the breaker is identical: {@link #ok} returns a constant read from a field, and
 * {@link #failing} does the same except that every tenth call throws {@link #FAILURE}, a pre-allocated exception
 * without a stack trace, so a failure costs the same whichever breaker it goes through.
 *
 * <p>Each function implements both {@link Supplier} (ours, Resilience4j, the naive breaker) and Failsafe's
 * {@link CheckedSupplier}, so no adapter stands between a peer and the function.
 */
@State(Scope.Thread)
public class Upstream {

  /** Thrown by {@link #failing} every tenth call. */
  static final RuntimeException FAILURE = new UpstreamFailure();

  /** Returns the quote. */
  final Constant ok = new Constant("AAPL 2026-01-16 200C 4.15");

  /** Returns the quote, except every tenth call (per thread), which throws {@link #FAILURE}. */
  final FailsEveryTenth failing = new FailsEveryTenth("AAPL 2026-01-16 200C 4.15");

  /** A function returning a constant. */
  static final class Constant implements Supplier<Object>, CheckedSupplier<Object> {
    private final Object value;

    Constant(Object value) {
      this.value = value;
    }

    @Override
    public Object get() {
      return value;
    }
  }

  /** A function that fails every tenth call; owned by one thread. */
  static final class FailsEveryTenth implements Supplier<Object>, CheckedSupplier<Object> {
    private final Object value;
    private int calls;

    FailsEveryTenth(Object value) {
      this.value = value;
    }

    @Override
    public Object get() {
      if (++calls == 10) {
        calls = 0;
        throw FAILURE;
      }
      return value;
    }
  }

  /** The upstream's failure: stackless and immutable, so one instance serves every thread. */
  static final class UpstreamFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UpstreamFailure() {
      super("upstream failed", null, false, false);
    }
  }
}
