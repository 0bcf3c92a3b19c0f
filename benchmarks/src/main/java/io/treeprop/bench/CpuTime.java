package io.treeprop.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler reporting the benchmark JVM's CPU time per operation ({@code cpu.time/op}, ms): on a machine
 * shared with other builds the wall time of a single-threaded benchmark includes the time other processes held
 * the core, its CPU time much less so (caches and a hyperthread sibling are still shared). After warm-up the
 * JVM's other threads (JIT, GC) add little. Use: {@code -prof io.treeprop.bench.CpuTime}.
 */
public final class CpuTime implements InternalProfiler {
  static final String NAME = "cpu.time/op";
  private final OperatingSystemMXBean os =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long start;

  @Override
  public String getDescription() {
    return "process CPU time per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
    start = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmark, IterationParams iteration,
      IterationResult result) {
    long ops = Math.max(1, result.getMetadata().getMeasuredOps());
    double millis = (os.getProcessCpuTime() - start) / 1e6 / ops;
    return List.of(new ScalarResult(NAME, millis, "ms/op", AggregationPolicy.AVG));
  }
}
