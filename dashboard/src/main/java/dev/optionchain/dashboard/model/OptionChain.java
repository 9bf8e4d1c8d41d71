package dev.optionchain.dashboard.model;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * All contracts of one underlying and expiration.
 *
 * @param underlying the underlying's ticker
 * @param expiration the expiration date
 * @param contracts calls and puts, in any order
 */
public record OptionChain(String underlying, LocalDate expiration, List<OptionContract> contracts) {

  /** Copies the contracts, sorted by strike then type (call first). */
  public OptionChain {
    Objects.requireNonNull(underlying, "underlying");
    Objects.requireNonNull(expiration, "expiration");
    contracts = contracts.stream()
        .sorted(Comparator.comparingDouble(OptionContract::strike).thenComparing(OptionContract::type))
        .toList();
  }

  /**
   * Returns the chain as the convention shows it: one row per strike, call and put side by side.
   *
   * @return rows by ascending strike; a side is null when that contract is not listed
   */
  public List<StrikeRow> rows() {
    TreeMap<Double, OptionContract[]> byStrike = new TreeMap<>();
    for (OptionContract c : contracts) {
      OptionContract[] pair = byStrike.computeIfAbsent(c.strike(), k -> new OptionContract[2]);
      pair[c.type() == OptionType.CALL ? 0 : 1] = c;
    }
    List<StrikeRow> rows = new ArrayList<>(byStrike.size());
    byStrike.forEach((strike, pair) -> rows.add(new StrikeRow(strike, pair[0], pair[1])));
    return rows;
  }

  /**
   * One strike of a chain.
   *
   * @param strike the strike price
   * @param call the call, or null
   * @param put the put, or null
   */
  public record StrikeRow(double strike, OptionContract call, OptionContract put) {}
}
