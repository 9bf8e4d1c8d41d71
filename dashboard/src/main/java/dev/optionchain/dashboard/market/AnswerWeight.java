package dev.optionchain.dashboard.market;

import dev.optionchain.dashboard.model.Expirations;
import dev.optionchain.dashboard.model.OptionChain;
import dev.optionchain.dashboard.model.PriceHistory;
import dev.optionchain.dashboard.model.Quote;
import dev.optionchain.dashboard.model.TickerInfo;

/**
 * The weight of an answer kept in a memory tier ({@link MemoryFreshAnswers}, {@link LastGoodAnswers}), for Caffeine's
 * {@code maximumWeight}: the tier's byte limit is its maximum weight, and an answer weighs its estimated heap bytes,
 * but never less than {@code ceil(limit / entries)}. So a tier holds at most {@code entries} answers (small ones, e.g.
 * quotes, reach that first) and at most about {@code limit} bytes (large ones, e.g. twenty-year histories, reach that
 * first), with Caffeine's own eviction doing both.
 *
 * <p>The estimate is a fixed size per answer plus a size per element (bar, contract, date). The sizes were measured
 * once on JDK 17 (64-bit, compressed oops, the default below a 32 GB heap) with answers parsed by the real
 * {@code TradierClient} from the embedded simulator: hold N parsed answers, compare the heap used after
 * {@code System.gc()} before and after, divide. Measured (2026-12-06): a daily bar 85-87 bytes (a {@code Bar} of 56
 * bytes, its {@code LocalDate} of 24, a reference in the list), a twenty-year daily history (5 036 bars) 436 KB, an
 * option contract 884 bytes (the record, its symbol, root, underlying and expiration-type strings, boxed prices and
 * sizes, {@code Greeks} with ten boxed doubles), a quote 671 bytes, an expiration date 28 bytes plus about 100 per
 * list. The constants below round those up. {@link #ENTRY} adds what each kept answer costs besides itself: the
 * Caffeine node, the key and the {@code Cached} wrapper with its {@code Instant} (reasoned, not measured). It is an
 * estimate: a new JDK, uncompressed oops or a different upstream (longer strings) moves it by tens of percent, which
 * the limit's default leaves room for. Immutable and thread-safe.
 */
final class AnswerWeight {

  /** Per kept answer besides the answer itself: Caffeine's node, the key, {@code Cached} and its {@code Instant}. */
  static final int ENTRY = 256;
  /** A quote: measured 671 bytes. */
  static final int QUOTE = 704;
  /** Ticker info: a record of seven fields, four strings (often shared with a quote's) and three boxed numbers. */
  static final int TICKER_INFO = 320;
  /** A price history without its bars: the record, its symbol, dates and the list. */
  static final int HISTORY = 192;
  /** A bar: measured 85-87 bytes, bar, date and the list's reference. */
  static final int BAR = 88;
  /** An option chain without its contracts: the record, its underlying, expiration and the list. */
  static final int CHAIN = 192;
  /** An option contract: measured 884 bytes with its strings, boxed numbers and greeks. */
  static final int CONTRACT = 896;
  /** Expirations without their dates: the record, its symbol and the list. */
  static final int EXPIRATIONS = 128;
  /** An expiration date: a {@code LocalDate} of 24 bytes and the list's reference. */
  static final int DATE = 28;
  /** An answer of another type (the tests' strings): a quote's size. */
  static final int OTHER = QUOTE;

  private final long limit;
  private final int floor;

  /**
   * Weighs the answers of one tier.
   *
   * @param entries most answers of a tier ({@code cache.memory-entries}), at least 1
   * @param limit most bytes of a tier ({@code cache.memory-limit}), at least 1
   */
  AnswerWeight(long entries, long limit) {
    if (entries < 1 || limit < 1) {
      throw new IllegalArgumentException("entries and limit must be positive, were " + entries + " and " + limit);
    }
    this.limit = limit;
    this.floor = (int) Math.min(Integer.MAX_VALUE, (limit + entries - 1) / entries);
  }

  /** @return the tier's maximum weight: its byte limit */
  long limit() {
    return limit;
  }

  /**
   * Returns an answer's weight: its estimated bytes, at least {@code ceil(limit / entries)}.
   *
   * @param answer the answer; null for a failed load kept a moment (weighs the floor)
   * @return the weight, at most {@link Integer#MAX_VALUE}
   */
  int weigh(Object answer) {
    long bytes = answer == null ? 0 : ENTRY + bytes(answer);
    return (int) Math.min(Integer.MAX_VALUE, Math.max(floor, bytes));
  }

  /**
   * Estimates the heap bytes of an answer (without the cost of keeping it, {@link #ENTRY}).
   *
   * @param answer an answer of one of the five kinds
   * @return the estimate in bytes
   */
  static long bytes(Object answer) {
    if (answer instanceof PriceHistory h) {
      return HISTORY + (long) BAR * h.bars().size();
    }
    if (answer instanceof OptionChain c) {
      return CHAIN + (long) CONTRACT * c.contracts().size();
    }
    if (answer instanceof Expirations e) {
      return EXPIRATIONS + (long) DATE * e.dates().size();
    }
    if (answer instanceof Quote) {
      return QUOTE;
    }
    if (answer instanceof TickerInfo) {
      return TICKER_INFO;
    }
    return OTHER;
  }
}
