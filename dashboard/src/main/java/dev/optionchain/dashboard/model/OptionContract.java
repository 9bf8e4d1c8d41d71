package dev.optionchain.dashboard.model;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One listed option, as a row of Tradier's {@code /v1/markets/options/chains}. A chain may hold contracts of several
 * roots at one strike, so a contract is identified in its chain by (root, strike, type).
 *
 * @param symbol the OCC symbol, e.g. {@code AAPL260116C00150000}
 * @param root the option root: the underlying's ticker for standard options, another one for weeklies of some
 *     indexes ({@code SPXW}) and for contracts adjusted after a corporate action ({@code AAPL1})
 * @param underlying the underlying's ticker
 * @param type call or put
 * @param strike strike price
 * @param expiration expiration date
 * @param expirationType {@code standard}, {@code weeklys}, ...
 * @param contractSize shares per contract
 * @param last last trade price
 * @param change change since the previous close
 * @param bid best bid
 * @param bidSize best bid size
 * @param ask best ask
 * @param askSize best ask size
 * @param volume contracts traded today
 * @param openInterest open interest
 * @param greeks greeks and implied volatilities, or null when not provided
 */
public record OptionContract(
    String symbol, String root, String underlying, OptionType type, double strike, LocalDate expiration, String expirationType,
    Integer contractSize, Double last, Double change, Double bid, Long bidSize, Double ask, Long askSize,
    Long volume, Long openInterest, Greeks greeks) {

  /** Requires the identifying fields. */
  public OptionContract {
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(underlying, "underlying");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(expiration, "expiration");
  }
}
