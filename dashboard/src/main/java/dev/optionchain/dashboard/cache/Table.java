package dev.optionchain.dashboard.cache;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * How one kind of market data is kept in DuckDB: the SQL of its rows, keyed by {@code K}. Implementations are
 * stateless; {@link KeyedStore} runs them in transactions and on read connections.
 *
 * @param <K> the key
 * @param <V> the value
 */
interface Table<K, V> {

  /**
   * Returns the table's name.
   *
   * @return the name, for {@link MarketCache#rowCount} and messages
   */
  String name();

  /**
   * Replaces what is stored under {@code key} with {@code value}, in the caller's transaction.
   *
   * @param c the write connection, in a transaction
   * @param key the key
   * @param value the value
   * @param fetchedAt when it was fetched from the upstream
   * @throws SQLException if a statement fails
   */
  void write(Connection c, K key, V value, Instant fetchedAt) throws SQLException;

  /**
   * Reads what is stored under {@code key}.
   *
   * @param c a read connection
   * @param key the key
   * @return the value and when it was fetched (the oldest row's time for values of several rows); empty if none
   * @throws SQLException if a statement fails
   */
  Optional<Cached<V>> read(Connection c, K key) throws SQLException;
}
