package dev.optionchain.dashboard.cache;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Conversions between model values and DuckDB columns, null-preserving.
 *
 * <p>Instants are stored as {@code TIMESTAMPTZ}, bound and read as UTC {@link OffsetDateTime}s (the driver accepts
 * no {@link Instant}), truncated to DuckDB's microsecond precision. Nullable numbers are read with
 * {@link ResultSet#wasNull()}: the driver's {@code getDouble} returns {@code NaN}, not 0, for a SQL NULL.
 */
final class Jdbc {

  private Jdbc() {}

  /**
   * Converts an instant to what a {@code TIMESTAMPTZ} column stores.
   *
   * @param instant the instant, or null
   * @return the instant truncated to microseconds, at UTC; null for null
   */
  static OffsetDateTime timestamp(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /** The older of two instants; {@code a} may be null (none yet). */
  static Instant older(Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }

  static LocalDate date(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, LocalDate.class);
  }

  static Double doubleOrNull(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  static Long longOrNull(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  static Integer intOrNull(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  static void setString(PreparedStatement ps, int index, String v) throws SQLException {
    if (v == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, v);
    }
  }

  static void setDouble(PreparedStatement ps, int index, Double v) throws SQLException {
    if (v == null) {
      ps.setNull(index, Types.DOUBLE);
    } else {
      ps.setDouble(index, v);
    }
  }

  static void setLong(PreparedStatement ps, int index, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, v);
    }
  }

  static void setInstant(PreparedStatement ps, int index, Instant v) throws SQLException {
    if (v == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, timestamp(v));
    }
  }

  static void append(DuckDBAppender a, String v) throws SQLException {
    if (v == null) {
      a.appendNull();
    } else {
      a.append(v);
    }
  }

  static void append(DuckDBAppender a, Double v) throws SQLException {
    if (v == null) {
      a.appendNull();
    } else {
      a.append(v.doubleValue());
    }
  }

  static void append(DuckDBAppender a, Long v) throws SQLException {
    if (v == null) {
      a.appendNull();
    } else {
      a.append(v.longValue());
    }
  }

  static void append(DuckDBAppender a, Integer v) throws SQLException {
    if (v == null) {
      a.appendNull();
    } else {
      a.append(v.intValue());
    }
  }

  static void append(DuckDBAppender a, Instant v) throws SQLException {
    if (v == null) {
      a.appendNull();
    } else {
      a.append(timestamp(v));
    }
  }

  /**
   * Appends rows to a table with DuckDB's bulk appender, in the caller's transaction.
   *
   * <p>Much faster than a JDBC batch, which the driver executes row by row (about 1 ms per plain insert and 5 ms per
   * {@code INSERT OR REPLACE} here). Values are typed, never SQL text. The appender hands full chunks of 2048 rows to
   * the table as it goes and the rest on {@code flush()}; a constraint violation surfaces there, and the caller's
   * rollback then undoes every chunk. {@code flush()} is called explicitly because {@code close()} swallows its errors.
   *
   * @param c the write connection, in a transaction
   * @param table the table, in schema {@code main}; its columns in declaration order must match what {@code row}
   *     appends
   * @param rows the rows
   * @param row appends one row's values, between {@code beginRow} and {@code endRow}
   * @param <T> a row's type
   * @throws SQLException if a value does not fit or a constraint is violated
   */
  static <T> void appendAll(Connection c, String table, Collection<T> rows, RowWriter<T> row) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, table)) {
      for (T r : rows) {
        a.beginRow();
        row.write(a, r);
        a.endRow();
      }
      a.flush();
    }
  }

  /**
   * Appends one row's values.
   *
   * @param <T> the row's type
   */
  @FunctionalInterface
  interface RowWriter<T> {
    void write(DuckDBAppender a, T row) throws SQLException;
  }
}
