package dev.optionchain.dashboard;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The threads of start-up warm-ups: their own ({@code warm-up}), their recorded upstreams'
 * ({@code recorded-tradier}) and their throwaway servers' ({@code warm-up-http}, {@code warm-up-io}).
 */
final class WarmUpThreads {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private WarmUpThreads() {}

  /** Returns the live ones now. */
  static Set<Thread> alive() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .filter(t -> t.getName().equals("warm-up") || t.getName().startsWith("warm-up-")
            || t.getName().startsWith("recorded-tradier"))
        .collect(Collectors.toSet());
  }

  /**
   * Waits up to 30 s for them to end.
   *
   * @return those still alive
   * @throws InterruptedException if interrupted while waiting
   */
  static Set<Thread> awaitNone() throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    Set<Thread> left = alive();
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
      left = alive();
    }
    return left;
  }
}
