package dev.optionchain.marketsim.internal;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Counter-based randomness: every random quantity in the simulator is a pure function of
 * {@code (seed, symbol, stream, coordinates...)}, hashed with the SplitMix64 finaliser. Nothing
 * keeps a shared sequential generator, so an answer depends only on the seed, the simulated
 * instant and the request, never on which requests came before it.
 *
 * <p>Stateless and thread-safe.
 */
final class Rand {

  /** Stream tags keep the draws of different model quantities independent. */
  static final long CLOSE = 1;
  static final long GAP = 2;
  static final long INTRADAY = 3;
  static final long VOLUME = 4;
  static final long REGIME = 5;
  static final long OPEN_INTEREST = 6;
  static final long OPTION_VOLUME = 7;
  static final long BOOK = 8;
  static final long FAULT = 9;
  static final long TRADES = 10;

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Rand() {
  }

  /** SplitMix64's finaliser: a bijective, well-avalanched 64-bit mix. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A key for one random quantity: the seed followed by any number of coordinates. */
  static long key(long seed, long... parts) {
    long h = mix(seed + GOLDEN);
    for (long part : parts) {
      h = mix(h + GOLDEN + mix(part));
    }
    return h;
  }

  /** A stable 64-bit FNV-1a hash of a symbol (String.hashCode is only 32 bits). */
  static long hash(String text) {
    long h = 0xCBF29CE484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x100000001B3L;
    }
    return h;
  }

  /** Uniform in [0, 1) from a key. */
  static double uniform(long key) {
    return (mix(key) >>> 11) * 0x1.0p-53;
  }

  /** Standard normal from a key (Box-Muller on two derived uniforms). */
  static double gaussian(long key) {
    double u1 = 1.0 - uniform(key);                 // (0, 1]
    double u2 = uniform(key ^ GOLDEN);
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  /** A local generator for a block of draws (e.g. one day's minute path), seeded by a key. */
  static SplittableRandom stream(long key) {
    return new SplittableRandom(mix(key));
  }

  /**
   * Fills {@code out} with standard normals from {@code random} (Box-Muller, both outputs used).
   * Implemented here rather than with {@code nextGaussian()} so the sequence is identical on every JDK.
   */
  static void gaussians(SplittableRandom random, double[] out) {
    for (int i = 0; i < out.length; i += 2) {
      double u1 = 1.0 - random.nextDouble();
      double u2 = random.nextDouble();
      double radius = Math.sqrt(-2.0 * Math.log(u1));
      double angle = 2.0 * Math.PI * u2;
      out[i] = radius * Math.cos(angle);
      if (i + 1 < out.length) {
        out[i + 1] = radius * Math.sin(angle);
      }
    }
  }
}
