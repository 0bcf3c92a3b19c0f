package io.treeprop.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The markdown summary of {@code bin/benchmark --only pytorch-cnn}: one table per network, then the step split. */
final class CnnMarkdown {
  private CnnMarkdown() {}

  @SuppressWarnings("unchecked")
  static String of(Map<String, Object> r) {
    Map<String, Object> m = (Map<String, Object>) r.get("machine");
    Map<String, Object> cnn = (Map<String, Object>) r.get("cnn");
    Map<String, Object> set = (Map<String, Object>) cnn.get("settings");
    StringBuilder sb = new StringBuilder("# Treeprop vs PyTorch on the same CPU: CNNs on Fashion-MNIST\n\n");
    sb.append(String.format("Machine: %s cores, %s; %s; Spark %s %s; BLAS %s, kernels %s.%n%n", m.get("cores"),
        m.get("cpu"), m.get("java"), m.get("spark"), m.get("master"), m.get("blas"), m.get("blas_kernels")));
    sb.append(String.format("Training samples/s: median (min–max) of %s interleaved repetitions, each %s timed "
        + "steps after %s warm-up steps (Treeprop: the first rows of the training set, one epoch, 2 partitions; "
        + "PyTorch: `pytorch_bench.py --probe-steps`); Adam 2e-3, He/Xavier init on both sides. PyTorch: its best "
        + "(torch threads / OpenBLAS threads) by two interleaved rounds of %s-step probes per batch size, each "
        + "setting scored by its faster round. Peak memory: Treeprop's JVM (driver and both local executors, VmHWM "
        + "reset before each run), PyTorch's process (its VmHWM).%n%n",
        set.get("repetitions"), set.get("timed_steps"), set.get("warm_up_steps"), set.get("probe_steps")));
    List<Map<String, Object>> splits = new ArrayList<>();
    for (Map.Entry<String, Object> e : cnn.entrySet()) {
      if (e.getKey().equals("settings")) {
        continue;
      }
      Map<String, Object> net = (Map<String, Object>) e.getValue();
      sb.append(String.format("| %s | Treeprop (local[2]) | PyTorch | ratio |%n|---|---|---|---|%n", e.getKey()));
      for (Map<String, Object> row : (List<Map<String, Object>>) net.get("training")) {
        Map<String, Object> tp = (Map<String, Object>) row.get("treeprop");
        Map<String, Object> py = (Map<String, Object>) row.get("pytorch");
        sb.append(String.format("| samples/s, batch %s | %s | %s (%s/%s threads) | %.2f× |%n", row.get("batch_size"),
            spread(tp), spread(py), py.get("torch_threads"), py.get("openblas_threads"),
            row.get("samples_per_second_ratio")));
        sb.append(String.format("| peak memory (MB), batch %s | %.0f | %.0f | |%n", row.get("batch_size"),
            tp.get("peak_rss_mb"), py.get("peak_rss_mb")));
      }
      Map<String, Object> sc = (Map<String, Object>) net.get("scoring");
      sb.append(String.format("| scoring rows/s (%s rows) | %.0f | %.0f | %.2f× |%n", sc.get("rows"),
          sc.get("treeprop_rows_per_second"), sc.get("pytorch_rows_per_second"), sc.get("ratio")));
      Map<String, Object> acc = (Map<String, Object>) net.get("time_to_accuracy");
      if (acc != null) {
        Map<String, Object> tp = (Map<String, Object>) acc.get("treeprop");
        Map<String, Object> py = (Map<String, Object>) acc.get("pytorch");
        Object a = tp.get("seconds_to_0.91");
        Object b = py.get("seconds_to_0.91");
        sb.append(String.format("| time to 0.91 test accuracy (s), batch 128, %s epochs | %s | %s | %s |%n",
            acc.get("epochs"), fmt(a), fmt(b), a instanceof Double x && b instanceof Double y
                ? String.format("%.2f×", y / x) : "n/a"));
        sb.append(String.format("| final test accuracy | %.4f | %.4f | |%n", tp.get("final_test_accuracy"),
            py.get("final_test_accuracy")));
      }
      sb.append('\n');
      if (net.get("step_split") != null) {
        splits.addAll((List<Map<String, Object>>) net.get("step_split"));
      }
    }
    if (!splits.isEmpty()) {
      sb.append("Treeprop's step split (medians, ms; compute = the slowest partition's forward + backward; the "
          + "ceiling = the step's own sgemm products for one partition, back to back):\n\n");
      sb.append("| net | exchange | batch | scheduling | send weights | compute | aggregate | driver update | total "
          + "| compute share | products at ceiling | compute vs ceiling |\n"
          + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (Map<String, Object> s : splits) {
        sb.append(String.format("| %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f %% | %.2f | %.0f %% |%n",
            s.get("net"), s.get("exchange"), s.get("batch_size"), s.get("scheduling_ms"), s.get("broadcast_ms"),
            s.get("compute_ms"), s.get("aggregate_ms"), s.get("driver_update_ms"), s.get("total_ms"),
            100 * (Double) s.get("compute_share"), s.get("compute_at_ceiling_ms"),
            100 * (Double) s.get("compute_vs_ceiling")));
      }
    }
    return sb.toString();
  }

  private static String spread(Map<String, Object> side) {
    return String.format("%.0f (%.0f–%.0f)", side.get("samples_per_second"), side.get("samples_per_second_min"),
        side.get("samples_per_second_max"));
  }

  private static String fmt(Object o) {
    return o == null ? "never" : String.format("%.0f", (Double) o);
  }
}
