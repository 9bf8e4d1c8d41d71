package dev.optionchain.dashboard;

import java.util.Arrays;
import java.util.Map;

/**
 * The main port's worker threads ({@code dashboard-http-*}) as the test's JVM sees them: how many there are, how many
 * are idle in the pool, and how many are serving a request inside the market-data service. Tests in the service's JVM
 * use it to know, without timing, that the pool is exhausted or that every request has been taken in.
 *
 * @param total threads of the pool
 * @param idle of them, waiting in the pool for a job
 * @param inMarket of them, inside {@code dev.optionchain.dashboard.market}
 */
public record WorkerThreads(int total, int idle, int inMarket) {

  /** The pool's maximum (ServerLimits.WORKER_THREADS). */
  static final int MAX = 200;

  /** Reads the threads now. */
  public static WorkerThreads now() {
    int total = 0;
    int idle = 0;
    int inMarket = 0;
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      if (!e.getKey().getName().startsWith("dashboard-http")) {
        continue;
      }
      total++;
      String stack = Arrays.toString(e.getValue());
      if (stack.contains("dev.optionchain.dashboard.market.")) {
        inMarket++;
      } else if (stack.contains("idleJobPoll") || stack.contains("reservedWait")) {
        idle++;
      }
    }
    return new WorkerThreads(total, idle, inMarket);
  }

  /** @return true when the pool has grown to its maximum and no thread of it is idle: a new job would be queued */
  public boolean exhausted() {
    return total >= MAX && idle == 0;
  }
}
