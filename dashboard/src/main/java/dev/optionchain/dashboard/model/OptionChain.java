package dev.optionchain.dashboard.model;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * All contracts of one underlying and expiration, of every root.
 *
 * @param underlying the underlying's ticker
 * @param expiration the expiration date
 * @param contracts calls and puts, in any order
 */
public record OptionChain(String underlying, LocalDate expiration, List<OptionContract> contracts) {

  /** Sorts by strike, then root (the underlying's own root first), then type (call first). */
  private static final Comparator<OptionContract> ORDER = Comparator.comparingDouble(OptionContract::strike)
      .thenComparing((OptionContract c) -> !c.root().equals(c.underlying()))
      .thenComparing(OptionContract::root)
      .thenComparing(OptionContract::type);

  /** Copies the contracts, sorted by strike, root (the underlying's own first), then type (call first). */
  public OptionChain {
    Objects.requireNonNull(underlying, "underlying");
    Objects.requireNonNull(expiration, "expiration");
    OptionContract[] sorted = contracts.toArray(new OptionContract[0]);
    Arrays.sort(sorted, ORDER); // not a stream: this runs for every upstream answer, mostly before the JIT compiles it
    contracts = List.of(sorted);
  }

  /**
   * Returns the chain as the convention shows it: one row per (root, strike), call and put side by side. Two roots
   * listing the same strike (SPX and SPXW, PLTR and PLTR1) give two rows, never one contract replacing another.
   *
   * @return rows by ascending strike, then root; a side is null when that contract is not listed
   */
  public List<StrikeRow> rows() {
    Map<String, OptionContract[]> byRootAndStrike = new LinkedHashMap<>();
    for (OptionContract c : contracts) { // already in row order
      OptionContract[] pair = byRootAndStrike.computeIfAbsent(c.root() + '\u0000' + c.strike(),
          k -> new OptionContract[2]);
      pair[c.type() == OptionType.CALL ? 0 : 1] = c;
    }
    List<StrikeRow> rows = new ArrayList<>(byRootAndStrike.size());
    for (OptionContract[] pair : byRootAndStrike.values()) {
      OptionContract any = pair[0] != null ? pair[0] : pair[1];
      rows.add(new StrikeRow(any.root(), any.strike(), pair[0], pair[1]));
    }
    return rows;
  }

  /**
   * Returns the option roots of the chain's contracts.
   *
   * @return the roots, the underlying's own first, then alphabetically
   */
  public List<String> roots() {
    return contracts.stream().map(OptionContract::root).distinct()
        .sorted(Comparator.comparing((String r) -> !r.equals(underlying)).thenComparing(r -> r)).toList();
  }

  /**
   * One strike of one root of a chain.
   *
   * @param root the option root, e.g. {@code SPXW}
   * @param strike the strike price
   * @param call the call, or null
   * @param put the put, or null
   */
  public record StrikeRow(String root, double strike, OptionContract call, OptionContract put) {}
}
