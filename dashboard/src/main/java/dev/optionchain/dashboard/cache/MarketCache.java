package dev.optionchain.dashboard.cache;

import dev.optionchain.dashboard.model.ChainKey;
import dev.optionchain.dashboard.model.Expirations;
import dev.optionchain.dashboard.model.HistoryKey;
import dev.optionchain.dashboard.model.OptionChain;
import dev.optionchain.dashboard.model.PriceHistory;
import dev.optionchain.dashboard.model.Quote;
import dev.optionchain.dashboard.model.TickerInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The market-data cache: the last answer the upstream gave for each quote, ticker info, price bar, expiration list and
 * option chain, with the time it was fetched, in one DuckDB table per kind. Thread-safe.
 *
 * <p>Each kind is one {@link KeyedStore} (the same code for all five; only the SQL of its {@link Table} differs):
 * <ul>
 *   <li>{@link #quotes()}, {@link #infos()}: by symbol; tables {@code quotes}, {@code ticker_info}, one row per
 *       symbol, upserted.
 *   <li>{@link #history()}: by {@link HistoryKey}; {@code price_history}, one row per (symbol, interval, date), a new
 *       history replacing the bars of its dates and keeping all others.
 *   <li>{@link #expirations()}: by symbol; {@code expirations}, one row per (symbol, date), a new list replacing the
 *       symbol's.
 *   <li>{@link #chains()}: by {@link ChainKey}; {@code option_quotes}, one row per OCC contract with its root, greeks
 *       flattened, a new chain replacing its (underlying, expiration) whatever the roots.
 * </ul>
 * Typed columns, one per model field (nullable fields are nullable columns and come back as null, never 0), and a
 * {@code fetched_at TIMESTAMPTZ} per row, stored to the microsecond. The schema is versioned in
 * {@code schema_version} (component {@code market_cache}, {@link Database#migrate}).
 *
 * <p>{@link #writeAll} writes a batch of values of any kinds in one transaction: a batch that fails leaves every row
 * it would have replaced intact. Every method throws {@link CacheException} when the database fails or is closed;
 * the service treats a failed read as a miss and retries a failed write ({@link CacheWriter}).
 */
public final class MarketCache {

  /** This store's name in {@code schema_version}. */
  private static final String COMPONENT = "market_cache";

  /** Append-only: a release adds statements at the end, never edits one. */
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
      "CREATE INDEX IF NOT EXISTS option_quotes_chain ON option_quotes (underlying, expiration)",
      // chains keep every root (SPX and SPXW, PLTR and PLTR1); rows of older releases read their root from the symbol
      "ALTER TABLE option_quotes ADD COLUMN IF NOT EXISTS root VARCHAR");

  /** The tables {@link #rowCount} accepts. */
  private static final Set<String> TABLES =
      Set.of("quotes", "ticker_info", "price_history", "expirations", "option_quotes");

  private final Database db;
  private final KeyedStore<String, Quote> quotes;
  private final KeyedStore<String, TickerInfo> infos;
  private final KeyedStore<HistoryKey, PriceHistory> history;
  private final KeyedStore<String, Expirations> expirations;
  private final KeyedStore<ChainKey, OptionChain> chains;

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
    quotes = new KeyedStore<>(db, QuoteTables.QUOTES);
    infos = new KeyedStore<>(db, QuoteTables.INFO);
    history = new KeyedStore<>(db, HistoryTable.INSTANCE);
    expirations = new KeyedStore<>(db, ChainTables.EXPIRATIONS);
    chains = new KeyedStore<>(db, ChainTables.CHAINS);
  }

  /**
   * Quotes by symbol.
   *
   * @return the store
   */
  public KeyedStore<String, Quote> quotes() {
    return quotes;
  }

  /**
   * Ticker info by symbol.
   *
   * @return the store
   */
  public KeyedStore<String, TickerInfo> infos() {
    return infos;
  }

  /**
   * Price bars by symbol, interval and date range.
   *
   * @return the store
   */
  public KeyedStore<HistoryKey, PriceHistory> history() {
    return history;
  }

  /**
   * Expiration lists by symbol.
   *
   * @return the store
   */
  public KeyedStore<String, Expirations> expirations() {
    return expirations;
  }

  /**
   * Option chains by underlying and expiration.
   *
   * @return the store
   */
  public KeyedStore<ChainKey, OptionChain> chains() {
    return chains;
  }

  /**
   * One value to write.
   *
   * @param store where
   * @param key its key
   * @param value the value
   * @param fetchedAt when it was fetched from the upstream
   * @param <K> the key's type
   * @param <V> the value's type
   */
  public record Write<K, V>(KeyedStore<K, V> store, K key, V value, java.time.Instant fetchedAt) {

    /** Requires every component. */
    public Write {
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(fetchedAt, "fetchedAt");
    }

    void apply(java.sql.Connection c) throws java.sql.SQLException {
      store.table().write(c, key, value, fetchedAt);
    }
  }

  /**
   * Writes a batch, in order, in one transaction: all of it or nothing.
   *
   * @param batch the values
   * @throws CacheException if the database fails or a value is refused (nothing is changed)
   */
  public void writeAll(List<? extends Write<?, ?>> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      db.write(c -> {
        for (Write<?, ?> w : batch) {
          w.apply(c);
        }
      });
    } catch (CacheException e) {
      throw new CacheException("writing a batch of " + batch.size() + " answers failed and was rolled back: "
          + e.getMessage(), e);
    }
  }

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
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table);
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }
}
