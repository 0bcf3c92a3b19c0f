package io.treeprop.jobs.report;

/**
 * How well an autoencoder gives its test inputs back, in the scaled units it was trained in (with
 * {@code scaling.factor = 1/255}, pixel values in [0, 1]). The inputs are clean: noise layers are identity at
 * inference, so this is the error on the data as it is, also for a denoising autoencoder.
 * <pre>
 * mse = Σ_rows Σ_j (x_j − x̂_j)² / (rows · values)      (the per-value, e.g. per-pixel, mean squared error)
 * </pre>
 *
 * @param rows rows evaluated (at least 1)
 * @param values values per row (the input's size)
 * @param mse mean squared error per value
 * @param worstRowMse the largest per-row mean squared error
 */
public record ReconstructionReport(long rows, int values, double mse, double worstRowMse) {
  public ReconstructionReport {
    if (rows < 1 || values < 1) {
      throw new IllegalArgumentException("a reconstruction report needs rows and values, received " + rows
          + " rows of " + values);
    }
    if (!(mse >= 0) || !(worstRowMse >= 0)) {
      throw new IllegalArgumentException("reconstruction errors must be numbers >= 0, received mse " + mse
          + ", worst row " + worstRowMse);
    }
  }
}
