package io.treeprop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark JVM's peak resident set (Linux {@code VmHWM} in {@code /proc/self/status}): the driver and, on
 * local[2], both executors, Spark's cached data and the heap the JVM holds. {@link #reset} sets the peak back to the
 * current resident set (writing 5 to {@code /proc/self/clear_refs}), so a run's peak is read without an earlier
 * run's; memory the JVM took earlier and kept still counts, as it would for a user's process.
 */
final class PeakRss {
  private PeakRss() {}

  static void reset() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException e) {
      // not Linux, or not allowed: the peak is then the process's since its start, as megabytes() says
    }
  }

  /** VmHWM in MB, or NaN where /proc is not there. */
  static double megabytes() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
          .mapToDouble(l -> Double.parseDouble(l.replaceAll("[^0-9]", "")) / 1024).findFirst().orElse(Double.NaN);
    } catch (IOException e) {
      return Double.NaN;
    }
  }
}
