package dev.optionchain.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The coarse clock's ticker: it starts only when read, stops by itself, survives interrupts and its own death, and a
 * clock whose thread cannot start still tells the time. These tests are about a real thread, so they wait on it
 * (with {@link Thread#join(long)}), but assert only what must happen, never how fast.
 */
class CoarseClockTest {

  private final List<Thread> started = new CopyOnWriteArrayList<>();
  private final AtomicInteger starts = new AtomicInteger();

  private final CoarseClock clock = new CoarseClock((ticker, name) -> {
    starts.incrementAndGet();
    Thread t = new Thread(ticker, name + "-test");
    t.setDaemon(true);
    started.add(t);
    t.start();
  });

  @AfterEach
  void waitForTheTickersToStop() throws InterruptedException {
    for (Thread t : started) {
      t.join(30_000);
      assertThat(t.isAlive()).as("a ticker nobody reads stops by itself").isFalse();
    }
  }

  /** Reads until {@code condition} holds, keeping the ticker wanted; joins on the ticker a millisecond at a time. */
  private void readUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 30_000 && !condition.getAsBoolean(); i++) {
      clock.read();
      started.get(started.size() - 1).join(1);
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }

  @Test
  void nothingStartsUntilTheClockIsRead() {
    assertThat(starts).hasValue(0);
    long before = System.nanoTime();
    long read = clock.read();
    assertThat(read).isGreaterThanOrEqualTo(before);
    assertThat(starts).hasValue(1);
  }

  @Test
  void aReadingNeverRunsAheadOfNanoTime() throws InterruptedException {
    clock.read();
    readUntil(clock::running);
    for (int i = 0; i < 10_000; i++) {
      long coarse = clock.read();
      assertThat(coarse - System.nanoTime()).isLessThanOrEqualTo(0);
    }
  }

  @Test
  void theTickerStopsByItselfAndTheNextReadStartsAnother() throws InterruptedException {
    clock.read();
    Thread first = started.get(0);
    first.join(30_000);
    assertThat(first.isAlive()).isFalse();
    assertThat(clock.running()).isFalse();

    long before = System.nanoTime();
    assertThat(clock.read()).as("a stopped clock reads the precise time").isGreaterThanOrEqualTo(before);
    assertThat(starts).hasValue(2);
  }

  @Test
  void anInterruptedTickerClearsTheInterruptAndKeepsTicking() throws InterruptedException {
    clock.read();
    readUntil(clock::running);
    Thread ticker = started.get(0);

    ticker.interrupt();
    readUntil(() -> !ticker.isInterrupted());
    long published = clock.read();
    readUntil(() -> clock.read() > published);

    assertThat(ticker.isAlive()).isTrue();
    assertThat(starts).as("the same ticker, not a replacement").hasValue(1);
  }

  @Test
  @SuppressWarnings({"deprecation", "removal"}) // Thread.stop(): deprecated in 17, for removal from 18
  void aDeadTickerIsReplacedAndTheClockNeverStops() throws InterruptedException {
    assumeThat(Runtime.version().feature()).as("Thread.stop() works up to Java 19").isLessThan(20);
    clock.read();
    readUntil(clock::running);
    Thread ticker = started.get(0);

    ticker.stop();
    ticker.join(30_000);
    assertThat(ticker.isAlive()).isFalse();
    assertThat(clock.running()).as("its finally marked it stopped").isFalse();

    long before = System.nanoTime();
    assertThat(clock.read()).isGreaterThanOrEqualTo(before);
    assertThat(starts).hasValue(2);
  }

  @Test
  void aClockWhoseThreadCannotStartReadsThePreciseTime() {
    AtomicInteger attempts = new AtomicInteger();
    CoarseClock denied = new CoarseClock((ticker, name) -> {
      attempts.incrementAndGet();
      throw new SecurityException("no threads for you");
    });
    for (int i = 0; i < 1_000; i++) {
      long before = System.nanoTime();
      assertThat(denied.read()).isGreaterThanOrEqualTo(before);
    }
    assertThat(denied.running()).isFalse();
    assertThat(attempts).as("retried at most once a second").hasValueBetween(1, 60);
  }

  /**
   * Found in review: "no native threads left" is an {@link OutOfMemoryError}, which the clock rethrew, so every
   * rejection of an OPEN breaker threw it to its caller (and tried to start a thread again), instead of rejecting.
   */
  @Test
  void aClockThatCannotCreateANativeThreadReadsThePreciseTimeInsteadOfThrowing() {
    AtomicInteger attempts = new AtomicInteger();
    CoarseClock exhausted = new CoarseClock((ticker, name) -> {
      attempts.incrementAndGet();
      throw new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource "
          + "limits reached");
    });
    for (int i = 0; i < 1_000; i++) {
      long before = System.nanoTime();
      assertThat(exhausted.read()).isGreaterThanOrEqualTo(before);
    }
    assertThat(exhausted.running()).isFalse();
    assertThat(attempts).as("retried at most once a second").hasValueBetween(1, 60);
  }

  /**
   * Found in review: the ticker was created by whichever thread first needed it, and took that thread's inheritable
   * thread locals (a web request's context, pinning its class loader while the ticker ran) and its priority (a
   * rejection on a MAX_PRIORITY thread made a MAX_PRIORITY ticker, what issue 9 complained of).
   */
  @Test
  void theTickerInheritsNeitherThreadLocalsNorPriorityFromTheThreadThatStartsIt() throws InterruptedException {
    InheritableThreadLocal<Object> requestContext = new InheritableThreadLocal<>();
    requestContext.set(new Object());
    Thread self = Thread.currentThread();
    int priority = self.getPriority();
    self.setPriority(Thread.MAX_PRIORITY);
    AtomicReference<Object> inherited = new AtomicReference<>("not run");
    AtomicInteger tickerPriority = new AtomicInteger();
    AtomicReference<ClassLoader> loader = new AtomicReference<>(getClass().getClassLoader());
    CountDownLatch ran = new CountDownLatch(1);
    try {
      CoarseClock.startDaemon(() -> {
        inherited.set(requestContext.get());
        tickerPriority.set(Thread.currentThread().getPriority());
        loader.set(Thread.currentThread().getContextClassLoader());
        ran.countDown();
      }, "inherits-nothing");
    } finally {
      self.setPriority(priority);
      requestContext.remove();
    }
    assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(inherited.get()).isNull();
    assertThat(tickerPriority).hasValue(Thread.NORM_PRIORITY);
    assertThat(loader.get()).isNull();
  }
}
