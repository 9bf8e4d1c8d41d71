package dev.optionchain.breaker;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Logs a breaker's transitions and delivers them to its listeners: in order, once each, outside any lock, by one
 * thread at a time.
 *
 * <p>The transitions are the chain of periods itself: a thread that replaces period P by Q links {@code P.next = Q}
 * and then calls {@link #drain()}. Draining walks the chain from the last period delivered, so the order is the order
 * in which the periods replaced each other, and unlinks each period it leaves (its only link was set once, by the
 * thread that replaced it, before its drain), so that a call that never completes keeps only its own period
 * reachable, not every later one. A work-in-progress counter elects one drainer at a time: a thread that
 * finds a drain running only records that there is more to do, and the running drainer delivers it before it stops
 * (the usual queue-drain loop). So listeners run on the thread that made a transition (or on a thread draining
 * concurrently), after the new state is in force; a transition a listener causes is delivered after the current one;
 * and no call or transition waits for a listener, since none takes a lock.
 *
 * <p>Whatever a listener (or the logging backend) throws, except a {@link VirtualMachineError}, is logged at WARNING
 * and contained: later listeners still receive the event and the caller never sees it.
 */
final class Delivery {

  /** The library's logger, named after {@link CircuitBreaker}. */
  static final System.Logger LOG = System.getLogger(CircuitBreaker.class.getName());

  private final String name;
  private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicInteger pending = new AtomicInteger();
  /** The last period whose transition was delivered; read and written by the drainer only. */
  private Period delivered;

  Delivery(String name, Period initial) {
    this.name = name;
    this.delivered = initial;
  }

  Subscription subscribe(Consumer<StateTransition> listener) {
    Objects.requireNonNull(listener, "listener");
    Listener l = new Listener(listener);
    listeners.add(l);
    return () -> {
      l.closed = true;
      listeners.remove(l);
    };
  }

  /** Delivers every transition not yet delivered, unless another thread is doing so (it will deliver them too). */
  void drain() {
    if (pending.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    try {
      for (;;) {
        Period p;
        while ((p = delivered.next) != null) {
          // unlink what is delivered: a call still running holds its own period, and must not hold every later one
          delivered.next = null;
          delivered = p;
          deliver(p.cause);
        }
        missed = pending.addAndGet(-missed);
        if (missed == 0) {
          return;
        }
      }
    } catch (VirtualMachineError e) {
      pending.set(0); // let the next transition's drain carry on from here
      throw e;
    }
  }

  private void deliver(StateTransition t) {
    boolean change = t.from() != t.to();
    String adopted = t.origin().map(o -> ", adopted from " + o).orElse("");
    log(change && t.to() == CircuitBreakerState.OPEN ? Level.ERROR : Level.INFO,
        change ? t.at() + " CircuitBreaker '" + name + "' transitioning " + t.from() + " -> " + t.to() + " ("
            + t.reason() + adopted + ")"
            : t.at() + " CircuitBreaker '" + name + "' " + t.to() + " (" + t.reason() + adopted + ")");
    if (change) {
      for (Listener l : listeners) {
        l.accept(t);
      }
    }
  }

  private void log(Level level, String message) {
    try {
      if (LOG.isLoggable(level)) {
        LOG.log(level, message);
      }
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      // a broken logging backend must not break the breaker; nothing else to report it to
    }
  }

  /** A subscribed listener; contains its failures. */
  private final class Listener {
    private final Consumer<StateTransition> delegate;
    /** Set by {@link Subscription#close()}, so a delivery already iterating over this listener skips it. */
    volatile boolean closed;

    Listener(Consumer<StateTransition> delegate) {
      this.delegate = delegate;
    }

    void accept(StateTransition event) {
      if (closed) {
        return;
      }
      try {
        delegate.accept(event);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        log(Level.WARNING, "CircuitBreaker '" + name + "': state-transition listener failed on " + event, e);
      }
    }
  }

  private void log(Level level, String message, Throwable thrown) {
    try {
      LOG.log(level, message, thrown);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable ignored) {
      // see log(Level, String)
    }
  }
}
