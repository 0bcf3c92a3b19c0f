package io.treeprop.spark.train;

import io.treeprop.core.train.BatchStats;
import java.io.Serializable;

/**
 * The accumulator of one step: gradient sum, count-weighted state sum, loss and metric sums, and task timings.
 * Starts empty (no arrays) so the zero value costs nothing to ship; the first two partitions' gradients stay the
 * float vectors they computed.
 *
 * <p>The order in which Spark merges partial results (task completion order) never changes the float32 result,
 * so runs with the same seed and partitioning give identical weights: two partitions' gradients are added in float,
 * which is commutative; three or more are summed in double, which is exact for a few float32 vectors unless one
 * coordinate's contributions differ by more than ~2^29. Metric and state sums are doubles.
 */
public final class StepAggregate implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The first two partitions' gradients as they computed them (float: half the bytes of a double sum); a third
   * and later ones go into {@link #grad}. The sum is taken when it is read ({@link #scaledGradient}).
   */
  public float[] partial;
  public float[] partial2;
  /** The double sum of the third and later partitions' gradients, or null. */
  public double[] grad;
  public double[] stateSum;
  public double stateRows;
  public BatchStats stats = new BatchStats();
  /** Longest single-partition compute time, ns. */
  public long maxComputeNanos;
  /** Time spent merging partial results, ns. */
  public long mergeNanos;

  /** Adds a partition's float gradient; takes {@code g} over (the caller must not change it afterwards). */
  void addGradient(float[] g) {
    if (partial == null) {
      partial = g;
    } else if (partial2 == null) {
      partial2 = g;
    } else {
      if (grad == null) {
        grad = new double[g.length];
      }
      for (int i = 0; i < g.length; i++) {
        grad[i] += g[i];
      }
    }
  }

  private void addSum(double[] sum) {
    if (grad == null) {
      grad = sum;
    } else {
      for (int i = 0; i < sum.length; i++) {
        grad[i] += sum[i];
      }
    }
  }

  /** Whether any partition contributed a gradient. */
  public boolean hasGradient() {
    return partial != null || grad != null;
  }

  /**
   * Writes the gradient sum times {@code scale}, rounded to float, into {@code out}: one pass, no copy. With one or
   * two partitions the sum and the product are taken in float ({@code fl(fl(a + b) · fl(scale))}): float addition
   * is commutative, so the result is the same whichever partition came first, and the loop vectorizes (the
   * float/double conversions do not, on JDK 17: five times slower on the driver's critical path). With three or
   * more, in double (see the class comment).
   */
  public void scaledGradient(double scale, float[] out) {
    float[] a = partial;
    float[] b = partial2;
    double[] c = grad;
    float fs = (float) scale;
    // (a scale that does not fit a float — weights summing to below 1e-38 — takes the double loops)
    boolean inFloat = c == null && Float.isFinite(fs) && (fs != 0 || scale == 0);
    // one loop per shape, without tests inside, so the compiler vectorizes each
    if (inFloat && b == null) {
      for (int i = 0; i < out.length; i++) {
        out[i] = a[i] * fs;
      }
    } else if (inFloat) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (a[i] + b[i]) * fs;
      }
    } else if (c == null) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) ((b == null ? (double) a[i] : (double) a[i] + b[i]) * scale);
      }
    } else if (b == null) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) ((c[i] + a[i]) * scale);
      }
    } else {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) ((c[i] + a[i] + b[i]) * scale);
      }
    }
  }

  /** Adds a partition's training-mode state, weighted by its row count. */
  void addState(float[] s, int rows) {
    if (s.length == 0 || rows == 0) {
      return;
    }
    if (stateSum == null) {
      stateSum = new double[s.length];
    }
    for (int i = 0; i < s.length; i++) {
      stateSum[i] += (double) s[i] * rows;
    }
    stateRows += rows;
  }

  /** Merges another partial result into this one; returns this. */
  public StepAggregate merge(StepAggregate o) {
    long t0 = System.nanoTime();
    if (o.partial != null) {
      addGradient(o.partial);
    }
    if (o.partial2 != null) {
      addGradient(o.partial2);
    }
    if (o.grad != null) {
      addSum(o.grad);
    }
    if (o.stateSum != null) {
      if (stateSum == null) {
        stateSum = o.stateSum;
      } else {
        for (int i = 0; i < stateSum.length; i++) {
          stateSum[i] += o.stateSum[i];
        }
      }
    }
    stateRows += o.stateRows;
    stats.merge(o.stats);
    maxComputeNanos = Math.max(maxComputeNanos, o.maxComputeNanos);
    mergeNanos += o.mergeNanos + (System.nanoTime() - t0);
    return this;
  }
}
