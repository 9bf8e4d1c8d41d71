package dev.optionchain.breaker;

import java.time.Duration;

/**
 * A user-supplied permission to start trial calls, consulted when an OPEN breaker's recovery timeout has elapsed:
 * "may this instance run the trial now?". A fleet of service instances sharing breaker decisions uses it so that
 * exactly one instance tests the recovering dependency (for example the holder of a lease).
 *
 * <p>The gate is consulted on the admitting thread, only by a call that would otherwise move the breaker from OPEN to
 * HALF_OPEN, never on the CLOSED path and never by readers ({@code getState()}, {@code getStatus()} ...). While it
 * answers {@code false} the breaker stays OPEN: the call is rejected at once with
 * {@link CircuitBreakerOpenException#retryAfter()} = {@link #retryAfter()}, and readers report OPEN. Once it answers
 * {@code true} the breaker moves to HALF_OPEN and the call becomes a trial; the gate is not consulted again until the
 * breaker is next OPEN and its timeout has elapsed.
 *
 * <p>Implementations must not block and should be cheap (a volatile read): every call rejected for want of permission
 * consults the gate again. Whatever the gate throws (but a {@link VirtualMachineError}) is logged as a warning and
 * taken as {@code true}: a broken gate lets the breaker recover on its own rather than keep it OPEN forever.
 */
@FunctionalInterface
public interface TrialGate {

  /**
   * Answers whether the breaker may start trial calls now. Must not block.
   *
   * @param breakerName the breaker asking
   * @return {@code true} to let this call start the trial
   */
  boolean mayStartTrial(String breakerName);

  /**
   * Returns the retry-after hint given to callers rejected because the gate said no. Default 1 s.
   *
   * @return a non-negative duration
   */
  default Duration retryAfter() {
    return Duration.ofSeconds(1);
  }
}
