package dev.optionchain.dashboard.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DuckDB database file, shared by every store that keeps tables in it (the market cache, later the breaker
 * transition log); thread-safe.
 *
 * <pre>{@code
 * try (Database db = Database.open(dataDir.resolve("cache.duckdb"))) {
 *   db.write(c -> {
 *     try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO t VALUES (?, ?)")) { ... }
 *   });
 *   long n = db.read(c -> { ... });
 * }
 * }</pre>
 *
 * <h2>Connections and locking</h2>
 * DuckDB lets one process open a file read-write, and within it rejects concurrent updates of the same row with a
 * transaction conflict. So writes go through one write connection, one at a time under a lock, each in its own
 * transaction; reads run concurrently on a pool of 4 connections duplicated from it, each statement seeing the last
 * committed state (DuckDB's MVCC). A read inside a {@link #write} lambda, on the same thread, does not see that
 * write's uncommitted rows. Lambdas must close their statements and result sets before returning: DuckDB refuses a
 * new query on a connection with an open result.
 *
 * <h2>Writes</h2>
 * {@link #write} runs its lambda in a transaction and commits; if the lambda throws, or the commit fails, it rolls
 * back, so a failed write leaves the previous rows intact. A transaction conflict (another connection on the same
 * database changed the same rows) is retried, up to 5 attempts in all, after 5, 10, 20 and 40 ms; any other
 * {@link SQLException} fails at once. The lambda must not commit, roll back or change auto-commit itself, and must
 * not catch a failed statement's exception and carry on: DuckDB then aborts the transaction, and {@code write}
 * reports that rather than a success.
 *
 * <h2>Lifecycle</h2>
 * {@link #open} takes DuckDB's lock on the file (one process at a time) and refuses a second open of the same file in
 * this process. {@link #close} waits up to {@code 30 s} for reads and writes in flight, closes every connection and so
 * releases the file lock; later calls fail with a {@link CacheException} saying the database is closed.
 */
public final class Database implements AutoCloseable {

  /** Size of the read-connection pool. */
  static final int READ_CONNECTIONS = 4;
  /** Attempts of a write that keeps hitting transaction conflicts, the first included. */
  static final int MAX_WRITE_ATTEMPTS = 5;
  /** Wait before the first retry of a conflicting write; doubles for each later one. */
  static final long FIRST_BACKOFF_MILLIS = 5;
  /** How long a read waits for a free read connection. */
  static final Duration READ_CONNECTION_WAIT = Duration.ofSeconds(10);
  /** How long {@link #close} waits for reads and writes in flight. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /** Files open in this process: DuckDB shares one instance per file within a process, so its lock cannot tell. */
  private static final Set<Path> OPEN_FILES = ConcurrentHashMap.newKeySet();

  private static final String SCHEMA_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version ("
      + "component VARCHAR PRIMARY KEY, version INTEGER NOT NULL, migrated_at TIMESTAMPTZ NOT NULL)";

  private final Path file;
  private final DuckDBConnection writer;
  private final List<DuckDBConnection> readers;
  private final BlockingQueue<DuckDBConnection> idleReaders;
  /** Serializes writes. */
  private final ReentrantLock writeLock = new ReentrantLock();
  /** Held shared by every read and write, exclusively by close. */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final Object closeMonitor = new Object();
  private volatile boolean closed;

  private Database(Path file, DuckDBConnection writer, List<DuckDBConnection> readers) {
    this.file = file;
    this.writer = writer;
    this.readers = List.copyOf(readers);
    this.idleReaders = new ArrayBlockingQueue<>(readers.size(), false, readers);
  }

  /**
   * Opens a database file, creating it and its parent directories if needed.
   *
   * @param file the database file, e.g. {@code ./data/cache.duckdb}
   * @return the open database
   * @throws CacheException if the directory cannot be created, the file is locked by another process or already open
   *     in this one, or it is not a readable DuckDB database
   * @throws IllegalArgumentException if the path contains {@code ;} or {@code ?}, which the driver's URL syntax
   *     reserves
   */
  public static Database open(Path file) {
    Objects.requireNonNull(file, "file");
    Path key = prepare(file);
    if (!OPEN_FILES.add(key)) {
      throw new CacheException("cannot open cache database " + key
          + ": it is already open in this process; close the other Database first");
    }
    List<DuckDBConnection> readers = new ArrayList<>();
    DuckDBConnection primary = null;
    boolean opened = false;
    try {
      primary = connect(key);
      for (int i = 0; i < READ_CONNECTIONS; i++) {
        DuckDBConnection reader = primary.duplicate();
        readers.add(reader);
        reader.setAutoCommit(true); // a duplicate copies its parent's auto-commit
      }
      primary.setAutoCommit(false);
      Database db = new Database(key, primary, readers);
      opened = true;
      LOG.info("opened cache database {}", key);
      return db;
    } catch (SQLException e) {
      throw openFailure(key, e);
    } finally {
      if (!opened) {
        readers.forEach(Database::closeQuietly);
        closeQuietly(primary);
        OPEN_FILES.remove(key);
      }
    }
  }

  /**
   * Runs a query on one of the read connections, concurrently with other reads and with a write.
   *
   * <p>The query must not modify the database, and must not keep the connection or anything it created (statements,
   * result sets) after it returns.
   *
   * @param query the query
   * @param <T> what it returns
   * @return what the query returned
   * @throws CacheException if the query throws an {@link SQLException}, no read connection frees up within
   *     {@code 10 s}, or the database is closed
   */
  public <T> T read(SqlFunction<Connection, T> query) {
    Objects.requireNonNull(query, "query");
    Lock shared = enter("read from");
    try {
      DuckDBConnection c = borrowReader();
      try {
        return query.apply(c);
      } catch (SQLException e) {
        throw new CacheException("read from " + file + " failed: " + e.getMessage(), e);
      } finally {
        giveBack(c);
      }
    } finally {
      shared.unlock();
    }
  }

  /**
   * Runs {@code tx} in a transaction on the write connection, one write at a time, and commits it.
   *
   * <p>If {@code tx} throws, or the commit fails, the transaction is rolled back: the database is as before. A
   * transaction conflict is retried (the lambda runs again, from the start, in a new transaction) up to 5 attempts in
   * all; other {@link SQLException}s are not. An unchecked exception from {@code tx} is rethrown as it is, after the
   * rollback. DuckDB's bulk {@link org.duckdb.DuckDBAppender} may be used on the connection
   * ({@code c.unwrap(DuckDBConnection.class)}): it joins the transaction, but its last rows reach the table only on
   * {@code flush()}, whose errors its {@code close()} swallows; always flush explicitly.
   *
   * @param tx the work; must not commit, roll back, change auto-commit or call {@code write} again
   * @throws CacheException if {@code tx} throws an {@link SQLException}, a conflict persists, a statement failed
   *     inside {@code tx} whose exception {@code tx} caught, or the database is closed
   * @throws IllegalStateException if called from inside another {@code write} on the same thread
   */
  public void write(SqlConsumer<Connection> tx) {
    Objects.requireNonNull(tx, "tx");
    if (writeLock.isHeldByCurrentThread()) {
      throw new IllegalStateException("write() called inside a write transaction on " + file
          + "; do all the work in the outer transaction");
    }
    Lock shared = enter("write to");
    try {
      writeLock.lock();
      try {
        writeWithRetry(tx);
      } finally {
        writeLock.unlock();
      }
    } finally {
      shared.unlock();
    }
  }

  /**
   * Brings a store's tables up to date: runs the statements of {@code steps} that have not run yet, in one
   * transaction, and records how many have in table {@code schema_version} under {@code component}.
   *
   * <p>Version {@code n} of a component means its first {@code n} statements have run. Steps are append-only: a later
   * release adds statements at the end and never edits or removes one.
   *
   * @param component the store, e.g. {@code market_cache}
   * @param steps DDL statements, oldest first
   * @return the schema version now in force, {@code steps.size()}
   * @throws CacheException if a statement fails (nothing is applied) or the file's schema is newer than
   *     {@code steps}, written by a later release
   */
  public int migrate(String component, List<String> steps) {
    Objects.requireNonNull(component, "component");
    List<String> statements = List.copyOf(steps);
    int[] before = new int[1];
    write(c -> {
      try (Statement s = c.createStatement()) {
        s.execute(SCHEMA_VERSION_TABLE);
      }
      int current = 0;
      try (PreparedStatement ps = c.prepareStatement("SELECT version FROM schema_version WHERE component = ?")) {
        ps.setString(1, component);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            current = rs.getInt(1);
          }
        }
      }
      if (current > statements.size()) {
        throw new CacheException("schema of " + component + " in " + file + " is version " + current
            + ", newer than this release's " + statements.size() + "; use a newer release or another data directory");
      }
      before[0] = current;
      if (current == statements.size()) {
        return;
      }
      try (Statement s = c.createStatement()) {
        for (String step : statements.subList(current, statements.size())) {
          s.execute(step);
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO schema_version VALUES (?, ?, ?)")) {
        ps.setString(1, component);
        ps.setInt(2, statements.size());
        ps.setObject(3, Jdbc.timestamp(Instant.now()));
        ps.executeUpdate();
      }
    });
    if (before[0] < statements.size()) {
      LOG.info("schema of {} in {}: version {} -> {}", component, file, before[0], statements.size());
    }
    return statements.size();
  }

  /**
   * Tells whether the database is open.
   *
   * @return false once {@link #close} has begun
   */
  public boolean isOpen() {
    return !closed;
  }

  /**
   * Returns the database file.
   *
   * @return its absolute path (with the parent directory's symbolic links resolved)
   */
  public Path file() {
    return file;
  }

  /**
   * Closes the database: new reads and writes fail at once, those in flight are waited for (up to {@code 30 s}, then
   * their connections are closed under them), every connection is closed and DuckDB's file lock released. Idempotent; a
   * second call waits until the first has finished.
   *
   * @throws CacheException if a connection fails to close (the others are still closed)
   * @throws IllegalStateException if called from inside {@link #read} or {@link #write}
   */
  @Override
  public void close() {
    synchronized (closeMonitor) {
      if (closed) {
        return;
      }
      if (lifecycle.getReadHoldCount() > 0) {
        throw new IllegalStateException("close() called inside read() or write() on " + file);
      }
      closed = true;
      Lock exclusive = lifecycle.writeLock();
      boolean drained = false;
      try {
        drained = exclusive.tryLock(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (!drained) {
          LOG.warn("closing {} with reads or writes still running after {}", file, CLOSE_WAIT);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.warn("interrupted while waiting for reads and writes on {}; closing now", file);
      }
      try {
        closeConnections();
      } finally {
        OPEN_FILES.remove(file);
        if (drained) {
          exclusive.unlock();
        }
      }
    }
  }

  @Override
  public String toString() {
    return "Database[" + file + (closed ? ", closed]" : "]");
  }

  /**
   * Tells whether an exception reports a transaction conflict, which a new attempt may not meet.
   *
   * @param e the exception, with its causes
   * @return true for DuckDB's "Conflict on ...", "write-write conflict" and failed-commit transaction errors
   */
  static boolean isConflict(Throwable e) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 10; t = t.getCause(), depth++) {
      String m = t.getMessage();
      if (m == null) {
        continue;
      }
      if (m.contains("write-write conflict")
          || m.contains("TransactionContext Error") && (m.contains("Conflict") || m.contains("Failed to commit"))) {
        return true;
      }
    }
    return false;
  }

  private void writeWithRetry(SqlConsumer<Connection> tx) {
    for (int attempt = 1; ; attempt++) {
      try {
        writeOnce(tx);
        return;
      } catch (SQLException e) {
        if (!isConflict(e)) {
          throw new CacheException("write to " + file + " failed and was rolled back: " + e.getMessage(), e);
        }
        if (attempt == MAX_WRITE_ATTEMPTS) {
          throw new CacheException("write to " + file + " was rolled back: transaction conflict on each of "
              + attempt + " attempts: " + e.getMessage(), e);
        }
        long backoff = FIRST_BACKOFF_MILLIS << (attempt - 1);
        LOG.warn("write to {} hit a transaction conflict (attempt {} of {}), retrying in {} ms: {}",
            file, attempt, MAX_WRITE_ATTEMPTS, backoff, e.getMessage());
        pause(backoff);
      }
    }
  }

  private void writeOnce(SqlConsumer<Connection> tx) throws SQLException {
    if (writer.getAutoCommit()) {
      writer.setAutoCommit(false);
    }
    boolean committed = false;
    try {
      // The driver begins the native transaction lazily, at the next statement; an Appender used before any
      // statement would commit on its own. So begin now.
      ping();
      tx.accept(writer);
      try {
        ping(); // a commit of an aborted transaction would roll back and report success
      } catch (SQLException e) {
        if (String.valueOf(e.getMessage()).contains("transaction is aborted")) {
          throw new CacheException("write to " + file + " was rolled back: a statement inside the transaction "
              + "failed and its exception was caught, which aborted the transaction: " + e.getMessage(), e);
        }
        throw e;
      }
      writer.commit();
      committed = true;
    } finally {
      if (!committed) {
        rollbackQuietly();
      }
    }
  }

  private void ping() throws SQLException {
    try (Statement s = writer.createStatement()) {
      s.execute("SELECT 1");
    }
  }

  private void rollbackQuietly() {
    try {
      writer.rollback();
    } catch (SQLException e) {
      LOG.warn("rollback on {} failed: {}", file, e.getMessage(), e);
    }
  }

  private void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException("write to " + file + " interrupted while waiting to retry a conflict", e);
    }
  }

  /** Takes the lifecycle lock shared, or fails if the database is closed. */
  private Lock enter(String operation) {
    if (closed) {
      throw closedException(operation);
    }
    Lock shared = lifecycle.readLock();
    shared.lock();
    if (closed) {
      shared.unlock();
      throw closedException(operation);
    }
    return shared;
  }

  private CacheException closedException(String operation) {
    return new CacheException("cannot " + operation + " cache database " + file + ": it is closed");
  }

  private DuckDBConnection borrowReader() {
    try {
      DuckDBConnection c = idleReaders.poll(READ_CONNECTION_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (c == null) {
        throw new CacheException("read from " + file + " gave up: all " + READ_CONNECTIONS
            + " read connections stayed busy for " + READ_CONNECTION_WAIT);
      }
      return c;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException("read from " + file + " interrupted while waiting for a read connection", e);
    }
  }

  private void giveBack(DuckDBConnection c) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      LOG.warn("could not reset a read connection of {}: {}", file, e.getMessage(), e);
    }
    idleReaders.add(c);
  }

  private void closeConnections() {
    SQLException failure = null;
    List<DuckDBConnection> all = new ArrayList<>(readers);
    all.add(writer); // the connection the readers were duplicated from, last
    for (DuckDBConnection c : all) {
      try {
        c.close();
      } catch (SQLException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw new CacheException("closing cache database " + file + " failed: " + failure.getMessage(), failure);
    }
    LOG.info("closed cache database {}", file);
  }

  private static Path prepare(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    Path name = absolute.getFileName();
    Path parent = absolute.getParent();
    if (name == null || parent == null) {
      throw new IllegalArgumentException("cache database path must name a file, was '" + file + "'");
    }
    if (absolute.toString().indexOf(';') >= 0 || absolute.toString().indexOf('?') >= 0) {
      throw new IllegalArgumentException("cache database path must not contain ';' or '?', was '" + file + "'");
    }
    try {
      Files.createDirectories(parent);
      return parent.toRealPath().resolve(name);
    } catch (IOException e) {
      throw new CacheException("cannot create directory " + parent + " for cache database " + name + ": " + e, e);
    }
  }

  private static DuckDBConnection connect(Path file) throws SQLException {
    Properties options = new Properties();
    // The driver can keep a database open until the JVM exits; ours must close, releasing the file lock.
    options.setProperty(DuckDBDriver.JDBC_PIN_DB, "false");
    Connection c = new DuckDBDriver().connect("jdbc:duckdb:" + file, options);
    return c.unwrap(DuckDBConnection.class);
  }

  private static CacheException openFailure(Path file, SQLException e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("Could not set lock") || m.contains("Conflicting lock")) {
      return new CacheException("cannot open cache database " + file + ": it is locked by another process; stop "
          + "that process or give this one another data directory (" + m + ")", e);
    }
    return new CacheException("cannot open cache database " + file + ": " + m, e);
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException e) {
      LOG.warn("could not close a connection while failing to open: {}", e.getMessage(), e);
    }
  }

  /**
   * A function over a JDBC object that may throw {@link SQLException}.
   *
   * @param <C> the argument
   * @param <T> the result
   */
  @FunctionalInterface
  public interface SqlFunction<C, T> {
    /**
     * Applies the function.
     *
     * @param c the argument
     * @return the result
     * @throws SQLException if a statement fails
     */
    T apply(C c) throws SQLException;
  }

  /**
   * An action on a JDBC object that may throw {@link SQLException}.
   *
   * @param <C> the argument
   */
  @FunctionalInterface
  public interface SqlConsumer<C> {
    /**
     * Runs the action.
     *
     * @param c the argument
     * @throws SQLException if a statement fails
     */
    void accept(C c) throws SQLException;
  }
}
