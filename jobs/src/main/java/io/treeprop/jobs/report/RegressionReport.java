package io.treeprop.jobs.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Regression metrics from {@link RegressionStats}: MSE, RMSE, MAE and R² per output and averaged over outputs.
 * Stored in {@code metrics.json}.
 *
 * <p>Per output, over {@code n} rows with true values {@code y}, predictions {@code ŷ} and truth mean {@code ȳ}:
 * <pre>
 * MSE = Σ(y − ŷ)² / n     RMSE = √MSE     MAE = Σ|y − ŷ| / n     R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²
 * </pre>
 * R² is 1 for perfect predictions, 0 for always predicting the mean, and negative for worse. When the truth is
 * constant ({@code Σ(y − ȳ)² = 0}) R² is 1 if every prediction is exact and 0 otherwise (scikit-learn's
 * {@code force_finite}), never NaN. Across outputs (scikit-learn's {@code uniform_average}): MSE, MAE and R² are
 * the means of the per-output values and {@code RMSE = √MSE}; with one output they are that output's values.
 *
 * @param rows rows evaluated (at least 1)
 * @param perOutput one entry per output, in output order
 */
public record RegressionReport(long rows, double mse, double rmse, double mae, double r2,
    List<OutputMetrics> perOutput) {

  /**
   * One output's metrics and the spread of its true values.
   *
   * @param truthMean mean of the true values
   * @param truthStd population standard deviation of the true values ({@code √(Σ(y − ȳ)² / n)}), the RMSE of
   *     predicting the mean: compare it with {@code rmse}
   */
  public record OutputMetrics(String name, double mse, double rmse, double mae, double r2, double truthMean,
      double truthStd) {}

  public RegressionReport {
    if (rows < 1) {
      throw new IllegalArgumentException("a regression report needs at least one row, received " + rows);
    }
    perOutput = List.copyOf(perOutput);
    if (perOutput.isEmpty()) {
      throw new IllegalArgumentException("a regression report needs at least one output");
    }
  }

  /**
   * The report for the sums in {@code s}.
   *
   * @param names output names, or null or empty for "0", "1", ...
   * @throws IllegalArgumentException when no rows were added or the names do not match the outputs
   */
  public static RegressionReport of(RegressionStats s, List<String> names) {
    int k = s.outputs();
    List<String> n = names == null || names.isEmpty() ? ClassificationReport.defaultLabels(k) : names;
    if (n.size() != k) {
      throw new IllegalArgumentException("expected " + k + " output names, received " + n.size() + ": " + n);
    }
    long rows = s.rows();
    if (rows == 0) {
      throw new IllegalArgumentException("no rows were evaluated: the regression metrics are empty");
    }
    List<OutputMetrics> per = new ArrayList<>(k);
    double mse = 0;
    double mae = 0;
    double r2 = 0;
    for (int j = 0; j < k; j++) {
      double sse = s.squaredError(j);
      double m2 = s.truthM2(j);
      double r2j = m2 > 0 ? 1 - sse / m2 : (sse == 0 ? 1.0 : 0.0);
      OutputMetrics o = new OutputMetrics(n.get(j), sse / rows, Math.sqrt(sse / rows), s.absoluteError(j) / rows,
          r2j, s.truthMean(j), Math.sqrt(m2 / rows));
      per.add(o);
      mse += o.mse();
      mae += o.mae();
      r2 += o.r2();
    }
    return new RegressionReport(rows, mse / k, Math.sqrt(mse / k), mae / k, r2 / k, per);
  }
}
