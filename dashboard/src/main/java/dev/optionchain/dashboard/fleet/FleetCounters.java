package dev.optionchain.dashboard.fleet;

import java.util.concurrent.atomic.LongAdder;

/** What the fleet counts, for {@code /metrics}. Thread-safe. */
final class FleetCounters {
  /** Messages received from other instances and acted on. */
  final LongAdder messagesIn = new LongAdder();
  /** Messages published. */
  final LongAdder messagesOut = new LongAdder();
  /** Messages ignored: another version, malformed. */
  final LongAdder messagesIgnored = new LongAdder();
  /** Transitions adopted from another instance's decision. */
  final LongAdder adopted = new LongAdder();
  /** Fresh answers served from another instance's fetch instead of an upstream call. */
  final LongAdder sharedHits = new LongAdder();
  /** Memory misses that waited for another instance's fetch of the same resource. */
  final LongAdder joined = new LongAdder();
  /** Stale fallbacks served from the fleet's last good answer. */
  final LongAdder sharedFallbacks = new LongAdder();
  /** Answers this instance shared. */
  final LongAdder published = new LongAdder();
  /** Answers too large to share. */
  final LongAdder tooLarge = new LongAdder();
}
