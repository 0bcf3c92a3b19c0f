package io.treeprop.bench;

import io.treeprop.core.tensor.Blas;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The hardware ceiling for one partition's share of a step: its own matrix products ({@link Products}) run back to
 * back through {@code Blas.gemm}, the call the layers make, on the machine's kernels, and nothing else.
 */
final class Ceiling {
  private Ceiling() {}

  /** Median milliseconds of the products over 9 repetitions after 2 warm-up ones. */
  static double millis(List<Products.Gemm> products) {
    SplittableRandom rng = new SplittableRandom(1);
    float[][] a = new float[products.size()][];
    float[][] b = new float[products.size()][];
    float[][] c = new float[products.size()][];
    for (int i = 0; i < products.size(); i++) {
      Products.Gemm g = products.get(i);
      a[i] = fill(new float[g.m() * g.k()], rng);
      b[i] = fill(new float[g.k() * g.n()], rng);
      c[i] = new float[g.m() * g.n()];
    }
    double[] t = new double[9];
    for (int rep = -2; rep < t.length; rep++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < products.size(); i++) {
        Products.Gemm g = products.get(i);
        for (int r = 0; r < g.times(); r++) {
          Blas.gemm(g.transA(), g.transB(), g.m(), g.n(), g.k(), 1f, a[i], 0, b[i], 0, 0f, c[i], 0);
        }
      }
      if (rep >= 0) {
        t[rep] = (System.nanoTime() - t0) / 1e6;
      }
    }
    return EndToEnd.median(t);
  }

  private static float[] fill(float[] a, SplittableRandom rng) {
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) rng.nextDouble(-1, 1);
    }
    return a;
  }
}
