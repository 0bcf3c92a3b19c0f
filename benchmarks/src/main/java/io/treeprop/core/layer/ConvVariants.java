package io.treeprop.core.layer;

import io.treeprop.core.init.Initializer;
import io.treeprop.core.tensor.Shape;

/**
 * Benchmark-only access to the package-private variants of the convolution (lives in the benchmarks module, in
 * the core's package): the layer with a given number of samples per product, and the patch copies alone, row by
 * row (the loop every window can take) or in spans (stride 1, output as wide as the input).
 */
public final class ConvVariants {
  private ConvVariants() {}

  /** Samples per product of the {@code conv2d} layer as compiled from a spec. */
  public static int defaultChunk() {
    return Conv2dLayer.CHUNK;
  }

  /** A k×k "same" convolution, stride 1, with bias, {@code chunk} samples per sgemm. */
  public static Layer sameConv(Shape input, int filters, int k, int chunk) {
    Window win = new Window(k, k, 1, 1, k / 2, k / 2);
    return new Conv2dLayer(input, filters, win, new Initializer.HeNormal(), true, chunk);
  }

  /**
   * What the convolution copies for {@code batch} samples of a k×k same convolution on {@code [c, h, w]}: im2col
   * twice (forward, backward) and col2im once per sample, without any product.
   */
  public static void copies(boolean spans, float[] x, float[] col, float[] dx, int batch, int c, int h, int w,
      int k) {
    Window win = new Window(k, k, 1, 1, k / 2, k / 2);
    int size = c * h * w;
    int p = h * w;
    for (int r = 0; r < batch; r++) {
      for (int twice = 0; twice < 2; twice++) {
        if (spans) {
          Patches.im2colSpans(x, r * size, c, h, w, win, h, w, col, 0, p);
        } else {
          Patches.im2colRows(x, r * size, c, h, w, win, h, w, col, 0, p);
        }
      }
      java.util.Arrays.fill(dx, r * size, (r + 1) * size, 0f);
      if (spans) {
        Patches.col2imSpans(col, 0, p, dx, r * size, c, h, w, win, h, w);
      } else {
        Patches.col2imRows(col, 0, p, dx, r * size, c, h, w, win, h, w);
      }
    }
  }
}
