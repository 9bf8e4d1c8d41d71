package dev.optionchain.dashboard.cache;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link DatabaseTest}: tries to open the database file named by its argument, as another
 * process would. Prints {@code OPENED} and exits 0, or prints the exception's message and exits 2.
 */
final class LockProbe {

  static final int LOCKED = 2;

  private LockProbe() {}

  public static void main(String[] args) {
    try (Database db = Database.open(Path.of(args[0]))) {
      System.out.println("OPENED " + db.file());
    } catch (CacheException e) {
      System.out.println(e.getMessage());
      System.exit(LOCKED);
    }
  }
}
