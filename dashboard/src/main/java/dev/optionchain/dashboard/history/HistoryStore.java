package dev.optionchain.dashboard.history;

import dev.optionchain.breaker.CircuitBreakerState;
import dev.optionchain.dashboard.cache.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The breakers' memory, in the service's DuckDB file: every state transition ({@code breaker_transitions}) and how
 * each breaker's requests were served, per minute ({@code breaker_requests}). Thread-safe (the database serializes
 * writes and pools reads).
 */
public final class HistoryStore {

  private static final List<String> SCHEMA = List.of(
      "CREATE TABLE IF NOT EXISTS breaker_transitions ("
          + " seq BIGINT PRIMARY KEY,"
          + " breaker VARCHAR NOT NULL,"
          + " from_state VARCHAR NOT NULL,"
          + " to_state VARCHAR NOT NULL,"
          + " happened_at TIMESTAMPTZ NOT NULL,"
          + " reason VARCHAR NOT NULL,"
          + " failure_count INTEGER NOT NULL,"
          + " open_duration_ms BIGINT NOT NULL,"
          + " failed_recoveries INTEGER NOT NULL,"
          + " forced BOOLEAN NOT NULL,"
          + " last_failure TIMESTAMPTZ)",
      "CREATE INDEX IF NOT EXISTS breaker_transitions_by_breaker ON breaker_transitions (breaker, happened_at)",
      "CREATE TABLE IF NOT EXISTS breaker_requests ("
          + " breaker VARCHAR NOT NULL,"
          + " minute TIMESTAMPTZ NOT NULL,"
          + " live BIGINT NOT NULL,"
          + " cache BIGINT NOT NULL,"
          + " unavailable BIGINT NOT NULL,"
          + " PRIMARY KEY (breaker, minute))",
      // fleet mode: the instance whose decision an adopted transition carries (NULL: this instance's own)
      "ALTER TABLE breaker_transitions ADD COLUMN IF NOT EXISTS origin VARCHAR");

  private final Database db;
  private long nextSeq;

  /**
   * Opens the history in {@code db}, creating its tables if needed.
   *
   * @param db the service's database
   */
  public HistoryStore(Database db) {
    this.db = db;
    db.migrate("breaker_history", SCHEMA);
    this.nextSeq = db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM breaker_transitions");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) + 1;
      }
    });
  }

  /**
   * Appends transitions, in order, in one transaction.
   *
   * @param records the transitions
   */
  public synchronized void append(Collection<TransitionRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    long first = nextSeq;
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO breaker_transitions (seq, breaker, from_state, to_state, happened_at, reason, failure_count,"
              + " open_duration_ms, failed_recoveries, forced, last_failure, origin)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        long seq = first;
        for (TransitionRecord r : records) {
          ps.setLong(1, seq++);
          ps.setString(2, r.breaker());
          ps.setString(3, r.from().name());
          ps.setString(4, r.to().name());
          ps.setObject(5, timestamp(r.at()));
          ps.setString(6, r.reason());
          ps.setInt(7, r.failureCount());
          ps.setLong(8, r.openDuration().toMillis());
          ps.setInt(9, r.failedRecoveries());
          ps.setBoolean(10, r.forced());
          if (r.lastFailure().isPresent()) {
            ps.setObject(11, timestamp(r.lastFailure().get()));
          } else {
            ps.setNull(11, Types.TIMESTAMP_WITH_TIMEZONE);
          }
          ps.setString(12, r.origin().orElse(null));
          ps.executeUpdate();
        }
      }
    });
    nextSeq = first + records.size();
  }

  /**
   * Adds request counts per breaker and minute (upsert: counts of a minute already stored are added to).
   *
   * @param counts breaker and minute to {live, cache, unavailable}
   */
  public void addRequests(Map<MinuteKey, long[]> counts) {
    if (counts.isEmpty()) {
      return;
    }
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO breaker_requests VALUES (?, ?, ?, ?, ?) ON CONFLICT (breaker, minute) DO UPDATE SET"
              + " live = live + excluded.live, cache = cache + excluded.cache,"
              + " unavailable = unavailable + excluded.unavailable")) {
        for (Map.Entry<MinuteKey, long[]> e : counts.entrySet()) {
          ps.setString(1, e.getKey().breaker());
          ps.setObject(2, timestamp(e.getKey().minute()));
          ps.setLong(3, e.getValue()[0]);
          ps.setLong(4, e.getValue()[1]);
          ps.setLong(5, e.getValue()[2]);
          ps.executeUpdate();
        }
      }
    });
  }

  /**
   * A breaker and the minute a request was served in.
   *
   * @param breaker the breaker's name
   * @param minute the start of the minute
   */
  public record MinuteKey(String breaker, Instant minute) {
    /**
     * Returns the key of the minute holding {@code at}.
     *
     * @param breaker the breaker's name
     * @param at an instant
     * @return the key
     */
    public static MinuteKey of(String breaker, Instant at) {
      return new MinuteKey(breaker, at.truncatedTo(ChronoUnit.MINUTES));
    }
  }

  /**
   * Returns the last transition of each breaker: the state to restore after a restart.
   *
   * @return breaker name to its last transition
   */
  public Map<String, TransitionRecord> lastByBreaker() {
    return db.read(c -> {
      Map<String, TransitionRecord> out = new LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM breaker_transitions"
          + " QUALIFY row_number() OVER (PARTITION BY breaker ORDER BY seq DESC) = 1 ORDER BY breaker");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          TransitionRecord r = record(rs);
          out.put(r.breaker(), r);
        }
      }
      return out;
    });
  }

  /**
   * Returns the most recent transitions of all breakers, newest first.
   *
   * @param limit at most this many
   * @return the transitions
   */
  public List<TransitionRecord> recent(int limit) {
    return db.read(c -> {
      List<TransitionRecord> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT * FROM breaker_transitions ORDER BY seq DESC LIMIT ?")) {
        ps.setInt(1, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(record(rs));
          }
        }
      }
      return out;
    });
  }

  /**
   * Returns a breaker's transitions from the last one before {@code from} (the state at {@code from}) to the end, in
   * order.
   *
   * @param breaker the breaker's name
   * @param from the start of the period
   * @return the transitions, oldest first
   */
  public List<TransitionRecord> since(String breaker, Instant from) {
    return db.read(c -> {
      List<TransitionRecord> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM breaker_transitions WHERE breaker = ? AND"
          + " seq >= coalesce((SELECT max(seq) FROM breaker_transitions WHERE breaker = ? AND happened_at <= ?), 0)"
          + " ORDER BY seq")) {
        ps.setString(1, breaker);
        ps.setString(2, breaker);
        ps.setObject(3, timestamp(from));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(record(rs));
          }
        }
      }
      return out;
    });
  }

  /**
   * Returns a breaker's request counts from {@code from} on.
   *
   * @param breaker the breaker's name
   * @param from the start of the period (its minute is included)
   * @return {live, cache, unavailable}
   */
  public long[] requests(String breaker, Instant from) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(live), 0), coalesce(sum(cache), 0),"
          + " coalesce(sum(unavailable), 0) FROM breaker_requests WHERE breaker = ? AND minute >= ?")) {
        ps.setString(1, breaker);
        ps.setObject(2, timestamp(from.truncatedTo(ChronoUnit.MINUTES)));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
      }
    });
  }

  private static TransitionRecord record(ResultSet rs) throws SQLException {
    OffsetDateTime lastFailure = rs.getObject("last_failure", OffsetDateTime.class);
    return new TransitionRecord(
        rs.getString("breaker"),
        CircuitBreakerState.valueOf(rs.getString("from_state")),
        CircuitBreakerState.valueOf(rs.getString("to_state")),
        rs.getObject("happened_at", OffsetDateTime.class).toInstant(),
        rs.getString("reason"),
        rs.getInt("failure_count"),
        Duration.ofMillis(rs.getLong("open_duration_ms")),
        rs.getInt("failed_recoveries"),
        rs.getBoolean("forced"),
        Optional.ofNullable(lastFailure).map(OffsetDateTime::toInstant),
        Optional.ofNullable(rs.getString("origin")));
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }
}
