package io.treeprop.bench;

import io.treeprop.core.tensor.Blas;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.util.Statistics;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** Runs one benchmark class's benchmarks with JMH options from the command line, and prints a summary table. */
final class Jmh {
  private Jmh() {}

  /** Every benchmark of {@code type}, or those the options' own include patterns name. */
  static Collection<RunResult> run(Class<?> type, String[] args) throws Exception {
    CommandLineOptions cli = new CommandLineOptions(args);
    OptionsBuilder options = new OptionsBuilder();
    options.parent(cli).addProfiler(CpuTime.class);
    if (cli.getIncludes().isEmpty()) {
      options.include(type.getName() + "\\.");
    }
    return new Runner(options.build()).run();
  }

  /**
   * A Markdown table of the run: per benchmark the median wall time per operation over the measured iterations
   * with their min–max, the median CPU time per operation ({@link CpuTime}) likewise, and either GFLOP/s with the
   * ratio to a ceiling benchmark, or GB/s with the ratio to a copy's; rates and ratios from CPU time, the ratio of
   * wall times in parentheses.
   */
  static final class Table {
    private final Map<String, Statistics> wall = new HashMap<>();
    private final Map<String, Statistics> cpu = new HashMap<>();
    private final String title;
    private final List<String> rows = new ArrayList<>();

    Table(Collection<RunResult> results, String title) {
      this.title = title;
      for (RunResult r : results) {
        String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
        wall.put(name, r.getPrimaryResult().getStatistics());
        Result<?> c = r.getSecondaryResults().get(CpuTime.NAME);
        if (c != null) {
          cpu.put(name, c.getStatistics());
        }
      }
    }

    private static double median(Statistics s) {
      return s.getPercentile(50);
    }

    /** The benchmark's CPU time if measured, else its wall time (ms). */
    private double millis(String name) {
      return median(cpu.getOrDefault(name, wall.get(name)));
    }

    private String times(String name) {
      Statistics w = wall.get(name);
      Statistics c = cpu.get(name);
      String cpuText = c == null ? "" : String.format("%.1f (%.1f–%.1f)", median(c), c.getMin(), c.getMax());
      return String.format("| %s | %.1f (%.1f–%.1f) | %s ", name, median(w), w.getMin(), w.getMax(), cpuText);
    }

    private String ratio(String name, String ref, boolean higherIsFaster) {
      if (ref == null || !wall.containsKey(ref)) {
        return "";
      }
      double c = higherIsFaster ? millis(ref) / millis(name) : millis(name) / millis(ref);
      double w = higherIsFaster ? median(wall.get(ref)) / median(wall.get(name))
          : median(wall.get(name)) / median(wall.get(ref));
      return String.format("%.0f %% (wall %.0f %%) of %s", 100 * c, 100 * w, ref);
    }

    /** GFLOP/s of {@code flops}; the ratio to {@code ceiling}, which does the same FLOPs. */
    void gflops(String name, double flops, String ceiling) {
      if (wall.containsKey(name)) {
        rows.add(times(name) + String.format("| %.1f GFLOP/s | %s |", flops / (millis(name) * 1e6),
            ratio(name, ceiling, true)));
      }
    }

    /**
     * GB/s of {@code bytes}; the ratio to {@code copy}'s GB/s, which moves {@code copyBytes}.
     */
    void bandwidth(String name, double bytes, String copy, double copyBytes) {
      if (!wall.containsKey(name)) {
        return;
      }
      double gbs = bytes / (millis(name) * 1e6);
      String ratio = "";
      if (copy != null && wall.containsKey(copy)) {
        double copyGbs = copyBytes / (millis(copy) * 1e6);
        double wallRatio = bytes / median(wall.get(name)) / (copyBytes / median(wall.get(copy)));
        ratio = String.format("%.0f %% (wall %.0f %%) of %s's %.1f GB/s", 100 * gbs / copyGbs, 100 * wallRatio,
            copy, copyGbs);
      }
      rows.add(times(name) + String.format("| %.1f GB/s | %s |", gbs, ratio));
    }

    void time(String name) {
      if (wall.containsKey(name)) {
        rows.add(times(name) + "| | |");
      }
    }

    void print() {
      System.out.println();
      System.out.println("BLAS: " + Blas.implementation() + "; " + title);
      System.out.println("| benchmark | wall ms/op, median (min–max) | CPU ms/op, median (min–max) | rate (CPU) "
          + "| vs |");
      System.out.println("|---|---|---|---|---|");
      rows.forEach(System.out::println);
    }
  }
}
