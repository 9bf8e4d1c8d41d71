package dev.optionchain.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A HALF_OPEN trial call held in flight on a background thread until {@link #release()}, so that every measured call
 * meets a breaker whose trial is running.
 */
final class HeldTrial {

  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final Thread thread;

  /**
   * Starts {@code call}, giving it a function that blocks until released, and waits until the function runs.
   *
   * @param call makes the trial call through the breaker with the function it is given
   */
  HeldTrial(Consumer<Supplier<Object>> call) {
    Supplier<Object> blocking = () -> {
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "trial";
    };
    thread = new Thread(() -> call.accept(blocking), "held-trial");
    thread.setDaemon(true);
    thread.start();
    try {
      if (!started.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the trial call was not admitted");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Lets the trial complete and waits for its thread. */
  void release() throws InterruptedException {
    release.countDown();
    thread.join(10_000);
  }
}
