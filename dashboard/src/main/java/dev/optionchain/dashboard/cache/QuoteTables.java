package dev.optionchain.dashboard.cache;

import dev.optionchain.dashboard.model.Quote;
import dev.optionchain.dashboard.model.TickerInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The tables of one row per symbol: {@code quotes} and {@code ticker_info}, upserted. Stateless. */
final class QuoteTables {

  private QuoteTables() {}

  static final Table<String, Quote> QUOTES = new Table<>() {
    private final String upsert = upsert("quotes", "symbol", "description", "exchange", "type",
        "last", "change", "change_percentage", "volume", "average_volume", "trade_time",
        "open", "high", "low", "close", "prev_close", "week52_high", "week52_low",
        "bid", "bid_size", "ask", "ask_size", "fetched_at");

    @Override
    public String name() {
      return "quotes";
    }


    @Override
    public void write(Connection c, String symbol, Quote q, Instant fetchedAt) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(upsert)) {
        int i = 0;
        ps.setString(++i, symbol);
        Jdbc.setString(ps, ++i, q.description());
        Jdbc.setString(ps, ++i, q.exchange());
        Jdbc.setString(ps, ++i, q.type());
        Jdbc.setDouble(ps, ++i, q.last());
        Jdbc.setDouble(ps, ++i, q.change());
        Jdbc.setDouble(ps, ++i, q.changePercentage());
        Jdbc.setLong(ps, ++i, q.volume());
        Jdbc.setLong(ps, ++i, q.averageVolume());
        Jdbc.setInstant(ps, ++i, q.tradeTime());
        Jdbc.setDouble(ps, ++i, q.open());
        Jdbc.setDouble(ps, ++i, q.high());
        Jdbc.setDouble(ps, ++i, q.low());
        Jdbc.setDouble(ps, ++i, q.close());
        Jdbc.setDouble(ps, ++i, q.prevClose());
        Jdbc.setDouble(ps, ++i, q.week52High());
        Jdbc.setDouble(ps, ++i, q.week52Low());
        Jdbc.setDouble(ps, ++i, q.bid());
        Jdbc.setLong(ps, ++i, q.bidSize());
        Jdbc.setDouble(ps, ++i, q.ask());
        Jdbc.setLong(ps, ++i, q.askSize());
        Jdbc.setInstant(ps, ++i, fetchedAt);
        ps.executeUpdate();
      }
    }

    @Override
    public Optional<Cached<Quote>> read(Connection c, String symbol) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM quotes WHERE symbol = ?")) {
        ps.setString(1, symbol);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          Quote q = new Quote(rs.getString("symbol"), rs.getString("description"), rs.getString("exchange"),
              rs.getString("type"), Jdbc.doubleOrNull(rs, "last"), Jdbc.doubleOrNull(rs, "change"),
              Jdbc.doubleOrNull(rs, "change_percentage"), Jdbc.longOrNull(rs, "volume"),
              Jdbc.longOrNull(rs, "average_volume"), Jdbc.instant(rs, "trade_time"),
              Jdbc.doubleOrNull(rs, "open"), Jdbc.doubleOrNull(rs, "high"), Jdbc.doubleOrNull(rs, "low"),
              Jdbc.doubleOrNull(rs, "close"), Jdbc.doubleOrNull(rs, "prev_close"),
              Jdbc.doubleOrNull(rs, "week52_high"), Jdbc.doubleOrNull(rs, "week52_low"),
              Jdbc.doubleOrNull(rs, "bid"), Jdbc.longOrNull(rs, "bid_size"),
              Jdbc.doubleOrNull(rs, "ask"), Jdbc.longOrNull(rs, "ask_size"));
          return Optional.of(new Cached<>(q, Jdbc.instant(rs, "fetched_at")));
        }
      }
    }
  };

  static final Table<String, TickerInfo> INFO = new Table<>() {
    private final String upsert = upsert("ticker_info", "symbol", "name", "type", "exchange",
        "week52_high", "week52_low", "average_volume", "fetched_at");

    @Override
    public String name() {
      return "ticker_info";
    }


    @Override
    public void write(Connection c, String symbol, TickerInfo info, Instant fetchedAt) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(upsert)) {
        int i = 0;
        ps.setString(++i, symbol);
        Jdbc.setString(ps, ++i, info.name());
        Jdbc.setString(ps, ++i, info.type());
        Jdbc.setString(ps, ++i, info.exchange());
        Jdbc.setDouble(ps, ++i, info.week52High());
        Jdbc.setDouble(ps, ++i, info.week52Low());
        Jdbc.setLong(ps, ++i, info.averageVolume());
        Jdbc.setInstant(ps, ++i, fetchedAt);
        ps.executeUpdate();
      }
    }

    @Override
    public Optional<Cached<TickerInfo>> read(Connection c, String symbol) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM ticker_info WHERE symbol = ?")) {
        ps.setString(1, symbol);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          TickerInfo info = new TickerInfo(rs.getString("symbol"), rs.getString("name"), rs.getString("type"),
              rs.getString("exchange"), Jdbc.doubleOrNull(rs, "week52_high"), Jdbc.doubleOrNull(rs, "week52_low"),
              Jdbc.longOrNull(rs, "average_volume"));
          return Optional.of(new Cached<>(info, Jdbc.instant(rs, "fetched_at")));
        }
      }
    }
  };

  static String upsert(String table, String... columns) {
    return "INSERT OR REPLACE INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
        + String.join(", ", Collections.nCopies(columns.length, "?")) + ")";
  }
}
