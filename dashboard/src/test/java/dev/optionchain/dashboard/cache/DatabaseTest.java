package dev.optionchain.dashboard.cache;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

  @TempDir
  Path dir;

  private Database db;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @BeforeEach
  void open() {
    db = Database.open(dir.resolve("test.duckdb"));
    db.write(c -> exec(c, "CREATE TABLE kv (k VARCHAR PRIMARY KEY, v INTEGER NOT NULL)",
        "INSERT INTO kv VALUES ('old', 1)"));
  }

  @AfterEach
  void close() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, SECONDS)).isTrue();
    db.close();
  }

  // --- open -------------------------------------------------------------------------------------------------------

  @Test
  void openCreatesTheParentDirectoriesAndTheFile() throws IOException {
    try (Database nested = Database.open(dir.resolve("a/b/cache.duckdb"))) {
      assertThat(nested.isOpen()).isTrue();
      assertThat(nested.file()).isEqualTo(dir.toRealPath().resolve("a/b/cache.duckdb"));
      assertThat(nested.file()).exists();
    }
  }

  @Test
  void secondOpenOfTheSameFileInThisProcessFailsUntilTheFirstIsClosed() {
    Path sameFileOtherSpelling = dir.resolve("x/../test.duckdb");

    assertThatThrownBy(() -> Database.open(dir.resolve("test.duckdb")))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("already open in this process");
    assertThatThrownBy(() -> Database.open(sameFileOtherSpelling))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("already open in this process");

    db.close();
    try (Database again = Database.open(dir.resolve("test.duckdb"))) {
      List<String> keys = again.read(DatabaseTest::keys);
      assertThat(keys).containsExactly("old");
    }
  }

  @Test
  void anotherProcessCannotOpenTheFileUntilItIsClosed() throws Exception {
    Probe whileOpen = probe(db.file());

    assertThat(whileOpen.exitCode).as(whileOpen.output).isEqualTo(LockProbe.LOCKED);
    assertThat(whileOpen.output).contains("locked by another process").contains(db.file().toString());

    db.close();
    Probe afterClose = probe(db.file());

    assertThat(afterClose.exitCode).as(afterClose.output).isZero();
    assertThat(afterClose.output).contains("OPENED");
  }

  @Test
  void openingAFileThatIsNotADatabaseFailsClearlyAndLeavesThePathUsable() throws IOException {
    Path junk = dir.resolve("junk.duckdb");
    Files.writeString(junk, "not a database ".repeat(1000));

    assertThatThrownBy(() -> Database.open(junk))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("cannot open cache database")
        .hasMessageContaining("junk.duckdb")
        .hasMessageContaining("not a valid DuckDB database")
        .hasCauseInstanceOf(SQLException.class);

    Files.delete(junk);
    try (Database fresh = Database.open(junk)) {
      assertThat(fresh.isOpen()).isTrue();
    }
  }

  // --- writes -----------------------------------------------------------------------------------------------------

  @Test
  void committedWriteIsSeenByLaterReads() {
    db.write(c -> exec(c, "INSERT INTO kv VALUES ('new', 2)"));

    assertThat(storedKeys()).containsExactly("new", "old");
  }

  @Test
  void failedStatementRollsBackTheWholeWrite() {
    assertThatThrownBy(() -> db.write(c -> exec(c,
        "DELETE FROM kv", "INSERT INTO kv VALUES ('new', 2)", "INSERT INTO kv VALUES ('bad', NULL)")))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("rolled back")
        .hasMessageContaining("NOT NULL")
        .hasCauseInstanceOf(SQLException.class);

    assertThat(storedKeys()).containsExactly("old");
  }

  @Test
  void uncheckedExceptionFromTheWriteRollsItBackAndReachesTheCaller() {
    IllegalStateException boom = new IllegalStateException("boom");

    assertThatThrownBy(() -> db.write(c -> {
      exec(c, "DELETE FROM kv");
      throw boom;
    })).isSameAs(boom);

    assertThat(storedKeys()).containsExactly("old");
  }

  @Test
  void statementErrorCaughtInsideTheWriteIsReportedAndNothingIsCommitted() {
    assertThatThrownBy(() -> db.write(c -> {
      exec(c, "DELETE FROM kv");
      try {
        exec(c, "INSERT INTO kv VALUES ('bad', NULL)");
      } catch (SQLException wrongButItHappens) {
        // carry on, as a careless caller would
      }
    })).isInstanceOf(CacheException.class).hasMessageContaining("aborted");

    assertThat(storedKeys()).containsExactly("old");
    db.write(c -> exec(c, "INSERT INTO kv VALUES ('next', 3)"));
    assertThat(storedKeys()).containsExactly("next", "old");
  }

  @Test
  void appendedRowsBelongToTheWriteTransaction() {
    assertThatThrownBy(() -> db.write(c -> {
      Jdbc.appendAll(c, "kv", List.of("x", "y"), (a, k) -> a.append(k).append(7));
      throw new IllegalStateException("after the append");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(storedKeys()).as("appended first, then rolled back").containsExactly("old");

    db.write(c -> Jdbc.appendAll(c, "kv", List.of("x", "y"), (a, k) -> a.append(k).append(7)));
    assertThat(storedKeys()).containsExactly("old", "x", "y");
  }

  @Test
  void nestedWriteIsRefused() {
    assertThatThrownBy(() -> db.write(c -> {
      exec(c, "DELETE FROM kv");
      db.write(inner -> exec(inner, "INSERT INTO kv VALUES ('inner', 1)"));
    })).isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a write transaction");

    assertThat(storedKeys()).containsExactly("old");
  }

  // --- conflicts --------------------------------------------------------------------------------------------------

  @Test
  void duckDbRejectsConcurrentUpsertsOfOneKeyWhichIsWhyWritesAreSerialized() throws SQLException {
    try (DuckDBConnection a = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("raw.duckdb"))
            .unwrap(DuckDBConnection.class);
        Connection b = a.duplicate()) {
      exec(a, "CREATE TABLE kv (k VARCHAR PRIMARY KEY, v INTEGER)", "INSERT INTO kv VALUES ('k', 0)");
      a.setAutoCommit(false);
      b.setAutoCommit(false);
      exec(a, "INSERT OR REPLACE INTO kv VALUES ('k', 1)");

      assertThatThrownBy(() -> exec(b, "INSERT OR REPLACE INTO kv VALUES ('k', 2)"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Conflict")
          .satisfies(e -> assertThat(Database.isConflict(e)).isTrue());
    }
  }

  @Test
  void conflictingWriteIsRetriedUntilItSucceeds() throws SQLException {
    try (Connection other = DriverManager.getConnection("jdbc:duckdb:" + db.file())) { // same instance, other lock
      other.setAutoCommit(false);
      exec(other, "UPDATE kv SET v = 10 WHERE k = 'old'"); // uncommitted: our update of the row conflicts
      AtomicInteger attempts = new AtomicInteger();

      db.write(c -> {
        if (attempts.incrementAndGet() == 2) {
          other.commit(); // the other writer finishes while we back off
        }
        exec(c, "UPDATE kv SET v = 20 WHERE k = 'old'");
      });

      assertThat(attempts.get()).isBetween(2, Database.MAX_WRITE_ATTEMPTS);
      assertThat(storedValue("old")).isEqualTo(20);
    }
  }

  @Test
  void persistentConflictFailsAfterTheLastAttemptAndChangesNothing() throws SQLException {
    try (Connection other = DriverManager.getConnection("jdbc:duckdb:" + db.file())) {
      other.setAutoCommit(false);
      exec(other, "UPDATE kv SET v = 10 WHERE k = 'old'");
      AtomicInteger attempts = new AtomicInteger();

      assertThatThrownBy(() -> db.write(c -> {
        attempts.incrementAndGet();
        exec(c, "INSERT INTO kv VALUES ('new', 2)", "UPDATE kv SET v = 20 WHERE k = 'old'");
      })).isInstanceOf(CacheException.class)
          .hasMessageContaining("conflict on each of " + Database.MAX_WRITE_ATTEMPTS + " attempts");

      assertThat(attempts).hasValue(Database.MAX_WRITE_ATTEMPTS);
      other.rollback();
    }
    assertThat(storedKeys()).containsExactly("old");
    assertThat(storedValue("old")).isEqualTo(1);
  }

  @Test
  void otherSqlErrorsAreNotRetried() {
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(() -> db.write(c -> {
      attempts.incrementAndGet();
      exec(c, "INSERT INTO kv VALUES ('old', 2)");
    })).isInstanceOf(CacheException.class).hasMessageContaining("old");

    assertThat(attempts).hasValue(1);
  }

  @Test
  void conflictMessagesAreRecognisedAndOthersAreNot() {
    assertThat(Database.isConflict(new SQLException("TransactionContext Error: Conflict on update!"))).isTrue();
    assertThat(Database.isConflict(new SQLException("TransactionContext Error: Conflict on tuple deletion!")))
        .isTrue();
    assertThat(Database.isConflict(
        new SQLException("TransactionContext Error: Catalog write-write conflict on create with \"t\""))).isTrue();
    assertThat(Database.isConflict(new SQLException("TransactionContext Error: Failed to commit: attempting to "
        + "modify table t but another transaction has altered this table"))).isTrue();
    assertThat(Database.isConflict(
        new SQLException("wrapped", new SQLException("TransactionContext Error: Conflict on update!")))).isTrue();

    assertThat(Database.isConflict(
        new SQLException("TransactionContext Error: Current transaction is aborted (please ROLLBACK)"))).isFalse();
    assertThat(Database.isConflict(
        new SQLException("Constraint Error: Duplicate key \"k: a\" violates primary key constraint."))).isFalse();
    assertThat(Database.isConflict(new SQLException(
        "Invalid Input Error: ON CONFLICT DO UPDATE can not update the same row twice in the same command")))
        .isFalse();
    assertThat(Database.isConflict(new SQLException())).isFalse();
  }

  // --- reads ------------------------------------------------------------------------------------------------------

  @Test
  void readsRunConcurrently() throws Exception {
    CyclicBarrier bothInside = new CyclicBarrier(2);
    Database.SqlFunction<Connection, List<String>> meet = c -> {
      try {
        bothInside.await(10, SECONDS); // would time out if reads were serialized
      } catch (Exception e) {
        throw new IllegalStateException("reads did not overlap", e);
      }
      return keys(c);
    };

    Future<List<String>> first = pool.submit(() -> db.read(meet));
    Future<List<String>> second = pool.submit(() -> db.read(meet));

    assertThat(first.get(20, SECONDS)).containsExactly("old");
    assertThat(second.get(20, SECONDS)).containsExactly("old");
  }

  @Test
  void readFailureIsACacheExceptionAndTheConnectionStaysUsable() {
    assertThatThrownBy(() -> db.read(c -> keys(c, "SELECT k FROM no_such_table")))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("read from " + db.file())
        .hasMessageContaining("no_such_table");

    for (int i = 0; i < Database.READ_CONNECTIONS * 2; i++) {
      assertThat(storedKeys()).containsExactly("old");
    }
  }

  // --- close ------------------------------------------------------------------------------------------------------

  @Test
  void closeIsIdempotentAndLaterCallsFailClearly() {
    db.close();
    db.close();

    assertThat(db.isOpen()).isFalse();
    assertThatThrownBy(() -> db.read(DatabaseTest::keys))
        .isInstanceOf(CacheException.class)
        .hasMessage("cannot read from cache database " + db.file() + ": it is closed");
    assertThatThrownBy(() -> db.write(c -> exec(c, "DELETE FROM kv")))
        .isInstanceOf(CacheException.class)
        .hasMessage("cannot write to cache database " + db.file() + ": it is closed");
  }

  @Test
  void closeWaitsForTheReadInFlightAndRefusesNewOnes() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<List<String>> inFlight = pool.submit(() -> db.read(c -> {
      inside.countDown();
      try {
        release.await(10, SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return keys(c);
    }));
    assertThat(inside.await(10, SECONDS)).isTrue();

    Future<?> closing = pool.submit(db::close);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (db.isOpen() && System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
    }

    assertThat(db.isOpen()).isFalse();
    assertThatThrownBy(() -> db.read(DatabaseTest::keys)).hasMessageContaining("it is closed");
    assertThat(closing).as("close waits for the read").isNotDone();
    release.countDown();
    assertThat(inFlight.get(10, SECONDS)).containsExactly("old");
    closing.get(10, SECONDS);
  }

  @Test
  void closeFromInsideAReadIsRefused() {
    assertThatThrownBy(() -> db.read(c -> {
      db.close();
      return null;
    })).isInstanceOf(IllegalStateException.class);
    assertThat(db.isOpen()).isTrue();
  }

  // --- migrate ----------------------------------------------------------------------------------------------------

  @Test
  void migrateRunsOnlyTheStepsNotYetRun() {
    assertThat(db.migrate("test", List.of("CREATE TABLE a (x INTEGER)"))).isEqualTo(1);
    // the first step would fail if it ran again
    assertThat(db.migrate("test", List.of("CREATE TABLE a (x INTEGER)", "CREATE TABLE b (y INTEGER)")))
        .isEqualTo(2);
    assertThat(db.migrate("test", List.of("CREATE TABLE a (x INTEGER)", "CREATE TABLE b (y INTEGER)")))
        .isEqualTo(2);

    assertThat(query("SELECT table_name FROM duckdb_tables() ORDER BY 1"))
        .containsExactly("a", "b", "kv", "schema_version");
  }

  @Test
  void migrateRefusesASchemaNewerThanItsStepsAndAppliesNothingOnFailure() {
    db.migrate("test", List.of("CREATE TABLE a (x INTEGER)", "CREATE TABLE b (y INTEGER)"));

    assertThatThrownBy(() -> db.migrate("test", List.of("CREATE TABLE a (x INTEGER)")))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("version 2, newer than this release's 1");
    assertThatThrownBy(() -> db.migrate("other", List.of("CREATE TABLE c (z INTEGER)", "CREATE TABLE c (z INT)")))
        .isInstanceOf(CacheException.class);
    assertThat(query("SELECT table_name FROM duckdb_tables() WHERE table_name = 'c'")).isEmpty();
    assertThat(query("SELECT component FROM schema_version")).containsExactly("test");
  }

  // --- helpers ----------------------------------------------------------------------------------------------------

  private List<String> storedKeys() {
    return db.read(DatabaseTest::keys);
  }

  private List<String> query(String sql) {
    return db.read(c -> keys(c, sql));
  }

  private int storedValue(String key) {
    return db.read(c -> value(c, key));
  }

  static void exec(Connection c, String... sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  private static List<String> keys(Connection c) throws SQLException {
    return keys(c, "SELECT k FROM kv ORDER BY k");
  }

  private static List<String> keys(Connection c, String query) throws SQLException {
    List<String> keys = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        keys.add(rs.getString(1));
      }
    }
    return keys;
  }

  private static int value(Connection c, String key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT v FROM kv WHERE k = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private record Probe(int exitCode, String output) {}

  /** Runs {@link LockProbe} in a child JVM on {@code file}. */
  private static Probe probe(Path file) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        LockProbe.class.getName(), file.toString())
        .redirectErrorStream(true)
        .start();
    String output;
    try (InputStream in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(60, SECONDS)).as("child JVM finished").isTrue();
    return new Probe(p.exitValue(), output);
  }
}
