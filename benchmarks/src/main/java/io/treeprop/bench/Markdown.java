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
    Map<String, Object> ml = (Map<String, Object>) r.get("mllib_training");
    Map<String, Object> sc = (Map<String, Object>) r.get("scoring");
    StringBuilder sb = new StringBuilder();
    sb.append("# End-to-end benchmark: Treeprop vs Spark MLlib (Fashion-MNIST, 784-256-128-10)\n\n");
    sb.append(String.format("Machine: %s cores, %s; %s; Spark %s %s; BLAS %s.%n%n", m.get("cores"), m.get("cpu"),
        m.get("java"), m.get("spark"), m.get("master"), m.get("blas")));
    sb.append("| training | Treeprop (Adam, batch 256) | MLlib (L-BFGS, full batch) | ratio |\n|---|---|---|---|\n");
    row(sb, "samples/s", tp.get("samples_per_second"), ml.get("samples_per_second"), true);
    row(sb, "time per epoch / iteration (s)", tp.get("median_epoch_seconds"), ml.get("median_iteration_seconds"),
        false);
    row(sb, "time to 0.85 test accuracy (s)", tp.get("seconds_to_0.85"), ml.get("seconds_to_0.85"), false);
    row(sb, "time to 0.88 test accuracy (s)", tp.get("seconds_to_0.88"), ml.get("seconds_to_0.88"), false);
    row(sb, "final test accuracy", tp.get("final_test_accuracy"), ml.get("final_test_accuracy"), true);
    sb.append(String.format("%nScoring %,d rows: Treeprop %,.0f rows/s, MLlib %,.0f rows/s, ratio %.2f.%n%n",
        ((Number) sc.get("rows")).longValue(), sc.get("treeprop_rows_per_second"), sc.get("mllib_rows_per_second"),
        sc.get("ratio")));
    sb.append("| batch | scheduling | broadcast | compute | aggregate | driver | total (ms) | compute share "
        + "| compute at sgemm ceiling (ms) | compute vs ceiling |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (Map<String, Object> s : (List<Map<String, Object>>) r.get("step_split")) {
      sb.append(String.format("| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f %% | %.2f | %.0f %% |%n",
          s.get("batch_size"), s.get("scheduling_ms"), s.get("broadcast_ms"), s.get("compute_ms"),
          s.get("aggregate_ms"), s.get("driver_update_ms"), s.get("total_ms"),
          100 * (Double) s.get("compute_share"), s.get("compute_at_ceiling_ms"),
          100 * (Double) s.get("compute_vs_ceiling")));
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, String name, Object a, Object b, boolean higherBetter) {
    String ratio = "n/a";
    if (a instanceof Number x && b instanceof Number y && y.doubleValue() != 0 && x.doubleValue() != 0) {
      ratio = String.format("%.2f×", higherBetter ? x.doubleValue() / y.doubleValue()
          : y.doubleValue() / x.doubleValue());
    }
    sb.append(String.format("| %s | %s | %s | %s |%n", name, fmt(a), fmt(b), ratio));
  }

  private static String fmt(Object o) {
    return o == null ? "never" : o instanceof Double d ? String.format("%.4g", d) : String.valueOf(o);
  }
}
