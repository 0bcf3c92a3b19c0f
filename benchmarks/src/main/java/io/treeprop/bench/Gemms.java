package io.treeprop.bench;

import dev.ludovic.netlib.blas.BLAS;
import io.treeprop.core.tensor.Blas;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The sgemm ceiling of a layer or network: its matrix products (row-major shapes as {@link Blas#gemm} takes
 * them, each repeated as often as one pass calls it) run as plain calls on random operands, nothing around them.
 */
final class Gemms {
  private record Product(boolean transA, boolean transB, int m, int n, int k, int times, float beta, float[] a,
      float[] b, float[] c) {}

  private final List<Product> products = new ArrayList<>();
  private final SplittableRandom rng = new SplittableRandom(7);
  private double flops;

  /** {@code times} calls of {@code C[m,n] = op(A)[m,k]·op(B)[k,n] (+ C when accumulate)}. */
  Gemms add(boolean transA, boolean transB, int m, int n, int k, int times, boolean accumulate) {
    products.add(new Product(transA, transB, m, n, k, times, accumulate ? 1f : 0f, fill(new float[m * k]),
        fill(new float[k * n]), new float[m * n]));
    flops += 2.0 * m * n * k * times;
    return this;
  }

  /** The three products of a dense layer {@code in → out} over {@code rows} (no dX for the first layer). */
  Gemms dense(int rows, int in, int out, boolean inputGradient) {
    add(false, false, rows, out, in, 1, false);
    add(true, false, in, out, rows, 1, true);
    return inputGradient ? add(false, true, rows, in, out, 1, false) : this;
  }

  /**
   * The products of a convolution with {@code f} filters, patch length {@code k} and {@code p} output positions,
   * per sample ({@code chunk = 1}) or per chunk of samples sharing one product, for {@code batch} samples.
   */
  Gemms conv(int batch, int chunk, int f, int k, int p, boolean inputGradient) {
    int times = batch / chunk;
    add(false, false, f, chunk * p, k, times, false);
    add(false, true, f, k, chunk * p, times, true);
    return inputGradient ? add(true, false, k, chunk * p, f, times, false) : this;
  }

  double flops() {
    return flops;
  }

  /** Runs every product with the native (or whatever {@link Blas} uses) sgemm. */
  float[] run() {
    for (Product q : products) {
      for (int t = 0; t < q.times(); t++) {
        Blas.gemm(q.transA(), q.transB(), q.m(), q.n(), q.k(), 1f, q.a(), 0, q.b(), 0, q.beta(), q.c(), 0);
      }
    }
    return products.get(0).c();
  }

  /** Runs every product with the given BLAS (e.g. the Vector API one), column-major as {@link Blas#gemm} maps. */
  float[] run(BLAS blas) {
    for (Product q : products) {
      int lda = q.transA() ? q.m() : q.k();
      int ldb = q.transB() ? q.k() : q.n();
      for (int t = 0; t < q.times(); t++) {
        blas.sgemm(q.transB() ? "T" : "N", q.transA() ? "T" : "N", q.n(), q.m(), q.k(), 1f, q.b(), 0, ldb, q.a(),
            0, lda, q.beta(), q.c(), 0, q.n());
      }
    }
    return products.get(0).c();
  }

  private float[] fill(float[] a) {
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) rng.nextDouble(-1, 1);
    }
    return a;
  }
}
