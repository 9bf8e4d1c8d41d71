package dev.optionchain.dashboard.cache;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The cached answers of one kind of market data (quotes, ticker info, price history, expirations or option chains),
 * by key, in their DuckDB table. The same code for every kind; only the {@link Table} differs. Thread-safe.
 *
 * <p>Reads run concurrently on the database's read connections. {@link #put} writes one value in its own
 * transaction; the service writes through {@link CacheWriter}, which batches many values of many kinds into one
 * transaction with {@link MarketCache#writeAll}.
 *
 * @param <K> the key
 * @param <V> the value
 */
public final class KeyedStore<K, V> {

  private final Database db;
  private final Table<K, V> table;

  KeyedStore(Database db, Table<K, V> table) {
    this.db = db;
    this.table = table;
  }

  /**
   * Returns the table's name.
   *
   * @return e.g. {@code option_quotes}
   */
  public String name() {
    return table.name();
  }

  /**
   * Returns the cached value of {@code key}.
   *
   * @param key the key
   * @return the value and when it was fetched; empty if nothing is cached
   * @throws CacheException if the database fails or is closed
   */
  public Optional<Cached<V>> get(K key) {
    Objects.requireNonNull(key, "key");
    try {
      return db.read(c -> table.read(c, key));
    } catch (CacheException e) {
      throw new CacheException("reading " + key + " from " + table.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Stores {@code value} under {@code key}, replacing what was there, in one transaction.
   *
   * @param key the key
   * @param value the value
   * @param fetchedAt when it was fetched from the upstream
   * @throws CacheException if the database fails (nothing is changed)
   */
  public void put(K key, V value, Instant fetchedAt) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(fetchedAt, "fetchedAt");
    try {
      db.write(c -> table.write(c, key, value, fetchedAt));
    } catch (CacheException e) {
      throw new CacheException("writing " + key + " into " + table.name() + ": " + e.getMessage(), e);
    }
  }

  Table<K, V> table() {
    return table;
  }

  @Override
  public String toString() {
    return "KeyedStore[" + table.name() + "]";
  }
}
