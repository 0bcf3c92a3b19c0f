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

  /**
   * What an NHWC convolution would copy for the same batch (im2row twice, its adjoint once per sample), for
   * comparison with {@link #copies}: the image as {@code [h, w, c]}, the patch matrix as {@code [h·w, k·k·c]}
   * (row = output pixel, column = (i, j, channel)), so every tap is one copy of {@code c} contiguous floats. A
   * "same" k×k window at stride 1. Leaves out the transposes from and to the NCHW rows an NHWC layer would add.
   */
  public static void copiesNhwc(float[] x, float[] col, float[] dx, int batch, int c, int h, int w, int k) {
    int size = c * h * w;
    int pad = k / 2;
    int kc = k * k * c;
    for (int r = 0; r < batch; r++) {
      for (int twice = 0; twice < 2; twice++) {
        for (int oy = 0; oy < h; oy++) {
          for (int ox = 0; ox < w; ox++) {
            int o = (oy * w + ox) * kc;
            for (int i = 0; i < k; i++) {
              int iy = oy - pad + i;
              for (int j = 0; j < k; j++, o += c) {
                int ix = ox - pad + j;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                  java.util.Arrays.fill(col, o, o + c, 0f);
                } else {
                  System.arraycopy(x, r * size + (iy * w + ix) * c, col, o, c);
                }
              }
            }
          }
        }
      }
      java.util.Arrays.fill(dx, r * size, (r + 1) * size, 0f);
      for (int oy = 0; oy < h; oy++) {
        for (int ox = 0; ox < w; ox++) {
          int o = (oy * w + ox) * kc;
          for (int i = 0; i < k; i++) {
            int iy = oy - pad + i;
            for (int j = 0; j < k; j++, o += c) {
              int ix = ox - pad + j;
              if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                int d = r * size + (iy * w + ix) * c - o;
                for (int q = o; q < o + c; q++) {
                  dx[d + q] += col[q];
                }
              }
            }
          }
        }
      }
    }
  }
}
