package dev.optionchain.breaker;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A small property-based test runner: generates parameters and operation sequences from seeded random numbers, runs a
 * property on each, and when one fails, shrinks the sequence (dropping chunks, then single operations, while it still
 * fails) and reports the seed, the parameters and the smallest failing sequence.
 *
 * <p>Seeds are fixed, so a run is reproducible; set the system property {@code property.seed} to explore others.
 */
final class PropertyCheck {

  private PropertyCheck() {}

  static <P, O> void forAll(int tries, Function<SplittableRandom, P> parameters,
      Function<SplittableRandom, List<O>> operations, BiConsumer<P, List<O>> property) {
    long base = Long.getLong("property.seed", 20_260_101L);
    for (int i = 0; i < tries; i++) {
      long seed = base + i;
      SplittableRandom random = new SplittableRandom(seed);
      P p = parameters.apply(random);
      List<O> ops = operations.apply(random);
      AssertionError failure = check(property, p, ops);
      if (failure != null) {
        List<O> smallest = shrink(property, p, ops);
        AssertionError shrunk = check(property, p, smallest);
        AssertionError report = new AssertionError("property failed for seed " + seed + " with " + p
            + "\n  smallest failing sequence (" + smallest.size() + " of " + ops.size() + " steps): " + smallest
            + "\n  " + (shrunk == null ? failure : shrunk).getMessage(), failure);
        throw report;
      }
    }
  }

  private static <P, O> AssertionError check(BiConsumer<P, List<O>> property, P p, List<O> ops) {
    try {
      property.accept(p, ops);
      return null;
    } catch (AssertionError e) {
      return e;
    }
  }

  /** Greedy delta debugging: remove chunks of halving size as long as the property still fails. */
  private static <P, O> List<O> shrink(BiConsumer<P, List<O>> property, P p, List<O> failing) {
    List<O> current = new ArrayList<>(failing);
    for (int chunk = Math.max(1, current.size() / 2); chunk >= 1; chunk /= 2) {
      boolean removed = true;
      while (removed) {
        removed = false;
        for (int start = 0; start + chunk <= current.size(); start += chunk) {
          List<O> candidate = new ArrayList<>(current.subList(0, start));
          candidate.addAll(current.subList(start + chunk, current.size()));
          if (check(property, p, candidate) != null) {
            current = candidate;
            removed = true;
            break;
          }
        }
      }
    }
    return current;
  }
}
