package dev.optionchain.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The kernel's count of connections refused because a listen queue was full ({@code ListenOverflows} in Linux's
 * {@code /proc/net/netstat}): machine-wide, so on a quiet machine its change during a check is the check's. A
 * connection refused that way is not refused to its client: the kernel drops the handshake and the client sends it
 * again after a second, so a probe among a burst of new connections takes a second longer.
 */
final class ListenQueue {

  private static final Path NETSTAT = Path.of("/proc/net/netstat");

  private ListenQueue() {}

  /** @return the overflows since boot, or empty where the kernel does not say (not Linux) */
  static OptionalLong overflows() {
    try {
      List<String> lines = Files.readAllLines(NETSTAT);
      for (int i = 0; i + 1 < lines.size(); i++) {
        String[] names = lines.get(i).split(" ");
        String[] values = lines.get(i + 1).split(" ");
        if (names[0].equals("TcpExt:") && values[0].equals("TcpExt:") && names.length == values.length) {
          for (int k = 1; k < names.length; k++) {
            if (names[k].equals("ListenOverflows")) {
              return OptionalLong.of(Long.parseLong(values[k]));
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or a format this does not know: nothing to say
    }
    return OptionalLong.empty();
  }

  /**
   * Describes the change since {@code before}.
   *
   * @param before {@link #overflows()} at the start
   * @return one line
   */
  static String since(OptionalLong before) {
    OptionalLong now = overflows();
    if (before.isEmpty() || now.isEmpty()) {
      return "kernel listen-queue overflows: not known on this system";
    }
    return "kernel listen-queue overflows during the run (machine-wide, /proc/net/netstat ListenOverflows): "
        + (now.getAsLong() - before.getAsLong());
  }
}
