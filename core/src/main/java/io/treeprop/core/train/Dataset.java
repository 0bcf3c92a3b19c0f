package io.treeprop.core.train;

import io.treeprop.core.loss.Loss;

/**
 * An in-memory labelled dataset: {@code x: [rows, features]}, {@code y: [rows, targetWidth]}, optional row
 * weights {@code w: [rows]}. The arrays are used as given (not copied).
 */
public record Dataset(float[] x, float[] y, float[] w, int rows, int features, int targetWidth) {
  public Dataset {
    if (rows <= 0) {
      throw new IllegalArgumentException("dataset is empty: it needs at least one row");
    }
    if (features <= 0 || targetWidth <= 0) {
      throw new IllegalArgumentException("features (" + features + ") and targetWidth (" + targetWidth
          + ") must be positive");
    }
    if ((long) rows * features != x.length) {
      throw new IllegalArgumentException("x holds " + x.length + " floats, expected rows × features = " + rows
          + " × " + features);
    }
    if ((long) rows * targetWidth != y.length) {
      throw new IllegalArgumentException("y holds " + y.length + " floats, expected rows × targetWidth = " + rows
          + " × " + targetWidth);
    }
    if (w != null && w.length != rows) {
      throw new IllegalArgumentException("w holds " + w.length + " weights for " + rows + " rows");
    }
  }

  /** An unweighted dataset. */
  public Dataset(float[] x, float[] y, int rows, int features, int targetWidth) {
    this(x, y, null, rows, features, targetWidth);
  }

  /**
   * Checks every value: finite features, targets the loss accepts, finite non-negative weights.
   *
   * @param outputs the network's output count
   * @throws IllegalArgumentException naming the row, the column and the value
   */
  public void validate(Loss loss, int outputs) {
    int tw = loss.targetWidth(outputs);
    if (tw != targetWidth) {
      throw new IllegalArgumentException("the loss " + loss.name() + " on " + outputs + " outputs takes " + tw
          + " target value(s) per row, the dataset has " + targetWidth);
    }
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < features; j++) {
        float v = x[r * features + j];
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException("row " + r + ", feature " + j + " is " + v
              + "; features must be finite (no NaN or Inf)");
        }
      }
      for (int j = 0; j < targetWidth; j++) {
        float v = y[r * targetWidth + j];
        String rule = loss.checkTarget(v, outputs);
        if (rule != null) {
          throw new IllegalArgumentException("row " + r + ", label " + (targetWidth > 1 ? j + " " : "") + "is " + v
              + ": " + rule);
        }
      }
      if (w != null && !(w[r] >= 0 && Float.isFinite(w[r]))) {
        throw new IllegalArgumentException("row " + r + ", weight is " + w[r] + "; weights must be finite and >= 0");
      }
    }
  }

  /** The rows at {@code idx[from .. from+n)} copied into the first {@code n} rows of the buffers. */
  public void gather(int[] idx, int from, int n, float[] dx, float[] dy, float[] dw) {
    for (int i = 0; i < n; i++) {
      int r = idx[from + i];
      System.arraycopy(x, r * features, dx, i * features, features);
      System.arraycopy(y, r * targetWidth, dy, i * targetWidth, targetWidth);
      if (w != null) {
        dw[i] = w[r];
      }
    }
  }

  /** A new dataset of the rows at {@code idx[from .. from+n)}. */
  public Dataset subset(int[] idx, int from, int n) {
    float[] sx = new float[n * features];
    float[] sy = new float[n * targetWidth];
    float[] sw = w == null ? null : new float[n];
    gather(idx, from, n, sx, sy, sw);
    return new Dataset(sx, sy, sw, n, features, targetWidth);
  }
}
