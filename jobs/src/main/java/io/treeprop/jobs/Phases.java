package io.treeprop.jobs;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a command is doing, said as it starts each phase (so a user sees something from the first second), and how
 * long each took, from the JVM's start: {@code timing: JVM 0.4 s, Spark 2.1 s, reading 1.3 s, ...} at the end.
 * Lines go to the {@code treeprop.progress} logger, as training progress does.
 */
final class Phases {
  private static final Logger LOG = LoggerFactory.getLogger("treeprop.progress");

  private final List<String> done = new ArrayList<>();
  private String current = "JVM";
  private long start = System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;

  /** Ends the current phase and starts {@code name}, saying {@code what} is happening. */
  void next(String name, String what) {
    long now = System.nanoTime();
    done.add(String.format(Locale.ROOT, "%s %.1f s", current, (now - start) / 1e9));
    current = name;
    start = now;
    LOG.info(what);
  }

  /** Ends the current phase and logs every phase's time. */
  void end() {
    long now = System.nanoTime();
    done.add(String.format(Locale.ROOT, "%s %.1f s", current, (now - start) / 1e9));
    LOG.info("timing: " + String.join(", ", done));
  }
}
