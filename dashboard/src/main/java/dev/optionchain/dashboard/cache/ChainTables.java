package dev.optionchain.dashboard.cache;

import dev.optionchain.dashboard.model.ChainKey;
import dev.optionchain.dashboard.model.Expirations;
import dev.optionchain.dashboard.model.Greeks;
import dev.optionchain.dashboard.model.OptionChain;
import dev.optionchain.dashboard.model.OptionContract;
import dev.optionchain.dashboard.model.OptionType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tables of sets: {@code expirations} (one row per symbol and date; a new list replaces the symbol's) and
 * {@code option_quotes} (one row per OCC contract, greeks flattened; a new chain replaces the rows of its underlying
 * and expiration, every root included). Stateless.
 */
final class ChainTables {

  private ChainTables() {}

  static final Table<String, Expirations> EXPIRATIONS = new Table<>() {
    @Override
    public String name() {
      return "expirations";
    }

    @Override
    public void write(Connection c, String symbol, Expirations e, Instant fetchedAt) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM expirations WHERE symbol = ?")) {
        ps.setString(1, symbol);
        ps.executeUpdate();
      }
      Jdbc.appendAll(c, "expirations", e.dates(), (a, date) -> {
        a.append(symbol);
        a.append(date);
        Jdbc.append(a, fetchedAt);
      });
    }

    @Override
    public Optional<Cached<Expirations>> read(Connection c, String symbol) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT expiration, fetched_at FROM expirations WHERE symbol = ? ORDER BY expiration")) {
        ps.setString(1, symbol);
        List<LocalDate> dates = new ArrayList<>();
        Instant oldest = null;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            dates.add(Jdbc.date(rs, "expiration"));
            oldest = Jdbc.older(oldest, Jdbc.instant(rs, "fetched_at"));
          }
        }
        return dates.isEmpty() ? Optional.empty() : Optional.of(new Cached<>(new Expirations(symbol, dates), oldest));
      }
    }
  };

  static final Table<ChainKey, OptionChain> CHAINS = new Table<>() {
    @Override
    public String name() {
      return "option_quotes";
    }

    /**
     * Replaces the chain's rows. A contract cached under another chain with the same OCC symbol moves to this one.
     * Refuses (nothing written) a contract of another underlying or expiration, and two contracts of one symbol.
     */
    @Override
    public void write(Connection c, ChainKey key, OptionChain chain, Instant fetchedAt) throws SQLException {
      for (OptionContract k : chain.contracts()) {
        if (!k.underlying().equals(chain.underlying()) || !k.expiration().equals(chain.expiration())) {
          throw new CacheException("chain " + key + " refused: contract " + k.symbol() + " is of " + k.underlying()
              + " " + k.expiration() + ", not of the chain");
        }
      }
      String[] symbols = chain.contracts().stream().map(OptionContract::symbol).toArray(String[]::new);
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM option_quotes "
          + "WHERE (underlying = ? AND expiration = ?) OR symbol IN (SELECT UNNEST(?::VARCHAR[]))")) {
        ps.setString(1, chain.underlying());
        ps.setObject(2, chain.expiration());
        ps.setArray(3, c.createArrayOf("VARCHAR", symbols));
        ps.executeUpdate();
      }
      // columns in table order (root was added last, by a later migration)
      Jdbc.appendAll(c, "option_quotes", chain.contracts(), (a, k) -> {
        a.append(k.symbol());
        a.append(k.underlying());
        a.append(k.expiration());
        a.append(k.type().wireName());
        a.append(k.strike());
        Jdbc.append(a, k.expirationType());
        Jdbc.append(a, k.contractSize());
        Jdbc.append(a, k.last());
        Jdbc.append(a, k.change());
        Jdbc.append(a, k.bid());
        Jdbc.append(a, k.bidSize());
        Jdbc.append(a, k.ask());
        Jdbc.append(a, k.askSize());
        Jdbc.append(a, k.volume());
        Jdbc.append(a, k.openInterest());
        Greeks g = k.greeks();
        a.append(g != null);
        Jdbc.append(a, g == null ? null : g.delta());
        Jdbc.append(a, g == null ? null : g.gamma());
        Jdbc.append(a, g == null ? null : g.theta());
        Jdbc.append(a, g == null ? null : g.vega());
        Jdbc.append(a, g == null ? null : g.rho());
        Jdbc.append(a, g == null ? null : g.phi());
        Jdbc.append(a, g == null ? null : g.bidIv());
        Jdbc.append(a, g == null ? null : g.midIv());
        Jdbc.append(a, g == null ? null : g.askIv());
        Jdbc.append(a, g == null ? null : g.smvVol());
        Jdbc.append(a, g == null ? null : g.updatedAt());
        Jdbc.append(a, fetchedAt);
        a.append(k.root());
      });
    }

    @Override
    public Optional<Cached<OptionChain>> read(Connection c, ChainKey key) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM option_quotes "
          + "WHERE underlying = ? AND expiration = ? ORDER BY strike, option_type")) {
        ps.setString(1, key.symbol());
        ps.setObject(2, key.expiration());
        List<OptionContract> contracts = new ArrayList<>();
        Instant oldest = null;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            contracts.add(contract(rs));
            oldest = Jdbc.older(oldest, Jdbc.instant(rs, "fetched_at"));
          }
        }
        return contracts.isEmpty() ? Optional.empty()
            : Optional.of(new Cached<>(new OptionChain(key.symbol(), key.expiration(), contracts), oldest));
      }
    }
  };

  private static OptionContract contract(ResultSet rs) throws SQLException {
    Greeks greeks = !rs.getBoolean("has_greeks") ? null : new Greeks(
        Jdbc.doubleOrNull(rs, "delta"), Jdbc.doubleOrNull(rs, "gamma"), Jdbc.doubleOrNull(rs, "theta"),
        Jdbc.doubleOrNull(rs, "vega"), Jdbc.doubleOrNull(rs, "rho"), Jdbc.doubleOrNull(rs, "phi"),
        Jdbc.doubleOrNull(rs, "bid_iv"), Jdbc.doubleOrNull(rs, "mid_iv"), Jdbc.doubleOrNull(rs, "ask_iv"),
        Jdbc.doubleOrNull(rs, "smv_vol"), rs.getString("greeks_updated_at"));
    String symbol = rs.getString("symbol");
    String root = rs.getString("root");
    return new OptionContract(symbol, root != null ? root : occRoot(symbol), rs.getString("underlying"),
        OptionType.parse(rs.getString("option_type")), rs.getDouble("strike"), Jdbc.date(rs, "expiration"),
        rs.getString("expiration_type"), Jdbc.intOrNull(rs, "contract_size"), Jdbc.doubleOrNull(rs, "last"),
        Jdbc.doubleOrNull(rs, "change"), Jdbc.doubleOrNull(rs, "bid"), Jdbc.longOrNull(rs, "bid_size"),
        Jdbc.doubleOrNull(rs, "ask"), Jdbc.longOrNull(rs, "ask_size"), Jdbc.longOrNull(rs, "volume"),
        Jdbc.longOrNull(rs, "open_interest"), greeks);
  }

  /**
   * The root of an OCC symbol as Tradier writes it ({@code ROOT + YYMMDD + C|P + 8 digits}): rows cached before the
   * root column existed.
   */
  static String occRoot(String symbol) {
    return symbol.length() > 15 ? symbol.substring(0, symbol.length() - 15) : symbol;
  }
}
