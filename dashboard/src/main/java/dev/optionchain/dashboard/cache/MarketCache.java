package dev.optionchain.dashboard.cache;

import dev.optionchain.dashboard.cache.Database.SqlConsumer;
import dev.optionchain.dashboard.cache.Database.SqlFunction;
import dev.optionchain.dashboard.model.Bar;
import dev.optionchain.dashboard.model.Expirations;
import dev.optionchain.dashboard.model.Greeks;
import dev.optionchain.dashboard.model.Interval;
import dev.optionchain.dashboard.model.OptionChain;
import dev.optionchain.dashboard.model.OptionContract;
import dev.optionchain.dashboard.model.OptionType;
import dev.optionchain.dashboard.model.PriceHistory;
import dev.optionchain.dashboard.model.Quote;
import dev.optionchain.dashboard.model.TickerInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The market-data cache: the last answer the upstream gave for each quote, ticker info, price bar, expiration list and
 * option chain, with the time it was fetched, in one table per kind of data. Thread-safe.
 *
 * <h2>Tables</h2>
 * Typed columns, one per model field (nullable fields are nullable columns and come back as null, never 0), and a
 * {@code fetched_at TIMESTAMPTZ} per row. Instants are stored to the microsecond, DuckDB's precision: finer digits are
 * truncated on write. Keys are compared exactly, so callers pass symbols in one case (upper).
 * <ul>
 *   <li>{@code quotes}, {@code ticker_info}: one row per symbol, upserted.
 *   <li>{@code price_history}: one row per (symbol, interval, date), upserted bar by bar: a new history replaces the
 *       bars of its dates and keeps all others.
 *   <li>{@code expirations}: one row per (symbol, expiration); a new list replaces the symbol's.
 *   <li>{@code option_quotes}: one row per contract (OCC symbol), greeks flattened, indexed by (underlying,
 *       expiration); a new chain replaces the rows of its (underlying, expiration).
 * </ul>
 * The schema is created by the constructor and versioned in {@code schema_version} (component
 * {@code market_cache}), see {@link Database#migrate}. Single rows are upserted with {@code INSERT OR REPLACE}; sets
 * (bars, expirations, contracts) are written by deleting the rows they replace and loading the new ones with DuckDB's
 * appender, in one transaction: the driver runs a JDBC batch row by row, which took seconds for one chain.
 *
 * <h2>Failures</h2>
 * Every method throws {@link CacheException} when the database fails or is closed. Callers of the read methods catch
 * it, log it and treat it as a miss: the cache must never take the service down. Each write is one transaction: one
 * that fails (for example a chain listing the same contract twice) leaves the rows it would have replaced intact.
 */
public final class MarketCache {

  /** This store's name in {@code schema_version}. */
  private static final String COMPONENT = "market_cache";

  private static final List<String> MIGRATIONS = List.of(
      """
      CREATE TABLE IF NOT EXISTS quotes (
        symbol VARCHAR PRIMARY KEY,
        description VARCHAR, exchange VARCHAR, type VARCHAR,
        last DOUBLE, change DOUBLE, change_percentage DOUBLE, volume BIGINT, average_volume BIGINT,
        trade_time TIMESTAMPTZ,
        open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, prev_close DOUBLE,
        week52_high DOUBLE, week52_low DOUBLE,
        bid DOUBLE, bid_size BIGINT, ask DOUBLE, ask_size BIGINT,
        fetched_at TIMESTAMPTZ NOT NULL)""",
      """
      CREATE TABLE IF NOT EXISTS ticker_info (
        symbol VARCHAR PRIMARY KEY,
        name VARCHAR, type VARCHAR, exchange VARCHAR,
        week52_high DOUBLE, week52_low DOUBLE, average_volume BIGINT,
        fetched_at TIMESTAMPTZ NOT NULL)""",
      """
      CREATE TABLE IF NOT EXISTS price_history (
        symbol VARCHAR NOT NULL,
        interval VARCHAR NOT NULL CHECK (interval IN ('daily', 'weekly', 'monthly')),
        date DATE NOT NULL,
        open DOUBLE NOT NULL, high DOUBLE NOT NULL, low DOUBLE NOT NULL, close DOUBLE NOT NULL,
        volume BIGINT NOT NULL,
        fetched_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (symbol, interval, date))""",
      """
      CREATE TABLE IF NOT EXISTS expirations (
        symbol VARCHAR NOT NULL,
        expiration DATE NOT NULL,
        fetched_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (symbol, expiration))""",
      """
      CREATE TABLE IF NOT EXISTS option_quotes (
        symbol VARCHAR PRIMARY KEY,
        underlying VARCHAR NOT NULL,
        expiration DATE NOT NULL,
        option_type VARCHAR NOT NULL CHECK (option_type IN ('call', 'put')),
        strike DOUBLE NOT NULL,
        expiration_type VARCHAR, contract_size INTEGER,
        last DOUBLE, change DOUBLE, bid DOUBLE, bid_size BIGINT, ask DOUBLE, ask_size BIGINT,
        volume BIGINT, open_interest BIGINT,
        has_greeks BOOLEAN NOT NULL,
        delta DOUBLE, gamma DOUBLE, theta DOUBLE, vega DOUBLE, rho DOUBLE, phi DOUBLE,
        bid_iv DOUBLE, mid_iv DOUBLE, ask_iv DOUBLE, smv_vol DOUBLE, greeks_updated_at VARCHAR,
        fetched_at TIMESTAMPTZ NOT NULL)""",
      "CREATE INDEX IF NOT EXISTS option_quotes_chain ON option_quotes (underlying, expiration)");

  /** The tables {@link #rowCount} accepts. */
  private static final Set<String> TABLES =
      Set.of("quotes", "ticker_info", "price_history", "expirations", "option_quotes");

  private static final String PUT_QUOTE = upsert("quotes", "symbol", "description", "exchange", "type",
      "last", "change", "change_percentage", "volume", "average_volume", "trade_time",
      "open", "high", "low", "close", "prev_close", "week52_high", "week52_low",
      "bid", "bid_size", "ask", "ask_size", "fetched_at");
  private static final String PUT_INFO = upsert("ticker_info", "symbol", "name", "type", "exchange",
      "week52_high", "week52_low", "average_volume", "fetched_at");

  private final Database db;
  /**
   * The most recently read entries of quotes, ticker_info, expirations and option_quotes, in memory, exactly as the
   * database returned them; a write forgets the entries it changes, so the next read loads the new rows.
   */
  private final Memo memo = new Memo(MEMO_CAPACITY);

  /** Entries kept in memory: every chain of the simulator's universe for a few expirations fits. */
  static final int MEMO_CAPACITY = 2_000;

  /**
   * Creates the cache's tables in {@code db} if they do not exist yet.
   *
   * @param db the database, open
   * @throws CacheException if the schema cannot be created, or was written by a newer release
   */
  public MarketCache(Database db) {
    this.db = Objects.requireNonNull(db, "db");
    try {
      db.migrate(COMPONENT, MIGRATIONS);
    } catch (CacheException e) {
      throw new CacheException("creating the market cache's tables failed: " + e.getMessage(), e);
    }
  }

  // --- quotes ---------------------------------------------------------------------------------------------------

  /**
   * Stores a quote, replacing the symbol's previous one.
   *
   * @param q the quote
   * @param fetchedAt when it was fetched from the upstream
   */
  public void putQuote(Quote q, Instant fetchedAt) {
    Objects.requireNonNull(q, "q");
    Objects.requireNonNull(fetchedAt, "fetchedAt");
    write("putQuote(" + q.symbol() + ") into quotes", c -> {
      try (PreparedStatement ps = c.prepareStatement(PUT_QUOTE)) {
        int i = 0;
        ps.setString(++i, q.symbol());
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
    });
    memo.remove(List.of("quote", q.symbol()));
  }

  /**
   * Returns the cached quote of a symbol.
   *
   * @param symbol the ticker
   * @return the quote and when it was fetched; empty if none is cached
   * @throws CacheException if the database fails or is closed
   */
  public Optional<Cached<Quote>> quote(String symbol) {
    Objects.requireNonNull(symbol, "symbol");
    return remembered(List.of("quote", symbol), () -> loadQuote(symbol));
  }

  private Optional<Cached<Quote>> loadQuote(String symbol) {
    return read("quote(" + symbol + ") from quotes", c -> {
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
    });
  }

  // --- ticker info ----------------------------------------------------------------------------------------------

  /**
   * Stores a symbol's ticker info, replacing the previous one.
   *
   * @param info the info
   * @param fetchedAt when it was fetched from the upstream
   */
  public void putInfo(TickerInfo info, Instant fetchedAt) {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(fetchedAt, "fetchedAt");
    write("putInfo(" + info.symbol() + ") into ticker_info", c -> {
      try (PreparedStatement ps = c.prepareStatement(PUT_INFO)) {
        int i = 0;
        ps.setString(++i, info.symbol());
        Jdbc.setString(ps, ++i, info.name());
        Jdbc.setString(ps, ++i, info.type());
        Jdbc.setString(ps, ++i, info.exchange());
        Jdbc.setDouble(ps, ++i, info.week52High());
        Jdbc.setDouble(ps, ++i, info.week52Low());
        Jdbc.setLong(ps, ++i, info.averageVolume());
        Jdbc.setInstant(ps, ++i, fetchedAt);
        ps.executeUpdate();
      }
    });
    memo.remove(List.of("info", info.symbol()));
  }

  /**
   * Returns the cached ticker info of a symbol.
   *
   * @param symbol the ticker
   * @return the info and when it was fetched; empty if none is cached
   * @throws CacheException if the database fails or is closed
   */
  public Optional<Cached<TickerInfo>> info(String symbol) {
    Objects.requireNonNull(symbol, "symbol");
    return remembered(List.of("info", symbol), () -> loadInfo(symbol));
  }

  private Optional<Cached<TickerInfo>> loadInfo(String symbol) {
    return read("info(" + symbol + ") from ticker_info", c -> {
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
    });
  }

  // --- price history --------------------------------------------------------------------------------------------

  /**
   * Stores the bars of a history, each replacing the cached bar of its (symbol, interval, date); cached bars of other
   * dates stay. A history without bars changes nothing.
   *
   * @param h the history
   * @param fetchedAt when it was fetched from the upstream
   * @throws CacheException if the database fails, or {@code h} has two bars of one date (nothing is stored)
   */
  public void putHistory(PriceHistory h, Instant fetchedAt) {
    Objects.requireNonNull(h, "h");
    Objects.requireNonNull(fetchedAt, "fetchedAt");
    if (h.bars().isEmpty()) {
      return;
    }
    String interval = h.interval().wireName();
    LocalDate[] dates = h.bars().stream().map(Bar::date).toArray(LocalDate[]::new);
    write("putHistory(" + h.symbol() + ", " + interval + ", " + dates.length + " bars) into price_history", c -> {
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
    });
  }

  /**
   * Returns the cached bars of a symbol and interval from {@code start} to {@code end}, both included.
   *
   * @param symbol the ticker
   * @param interval the bar interval
   * @param start first date
   * @param end last date
   * @return a history of the cached bars in the range, oldest first, with {@code start} and {@code end} as asked, and
   *     the oldest {@code fetched_at} among them; empty if no bar is cached in the range
   * @throws CacheException if the database fails or is closed
   */
  public Optional<Cached<PriceHistory>> history(String symbol, Interval interval, LocalDate start, LocalDate end) {
    checkRange(symbol, interval, start, end);
    return read("history(" + symbol + ", " + interval.wireName() + ", " + start + ".." + end + ") from price_history",
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT date, open, high, low, close, volume, fetched_at "
              + "FROM price_history WHERE symbol = ? AND interval = ? AND date BETWEEN ? AND ? ORDER BY date")) {
            bindRange(ps, symbol, interval, start, end);
            List<Bar> bars = new ArrayList<>();
            Instant oldest = null;
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                bars.add(new Bar(Jdbc.date(rs, "date"), rs.getDouble("open"), rs.getDouble("high"),
                    rs.getDouble("low"), rs.getDouble("close"), rs.getLong("volume")));
                oldest = older(oldest, Jdbc.instant(rs, "fetched_at"));
              }
            }
            return bars.isEmpty() ? Optional.empty()
                : Optional.of(new Cached<>(new PriceHistory(symbol, interval, start, end, bars), oldest));
          }
        });
  }

  /**
   * Tells whether any bar of a symbol and interval is cached from {@code start} to {@code end}, both included.
   *
   * @param symbol the ticker
   * @param interval the bar interval
   * @param start first date
   * @param end last date
   * @return true if at least one is
   * @throws CacheException if the database fails or is closed
   */
  public boolean hasHistory(String symbol, Interval interval, LocalDate start, LocalDate end) {
    checkRange(symbol, interval, start, end);
    return read("hasHistory(" + symbol + ", " + interval.wireName() + ") in price_history", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM price_history "
          + "WHERE symbol = ? AND interval = ? AND date BETWEEN ? AND ?)")) {
        bindRange(ps, symbol, interval, start, end);
        return exists(ps);
      }
    });
  }

  // --- expirations ----------------------------------------------------------------------------------------------

  /**
   * Stores a symbol's expirations, replacing its cached ones in one transaction. An empty list removes them.
   *
   * @param e the expirations
   * @param fetchedAt when they were fetched from the upstream
   */
  public void putExpirations(Expirations e, Instant fetchedAt) {
    Objects.requireNonNull(e, "e");
    Objects.requireNonNull(fetchedAt, "fetchedAt");
    write("putExpirations(" + e.symbol() + ") into expirations", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM expirations WHERE symbol = ?")) {
        ps.setString(1, e.symbol());
        ps.executeUpdate();
      }
      Jdbc.appendAll(c, "expirations", e.dates(), (a, date) -> {
        a.append(e.symbol());
        a.append(date);
        Jdbc.append(a, fetchedAt);
      });
    });
    memo.remove(List.of("expirations", e.symbol()));
  }

  /**
   * Returns a symbol's cached expirations.
   *
   * @param symbol the underlying's ticker
   * @return the expirations, soonest first, and the oldest {@code fetched_at} among them; empty if none are cached
   * @throws CacheException if the database fails or is closed
   */
  public Optional<Cached<Expirations>> expirations(String symbol) {
    Objects.requireNonNull(symbol, "symbol");
    return remembered(List.of("expirations", symbol), () -> loadExpirations(symbol));
  }

  private Optional<Cached<Expirations>> loadExpirations(String symbol) {
    return read("expirations(" + symbol + ") from expirations", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT expiration, fetched_at FROM expirations WHERE symbol = ? ORDER BY expiration")) {
        ps.setString(1, symbol);
        List<LocalDate> dates = new ArrayList<>();
        Instant oldest = null;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            dates.add(Jdbc.date(rs, "expiration"));
            oldest = older(oldest, Jdbc.instant(rs, "fetched_at"));
          }
        }
        return dates.isEmpty() ? Optional.empty() : Optional.of(new Cached<>(new Expirations(symbol, dates), oldest));
      }
    });
  }

  /**
   * Tells whether any expiration of a symbol is cached.
   *
   * @param symbol the underlying's ticker
   * @return true if at least one is
   * @throws CacheException if the database fails or is closed
   */
  public boolean hasExpirations(String symbol) {
    Objects.requireNonNull(symbol, "symbol");
    if (db.isOpen() && memo.contains(List.of("expirations", symbol))) {
      return true;
    }
    return read("hasExpirations(" + symbol + ") in expirations", c -> {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT EXISTS (SELECT 1 FROM expirations WHERE symbol = ?)")) {
        ps.setString(1, symbol);
        return exists(ps);
      }
    });
  }

  // --- option chains --------------------------------------------------------------------------------------------

  /**
   * Stores a chain, replacing the cached contracts of its underlying and expiration in one transaction. A contract
   * cached under another chain with the same OCC symbol is moved to this one. An empty chain removes the cached one.
   *
   * @param chain the chain
   * @param fetchedAt when it was fetched from the upstream
   * @throws CacheException if the database fails, a contract's underlying or expiration is not the chain's, or two
   *     contracts have one OCC symbol; the cached chain is then left as it was
   */
  public void putChain(OptionChain chain, Instant fetchedAt) {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(fetchedAt, "fetchedAt");
    String what = "putChain(" + chain.underlying() + ", " + chain.expiration() + ", " + chain.contracts().size()
        + " contracts) into option_quotes";
    for (OptionContract k : chain.contracts()) {
      if (!k.underlying().equals(chain.underlying()) || !k.expiration().equals(chain.expiration())) {
        throw new CacheException(what + " refused: contract " + k.symbol() + " is of " + k.underlying() + " "
            + k.expiration() + ", not of the chain");
      }
    }
    String[] symbols = chain.contracts().stream().map(OptionContract::symbol).toArray(String[]::new);
    write(what, c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM option_quotes "
          + "WHERE (underlying = ? AND expiration = ?) OR symbol IN (SELECT UNNEST(?::VARCHAR[]))")) {
        ps.setString(1, chain.underlying());
        ps.setObject(2, chain.expiration());
        ps.setArray(3, c.createArrayOf("VARCHAR", symbols));
        ps.executeUpdate();
      }
      // columns in table order
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
      });
    });
    memo.removeIf(key -> key.get(0).equals("chain")); // contracts may have moved from another chain
  }

  /**
   * Returns the cached chain of an underlying and expiration.
   *
   * @param underlying the underlying's ticker
   * @param expiration the expiration date
   * @return the chain (contracts by strike, call before put) and the oldest {@code fetched_at} among them; empty if no
   *     contract is cached
   * @throws CacheException if the database fails or is closed
   */
  public Optional<Cached<OptionChain>> chain(String underlying, LocalDate expiration) {
    Objects.requireNonNull(underlying, "underlying");
    Objects.requireNonNull(expiration, "expiration");
    return remembered(List.of("chain", underlying, expiration), () -> loadChain(underlying, expiration));
  }

  private Optional<Cached<OptionChain>> loadChain(String underlying, LocalDate expiration) {
    return read("chain(" + underlying + ", " + expiration + ") from option_quotes", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM option_quotes "
          + "WHERE underlying = ? AND expiration = ? ORDER BY strike, option_type")) {
        ps.setString(1, underlying);
        ps.setObject(2, expiration);
        List<OptionContract> contracts = new ArrayList<>();
        Instant oldest = null;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            contracts.add(contract(rs));
            oldest = older(oldest, Jdbc.instant(rs, "fetched_at"));
          }
        }
        return contracts.isEmpty() ? Optional.empty()
            : Optional.of(new Cached<>(new OptionChain(underlying, expiration, contracts), oldest));
      }
    });
  }

  /**
   * Tells whether any contract of an underlying and expiration is cached.
   *
   * @param underlying the underlying's ticker
   * @param expiration the expiration date
   * @return true if at least one is
   * @throws CacheException if the database fails or is closed
   */
  public boolean hasChain(String underlying, LocalDate expiration) {
    Objects.requireNonNull(underlying, "underlying");
    Objects.requireNonNull(expiration, "expiration");
    if (db.isOpen() && memo.contains(List.of("chain", underlying, expiration))) {
      return true;
    }
    return read("hasChain(" + underlying + ", " + expiration + ") in option_quotes", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT EXISTS (SELECT 1 FROM option_quotes WHERE underlying = ? AND expiration = ?)")) {
        ps.setString(1, underlying);
        ps.setObject(2, expiration);
        return exists(ps);
      }
    });
  }

  /** Answers from memory when the database is open; once it is closed, every read goes to it (and fails clearly). */
  private <T> Optional<Cached<T>> remembered(List<Object> key, Supplier<Optional<Cached<T>>> load) {
    if (!db.isOpen()) {
      memo.clear();
      return load.get();
    }
    return memo.get(key, load);
  }

  // --- housekeeping ---------------------------------------------------------------------------------------------

  /**
   * Counts the rows of one of the cache's tables.
   *
   * @param table {@code quotes}, {@code ticker_info}, {@code price_history}, {@code expirations} or
   *     {@code option_quotes}
   * @return its row count
   * @throws IllegalArgumentException if {@code table} is not one of those
   * @throws CacheException if the database fails or is closed
   */
  public long rowCount(String table) {
    if (!TABLES.contains(table)) {
      throw new IllegalArgumentException("table must be one of " + TABLES.stream().sorted().toList()
          + ", was '" + table + "'");
    }
    // table is one of the fixed names above, never caller text
    return read("rowCount(" + table + ")", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table);
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  // --- helpers --------------------------------------------------------------------------------------------------

  private static OptionContract contract(ResultSet rs) throws SQLException {
    Greeks greeks = !rs.getBoolean("has_greeks") ? null : new Greeks(
        Jdbc.doubleOrNull(rs, "delta"), Jdbc.doubleOrNull(rs, "gamma"), Jdbc.doubleOrNull(rs, "theta"),
        Jdbc.doubleOrNull(rs, "vega"), Jdbc.doubleOrNull(rs, "rho"), Jdbc.doubleOrNull(rs, "phi"),
        Jdbc.doubleOrNull(rs, "bid_iv"), Jdbc.doubleOrNull(rs, "mid_iv"), Jdbc.doubleOrNull(rs, "ask_iv"),
        Jdbc.doubleOrNull(rs, "smv_vol"), rs.getString("greeks_updated_at"));
    return new OptionContract(rs.getString("symbol"), rs.getString("underlying"),
        OptionType.parse(rs.getString("option_type")), rs.getDouble("strike"), Jdbc.date(rs, "expiration"),
        rs.getString("expiration_type"), Jdbc.intOrNull(rs, "contract_size"), Jdbc.doubleOrNull(rs, "last"),
        Jdbc.doubleOrNull(rs, "change"), Jdbc.doubleOrNull(rs, "bid"), Jdbc.longOrNull(rs, "bid_size"),
        Jdbc.doubleOrNull(rs, "ask"), Jdbc.longOrNull(rs, "ask_size"), Jdbc.longOrNull(rs, "volume"),
        Jdbc.longOrNull(rs, "open_interest"), greeks);
  }

  private static void checkRange(String symbol, Interval interval, LocalDate start, LocalDate end) {
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
  }

  private static void bindRange(PreparedStatement ps, String symbol, Interval interval, LocalDate start,
      LocalDate end) throws SQLException {
    ps.setString(1, symbol);
    ps.setString(2, interval.wireName());
    ps.setObject(3, start);
    ps.setObject(4, end);
  }

  private static boolean exists(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private static Instant older(Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }

  private static String upsert(String table, String... columns) {
    return "INSERT OR REPLACE INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
        + String.join(", ", Collections.nCopies(columns.length, "?")) + ")";
  }

  /** Reads, naming the operation in the exception. */
  private <T> T read(String what, SqlFunction<Connection, T> query) {
    try {
      return db.read(query);
    } catch (CacheException e) {
      throw new CacheException(what + ": " + e.getMessage(), e);
    }
  }

  /** Writes, naming the operation in the exception. */
  private void write(String what, SqlConsumer<Connection> tx) {
    try {
      db.write(tx);
    } catch (CacheException e) {
      throw new CacheException(what + ": " + e.getMessage(), e);
    }
  }
}
