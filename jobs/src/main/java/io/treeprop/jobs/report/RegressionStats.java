package io.treeprop.jobs.report;

import java.io.Serializable;

/**
 * One-pass, mergeable sums behind a {@link RegressionReport}, for a model with one or more outputs: per output the
 * squared and absolute error sums, and the mean and sum of squared deviations of the true values for R².
 *
 * <p>The truth's spread is kept the numerically careful way — Welford's update per row and Chan et al.'s
 * pairwise merge — rather than as {@code Σy² − (Σy)²/n}, which cancels catastrophically when the values are large
 * next to their spread (prices around 10⁶ varying by 1):
 * <pre>
 * add:   n += 1;  d = y − mean;  mean += d / n;  m2 += d · (y − mean)
 * merge: d = mean_b − mean_a;  n = n_a + n_b;  mean = mean_a + d · n_b / n;  m2 = m2_a + m2_b + d² · n_a · n_b / n
 * </pre>
 * (B. P. Welford, Technometrics 4(3), 1962; T. F. Chan, G. H. Golub, R. J. LeVeque, "Updating formulae and a
 * pairwise algorithm for computing sample variances", 1979.) The error sums have non-negative terms and need no
 * such care.
 *
 * <p>Built for one {@code treeAggregate}: {@code new RegressionStats(k)} is the zero value, {@link #add} or
 * {@link #addRow} the sequence operation and {@link #merge} the combine operation, each mutating and returning
 * {@code this}. Sums of doubles depend on the order of additions in their last bits, and Spark merges partitions in
 * completion order, so two runs can differ there.
 */
public final class RegressionStats implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int outputs;
  private long rows;
  private final double[] truthMean;
  private final double[] truthM2;
  private final double[] squaredError;
  private final double[] absoluteError;

  /** Empty sums for a model with {@code outputs} outputs (at least 1). */
  public RegressionStats(int outputs) {
    if (outputs < 1) {
      throw new IllegalArgumentException("regression metrics need at least one output, " + outputs
          + " were given");
    }
    this.outputs = outputs;
    this.truthMean = new double[outputs];
    this.truthM2 = new double[outputs];
    this.squaredError = new double[outputs];
    this.absoluteError = new double[outputs];
  }

  /**
   * Adds one row of a single-output model.
   *
   * @return this
   * @throws IllegalStateException when the model has several outputs
   * @throws IllegalArgumentException when a value is not finite
   */
  public RegressionStats add(double truth, double predicted) {
    if (outputs != 1) {
      throw new IllegalStateException("add(truth, predicted) is for one output; these metrics have " + outputs
          + " outputs, use addRow");
    }
    check(truth, predicted, 0);
    rows++;
    accumulate(0, truth, predicted);
    return this;
  }

  /**
   * Adds one row: {@code truth[j]} and {@code predicted[j]} for each output {@code j}.
   *
   * @return this
   */
  public RegressionStats addRow(double[] truth, double[] predicted) {
    if (truth.length != outputs || predicted.length != outputs) {
      throw new IllegalArgumentException("expected " + outputs + " true and " + outputs + " predicted values per "
          + "row, received " + truth.length + " and " + predicted.length);
    }
    for (int j = 0; j < outputs; j++) {
      check(truth[j], predicted[j], j);
    }
    rows++;
    for (int j = 0; j < outputs; j++) {
      accumulate(j, truth[j], predicted[j]);
    }
    return this;
  }

  private void accumulate(int j, double y, double p) {
    double d = y - truthMean[j];
    truthMean[j] += d / rows;
    truthM2[j] += d * (y - truthMean[j]);
    double e = y - p;
    squaredError[j] += e * e;
    absoluteError[j] += Math.abs(e);
  }

  private static void check(double truth, double predicted, int j) {
    if (!Double.isFinite(truth) || !Double.isFinite(predicted)) {
      throw new IllegalArgumentException("regression metrics need finite values; output " + j + " has true value "
          + truth + " and prediction " + predicted);
    }
  }

  /**
   * Adds another accumulator's rows into this one (Chan et al.'s merge for the truth's spread).
   *
   * @return this
   */
  public RegressionStats merge(RegressionStats other) {
    if (other.outputs != outputs) {
      throw new IllegalArgumentException("cannot merge regression metrics of " + other.outputs
          + " outputs into metrics of " + outputs);
    }
    if (other.rows == 0) {
      return this;
    }
    long n = rows + other.rows;
    for (int j = 0; j < outputs; j++) {
      double d = other.truthMean[j] - truthMean[j];
      truthMean[j] += d * ((double) other.rows / n);
      truthM2[j] += other.truthM2[j] + d * d * ((double) rows * other.rows / n);
      squaredError[j] += other.squaredError[j];
      absoluteError[j] += other.absoluteError[j];
    }
    rows = n;
    return this;
  }

  /** Number of outputs. */
  public int outputs() {
    return outputs;
  }

  /** Rows added. */
  public long rows() {
    return rows;
  }

  /** Sum over rows of {@code (truth − predicted)²} for output {@code j}. */
  public double squaredError(int j) {
    return squaredError[j];
  }

  /** Sum over rows of {@code |truth − predicted|} for output {@code j}. */
  public double absoluteError(int j) {
    return absoluteError[j];
  }

  /** Mean of the true values of output {@code j}. */
  public double truthMean(int j) {
    return truthMean[j];
  }

  /** Sum of squared deviations of the true values of output {@code j} from their mean. */
  public double truthM2(int j) {
    return truthM2[j];
  }
}
