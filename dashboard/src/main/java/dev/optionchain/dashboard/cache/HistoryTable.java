package dev.optionchain.dashboard.cache;

import dev.optionchain.dashboard.model.Bar;
import dev.optionchain.dashboard.model.HistoryKey;
import dev.optionchain.dashboard.model.PriceHistory;
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
 * {@code price_history}: one row per (symbol, interval, date). A write replaces the bars of its dates and keeps all
 * others (a history without bars changes nothing); a read assembles the bars of the key's range, with the oldest
 * {@code fetched_at} among them. Stateless.
 */
final class HistoryTable implements Table<HistoryKey, PriceHistory> {

  static final HistoryTable INSTANCE = new HistoryTable();

  private HistoryTable() {}

  @Override
  public String name() {
    return "price_history";
  }


  @Override
  public void write(Connection c, HistoryKey key, PriceHistory h, Instant fetchedAt) throws SQLException {
    if (h.bars().isEmpty()) {
      return;
    }
    String interval = h.interval().wireName();
    LocalDate[] dates = h.bars().stream().map(Bar::date).toArray(LocalDate[]::new);
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM price_history "
        + "WHERE symbol = ? AND interval = ? AND date IN (SELECT UNNEST(?::DATE[]))")) {
      ps.setString(1, h.symbol());
      ps.setString(2, interval);
      ps.setArray(3, c.createArrayOf("DATE", dates));
      ps.executeUpdate();
    }
    // columns in table order
    Jdbc.appendAll(c, "price_history", h.bars(), (a, b) -> {
      a.append(h.symbol());
      a.append(interval);
      a.append(b.date());
      a.append(b.open());
      a.append(b.high());
      a.append(b.low());
      a.append(b.close());
      a.append(b.volume());
      Jdbc.append(a, fetchedAt);
    });
  }

  @Override
  public Optional<Cached<PriceHistory>> read(Connection c, HistoryKey key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT date, open, high, low, close, volume, fetched_at "
        + "FROM price_history WHERE symbol = ? AND interval = ? AND date BETWEEN ? AND ? ORDER BY date")) {
      ps.setString(1, key.symbol());
      ps.setString(2, key.interval().wireName());
      ps.setObject(3, key.start());
      ps.setObject(4, key.end());
      List<Bar> bars = new ArrayList<>();
      Instant oldest = null;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          bars.add(new Bar(Jdbc.date(rs, "date"), rs.getDouble("open"), rs.getDouble("high"),
              rs.getDouble("low"), rs.getDouble("close"), rs.getLong("volume")));
          oldest = Jdbc.older(oldest, Jdbc.instant(rs, "fetched_at"));
        }
      }
      return bars.isEmpty() ? Optional.empty() : Optional.of(new Cached<>(
          new PriceHistory(key.symbol(), key.interval(), key.start(), key.end(), bars), oldest));
    }
  }
}
