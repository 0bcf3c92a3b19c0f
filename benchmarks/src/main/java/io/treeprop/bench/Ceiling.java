package io.treeprop.bench;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;

/**
 * The hardware ceiling for one partition's share of a step: plain sgemm of the eight products of a
 * 784-256-128-10 training pass at that row count (forward, weight gradients, input gradients but the first).
 */
final class Ceiling {
  private static final int[] L = {784, 256, 128, 10};

  private Ceiling() {}

  static double flopsPerStep(int rows) {
    double f = 0;
    for (int l = 0; l + 1 < L.length; l++) {
      f += (l == 0 ? 2 : 3) * 2.0 * rows * L[l] * L[l + 1];
    }
    return f;
  }

  /** Median GFLOP/s of the products over 21 repetitions after warm-up. */
  static double gflops(int rows) {
    BLAS blas = BLAS.getInstance();
    SplittableRandom rng = new SplittableRandom(1);
    float[][] x = new float[L.length][];
    float[][] w = new float[L.length][];
    float[][] y = new float[L.length][];
    float[][] g = new float[L.length][];
    for (int l = 0; l + 1 < L.length; l++) {
      x[l] = fill(new float[rows * L[l]], rng);
      w[l] = fill(new float[L[l] * L[l + 1]], rng);
      y[l] = new float[rows * L[l + 1]];
      g[l] = new float[w[l].length];
    }
    double[] t = new double[21];
    for (int rep = -10; rep < t.length; rep++) {
      long t0 = System.nanoTime();
      for (int l = 0; l + 1 < L.length; l++) {
        int in = L[l];
        int out = L[l + 1];
        blas.sgemm("N", "N", out, rows, in, 1f, w[l], 0, out, x[l], 0, in, 0f, y[l], 0, out);
        blas.sgemm("N", "T", out, in, rows, 1f, y[l], 0, out, x[l], 0, in, 1f, g[l], 0, out);
        if (l > 0) {
          blas.sgemm("T", "N", in, rows, out, 1f, w[l], 0, out, y[l], 0, out, 0f, x[l], 0, in);
        }
      }
      if (rep >= 0) {
        t[rep] = System.nanoTime() - t0;
      }
    }
    return flopsPerStep(rows) / EndToEnd.median(t);
  }

  private static float[] fill(float[] a, SplittableRandom rng) {
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) rng.nextDouble(-1, 1);
    }
    return a;
  }
}
