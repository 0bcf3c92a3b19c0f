package io.treeprop.spark.train;

import io.treeprop.core.train.BatchStats;
import java.io.Serializable;

/**
 * The accumulator of one step: gradient sum, count-weighted state sum, loss and metric sums, and task timings.
 * Starts empty (no arrays) so the zero value costs nothing to ship; a single partition's gradient stays the float
 * vector it computed, and becomes a double sum when a second one is merged in.
 *
 * <p>Sums are kept in double. Each partition's gradient is a float32 vector computed in a fixed order; the double
 * sum of a few such vectors is exact unless one coordinate's contributions differ by more than ~2^29, so the
 * order in which Spark merges partial results (task completion order) does not change the float32 result: runs
 * with the same seed and partitioning give identical weights.
 */
public final class StepAggregate implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One partition's gradient as it computed it, until a second one arrives (half the bytes of {@link #grad}). */
  public float[] partial;
  /** The double sum of two or more partitions' gradients. */
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
    if (grad == null && partial == null) {
      partial = g;
      return;
    }
    double[] sum = sum();
    for (int i = 0; i < g.length; i++) {
      sum[i] += g[i];
    }
  }

  /** Whether any partition contributed a gradient. */
  public boolean hasGradient() {
    return grad != null || partial != null;
  }

  /** Writes the gradient sum times {@code scale}, rounded to float, into {@code out}. */
  public void scaledGradient(double scale, float[] out) {
    if (partial != null) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) (partial[i] * scale);
      }
    } else {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) (grad[i] * scale);
      }
    }
  }

  /** The sum in double, converting a single partial gradient first. */
  private double[] sum() {
    if (grad == null) {
      grad = new double[partial.length];
      for (int i = 0; i < partial.length; i++) {
        grad[i] = partial[i];
      }
      partial = null;
    }
    return grad;
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
    } else if (o.grad != null) {
      if (!hasGradient()) {
        grad = o.grad;
      } else {
        double[] sum = sum();
        for (int i = 0; i < sum.length; i++) {
          sum[i] += o.grad[i];
        }
      }
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
