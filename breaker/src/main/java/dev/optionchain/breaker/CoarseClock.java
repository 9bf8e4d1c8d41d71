package dev.optionchain.breaker;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A coarse copy of {@link System#nanoTime()} for the rejection path of breakers on the system clock, where a precise
 * read (about 22 ns on this project's virtual machines) would cost more than the rest of a rejection.
 *
 * <p>{@link #read()} returns the value a ticker thread published at most about a millisecond ago, so it never runs
 * ahead of {@code System.nanoTime()}: a decision taken on it can only be late, never early. The ticker exists only
 * while it is read:
 * <ul>
 *   <li>no thread exists until a rejection reads the clock, so none runs while every breaker is CLOSED;
 *   <li>the ticker stops by itself after {@value #IDLE_TICKS} ticks (about a second) without a reader, and the next
 *       read starts a new one;
 *   <li>a read while no ticker runs returns {@code System.nanoTime()} itself, so the clock works while a ticker is
 *       starting, after one has died (its {@code finally} marks it stopped, whatever killed it) and, if a thread
 *       cannot be started at all (denied, or no native thread left: an {@link OutOfMemoryError} that is caught and
 *       logged here rather than thrown at the rejected caller), for good (retrying the start once a second);
 *   <li>an interrupt is cleared and otherwise ignored: the ticker neither spins nor stops;
 *   <li>nothing happens during class initialisation, which therefore cannot fail; the ticker has no context class
 *       loader, inherits no thread locals and runs at normal priority whatever thread starts it, and once it has
 *       stopped nothing of the library is reachable from a live thread.
 * </ul>
 * Readers write a shared flag only when the ticker has cleared it, at most once per tick.
 */
final class CoarseClock {

  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** Ticks without a reader after which the ticker stops. */
  static final int IDLE_TICKS = 1_000;
  private static final long RETRY_START_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final String THREAD_NAME = "optionchain-breaker-clock";

  /** The clock of {@link BreakerClock#system()}. */
  static final CoarseClock SYSTEM = new CoarseClock(CoarseClock::startDaemon);

  /** Starts a ticker thread; tests substitute one that fails. */
  interface Starter {
    void start(Runnable ticker, String name);
  }

  private static final int STOPPED = 0;
  private static final int STARTING = 1;
  private static final int RUNNING = 2;

  private final Starter starter;
  private final AtomicInteger phase = new AtomicInteger(STOPPED);
  private volatile long published;
  /** Whether a reader has read since the ticker last looked. */
  private volatile boolean read;
  /** After a failed start, the {@code System.nanoTime()} from which to try again. */
  private volatile long retryAt;
  private volatile boolean startFailed;

  CoarseClock(Starter starter) {
    this.starter = starter;
    this.retryAt = System.nanoTime();
  }

  /** Returns {@code System.nanoTime()} as of at most about a millisecond ago, never later than now. */
  long read() {
    if (phase.get() == RUNNING) {
      if (!read) {
        read = true;
      }
      return published;
    }
    return startAndReadPrecisely();
  }

  private long startAndReadPrecisely() {
    long now = System.nanoTime();
    if (now - retryAt >= 0 && phase.compareAndSet(STOPPED, STARTING)) {
      published = now;
      read = true;
      try {
        starter.start(this::tick, THREAD_NAME);
      } catch (VirtualMachineError e) {
        if (!(e instanceof OutOfMemoryError)) { // a stack overflow in the caller: not ours to hide
          phase.set(STOPPED);
          throw e;
        }
        // "unable to create native thread" is how the JVM says no thread is left; rethrown, it would reach every
        // caller of an OPEN breaker in place of its rejection
        startFailed(now, e);
      } catch (Throwable t) { // a security manager, a destroyed thread group ...
        startFailed(now, t);
      }
    }
    return now;
  }

  /** No ticker: the breakers read the precise clock until a start is retried, a second from now. */
  private void startFailed(long now, Throwable why) {
    retryAt = now + RETRY_START_NANOS;
    phase.set(STOPPED);
    if (!startFailed) {
      startFailed = true;
      Delivery.LOG.log(Level.WARNING, "cannot start the breaker clock thread; OPEN breakers read "
          + "System.nanoTime() on every rejection instead, and retry once a second", why);
    }
  }

  /** The ticker's loop: publish, park a tick, stop after a second without readers. */
  private void tick() {
    try {
      published = System.nanoTime();
      phase.set(RUNNING);
      int idle = 0;
      while (idle < IDLE_TICKS) {
        LockSupport.parkNanos(this, TICK_NANOS);
        Thread.interrupted(); // an interrupt would make every later park return at once: clear it, keep ticking
        published = System.nanoTime();
        if (read) {
          read = false;
          idle = 0;
        } else {
          idle++;
        }
      }
    } finally {
      phase.set(STOPPED);
    }
  }

  /** Whether a ticker is running, for tests. */
  boolean running() {
    return phase.get() == RUNNING;
  }

  /**
   * Starts the ticker as a daemon that takes nothing from the thread that happens to start it: no inheritable thread
   * locals (which could pin a caller's class loader while it runs), no context class loader, normal priority.
   */
  static void startDaemon(Runnable ticker, String name) {
    Thread t = new Thread(null, ticker, name, 0, false);
    t.setDaemon(true);
    t.setContextClassLoader(null);
    t.setPriority(Thread.NORM_PRIORITY);
    t.start();
  }
}
