package io.treeprop.core.train;

/**
 * Sums over the rows of one or more batches: loss, weights, classification decisions and regression errors.
 * Sums (not means) so that batches and Spark partitions merge by addition.
 */
public final class BatchStats implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** Σ w_r · loss_r. */
  public double lossSum;
  /** Σ w_r (the row count when unweighted). */
  public double weightSum;
  /** Rows seen. */
  public long rows;
  /** Correct classification decisions. */
  public long correct;
  /** Classification decisions made (rows, or rows × outputs for multi-label). */
  public long decisions;
  /** Σ (prediction − target)² over regression outputs. */
  public double squaredError;
  /** Σ |prediction − target| over regression outputs. */
  public double absoluteError;
  /** Regression outputs compared. */
  public long elements;

  /** Adds another's sums into this; returns this. */
  public BatchStats merge(BatchStats o) {
    lossSum += o.lossSum;
    weightSum += o.weightSum;
    rows += o.rows;
    correct += o.correct;
    decisions += o.decisions;
    squaredError += o.squaredError;
    absoluteError += o.absoluteError;
    elements += o.elements;
    return this;
  }

  /**
   * Rounds the real-valued sums to float precision; returns this. Spark merges partition results in task
   * completion order, and double sums of a few float-valued terms are exact, so rounding each partition's sums
   * first makes the merged metrics independent of that order (to the last bit).
   */
  public BatchStats roundToFloat() {
    lossSum = (float) lossSum;
    weightSum = (float) weightSum;
    squaredError = (float) squaredError;
    absoluteError = (float) absoluteError;
    return this;
  }

  /** Weighted mean loss, NaN when empty. */
  public double meanLoss() {
    return weightSum > 0 ? lossSum / weightSum : Double.NaN;
  }

  /** Accuracy, or null when no classification decisions were made. */
  public Double accuracy() {
    return decisions > 0 ? (double) correct / decisions : null;
  }

  /** Root mean squared error over regression outputs, NaN when none. */
  public double rmse() {
    return elements > 0 ? Math.sqrt(squaredError / elements) : Double.NaN;
  }

  /** Mean absolute error over regression outputs, NaN when none. */
  public double mae() {
    return elements > 0 ? absoluteError / elements : Double.NaN;
  }
}
