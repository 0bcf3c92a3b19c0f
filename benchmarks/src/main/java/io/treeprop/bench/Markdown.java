package io.treeprop.bench;

import java.util.List;
import java.util.Map;

/** The short markdown summary of an end-to-end run. */
final class Markdown {
  private Markdown() {}

  @SuppressWarnings("unchecked")
  static String of(Map<String, Object> r) {
    Map<String, Object> m = (Map<String, Object>) r.get("machine");
    Map<String, Object> tp = (Map<String, Object>) r.get("treeprop_training");
    Map<String, Object> tree = (Map<String, Object>) r.get("treeprop_training_tree_exchange");
    Map<String, Object> ml = (Map<String, Object>) r.get("mllib_training");
    Map<String, Object> sc = (Map<String, Object>) r.get("scoring");
    StringBuilder sb = new StringBuilder();
    sb.append("# End-to-end benchmark: Treeprop vs Spark MLlib (Fashion-MNIST, 784-256-128-10)\n\n");
    sb.append(String.format("Machine: %s cores, %s; %s; Spark %s %s; BLAS %s.%n%n", m.get("cores"), m.get("cpu"),
        m.get("java"), m.get("spark"), m.get("master"), m.get("blas")));
    if (m.containsKey("blas_kernels")) {
      sb.append(String.format("OpenBLAS kernels %s (%s); sgemm 256×784×256 on one thread %.1f GFLOP/s; %s.%n%n",
          m.get("blas_kernels"), m.get("blas_kernels_choice"), ((Number) m.get("sgemm_gflops_1_thread")).doubleValue(),
          m.get("cpu_features")));
    }
    sb.append(String.format("| training | Treeprop (%s exchange, Adam, batch 256) | MLlib (L-BFGS, full batch) "
        + "| ratio | Treeprop (tree exchange) |%n|---|---|---|---|---|%n", tp.get("exchange")));
    row(sb, "samples/s", tp, ml, tree, "samples_per_second", "samples_per_second", true);
    row(sb, "time per epoch / iteration (s)", tp, ml, tree, "median_epoch_seconds", "median_iteration_seconds",
        false);
    row(sb, "time to 0.85 test accuracy (s)", tp, ml, tree, "seconds_to_0.85", "seconds_to_0.85", false);
    row(sb, "time to 0.88 test accuracy (s)", tp, ml, tree, "seconds_to_0.88", "seconds_to_0.88", false);
    row(sb, "final test accuracy", tp, ml, tree, "final_test_accuracy", "final_test_accuracy", true);
    sb.append(String.format("%nTreeprop: medians of %s runs of 10 epochs after one warm-up run, interleaved with "
        + "MLlib's chunks (before the first, a third and two thirds of the way); MLlib: %s iterations after a "
        + "5-iteration warm-up fit, in warm-started chunks of 25 (accuracy checked after each chunk). Time to "
        + "accuracy counts training time only. \"never\" = not reached.%n", tp.get("repetitions"),
        ml.get("iterations")));
    sb.append(String.format("%nScoring %,d rows: Treeprop %,.0f rows/s, MLlib %,.0f rows/s, ratio %.2f (producing "
        + "the input rows alone: %,.0f rows/s).%n%n", ((Number) sc.get("rows")).longValue(),
        sc.get("treeprop_rows_per_second"), sc.get("mllib_rows_per_second"), sc.get("ratio"),
        sc.get("input_only_rows_per_second")));
    sb.append("| exchange | batch | scheduling | broadcast | compute | aggregate | driver | total (ms) | compute "
        + "share | compute at sgemm ceiling (ms) | compute vs ceiling |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Map<String, Object> s : (List<Map<String, Object>>) r.get("step_split")) {
      sb.append(String.format("| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f %% | %.2f | %.0f %% |%n",
          s.get("exchange"), s.get("batch_size"), s.get("scheduling_ms"), s.get("broadcast_ms"), s.get("compute_ms"),
          s.get("aggregate_ms"), s.get("driver_update_ms"), s.get("total_ms"),
          100 * (Double) s.get("compute_share"), s.get("compute_at_ceiling_ms"),
          100 * (Double) s.get("compute_vs_ceiling")));
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, String name, Map<String, Object> tp, Map<String, Object> ml,
      Map<String, Object> tree, String tpKey, String mlKey, boolean higherBetter) {
    Object a = tp.get(tpKey);
    Object b = ml.get(mlKey);
    String ratio = "n/a";
    if (a instanceof Number x && b instanceof Number y && y.doubleValue() != 0 && x.doubleValue() != 0) {
      ratio = String.format("%.2f×", higherBetter ? x.doubleValue() / y.doubleValue()
          : y.doubleValue() / x.doubleValue());
    } else if (a instanceof Number x && b == null && !higherBetter) {
      ratio = String.format("> %.1f×", ((Number) ml.get("train_seconds")).doubleValue() / x.doubleValue());
    }
    sb.append(String.format("| %s | %s | %s | %s | %s |%n", name, fmt(a), fmt(b), ratio, fmt(tree.get(tpKey))));
  }

  private static String fmt(Object o) {
    return o == null ? "never" : o instanceof Double d ? String.format("%.4g", d) : String.valueOf(o);
  }
}
