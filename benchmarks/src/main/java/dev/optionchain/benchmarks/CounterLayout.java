package dev.optionchain.benchmarks;

import dev.optionchain.breaker.CircuitBreaker;
import java.lang.reflect.Field;
import java.util.concurrent.CountDownLatch;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.vm.VM;

/**
 * Diagnostics: where a breaker's first two counter cells sit in memory, before and after garbage collections. Two
 * threads each make one call (owning a cell each, if their ids fall on different cells) and stay alive; the addresses
 * of the cells are printed, then again after young collections (provoked by allocating garbage) and after
 * {@link System#gc()}. Reads the breaker's private fields by reflection (class path only).
 *
 * <pre>
 * java -cp benchmarks.jar dev.optionchain.benchmarks.CounterLayout
 * </pre>
 */
public final class CounterLayout {

  private CounterLayout() {}

  public static void main(String[] args) throws Exception {
    CircuitBreaker breaker = CircuitBreaker.of("layout");
    CountDownLatch registered = new CountDownLatch(2);
    CountDownLatch done = new CountDownLatch(1);
    for (int i = 0; i < 2; i++) {
      Thread t = new Thread(() -> {
        breaker.call(() -> "x");
        registered.countDown();
        try {
          done.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "caller-" + i);
      t.setDaemon(true);
      t.start();
    }
    registered.await();

    Object[] cells = cells(breaker);
    System.out.println(ClassLayout.parseClass(cells[0].getClass()).toPrintable());
    print("after registration", cells);
    long sink = 0;
    for (int i = 0; i < 4_000_000; i++) {
      sink += new byte[64].length;
    }
    print("after young collections (" + (sink >> 20) + " MiB of garbage)", cells);
    System.gc();
    print("after System.gc()", cells);
    done.countDown();
  }

  private static Object[] cells(CircuitBreaker breaker) throws ReflectiveOperationException {
    return (Object[]) read(read(breaker, "totals"), "cells");
  }

  private static Object read(Object target, String name) throws ReflectiveOperationException {
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
      } catch (NoSuchFieldException inSuperclass) {
        // keep looking
      }
    }
    throw new NoSuchFieldException(name);
  }

  private static void print(String when, Object[] cells) {
    long a = VM.current().addressOf(cells[0]);
    long b = VM.current().addressOf(cells[1]);
    System.out.printf("%s: cell 0 at 0x%x (line 0x%x), cell 1 at 0x%x (line 0x%x): %d bytes apart%s%n", when, a,
        a >>> 6, b, b >>> 6, Math.abs(b - a),
        Math.abs((a >>> 6) - (b >>> 6)) <= 1 ? " -> same or adjacent cache line" : "");
  }
}
