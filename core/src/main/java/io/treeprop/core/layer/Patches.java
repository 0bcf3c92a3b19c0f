package io.treeprop.core.layer;

import java.util.Arrays;

/**
 * im2col and its adjoint for one NCHW image {@code [c, h, w]} under a {@link Window} with output size
 * {@code oh × ow}: the patch matrix {@code col[c·kh·kw, oh·ow]} with
 *
 * <pre>col[(ch·kh + i)·kw + j, oy·ow + ox] = x[ch, oy·sh − ph + i, ox·sw − pw + j]   (0 outside the image)</pre>
 *
 * Convolution uses im2col forward and col2im backward; transposed convolution the other way round.
 */
final class Patches {
  private Patches() {}

  /** Fills {@code col} from the image at {@code x[xOff ...]}. */
  static void im2col(float[] x, int xOff, int c, int h, int w, Window win, int oh, int ow, float[] col) {
    int p = oh * ow;
    int row = 0;
    for (int ch = 0; ch < c; ch++) {
      int plane = xOff + ch * h * w;
      for (int i = 0; i < win.kernelH(); i++) {
        for (int j = 0; j < win.kernelW(); j++, row++) {
          int base = row * p;
          for (int oy = 0; oy < oh; oy++) {
            int iy = oy * win.strideH() - win.padH() + i;
            int o = base + oy * ow;
            if (iy < 0 || iy >= h) {
              Arrays.fill(col, o, o + ow, 0f);
              continue;
            }
            int src = plane + iy * w;
            int x0 = Math.min(ow, firstInside(j, win.strideW(), win.padW()));
            int x1 = Math.max(x0, endInside(j, win.strideW(), win.padW(), w, ow));
            Arrays.fill(col, o, o + x0, 0f);
            if (win.strideW() == 1) {
              System.arraycopy(x, src + x0 - win.padW() + j, col, o + x0, x1 - x0);
            } else {
              int d = src - win.padW() + j;
              for (int ox = x0; ox < x1; ox++) {
                col[o + ox] = x[d + ox * win.strideW()];
              }
            }
            Arrays.fill(col, o + x1, o + ow, 0f);
          }
        }
      }
    }
  }

  /** The first output column {@code ox} whose input column {@code ox·s − pad + j} is {@code >= 0}. */
  private static int firstInside(int j, int s, int pad) {
    return pad - j <= 0 ? 0 : (pad - j + s - 1) / s;
  }

  /** One past the last output column (at most {@code ow}) whose input column {@code ox·s − pad + j} is below w. */
  private static int endInside(int j, int s, int pad, int w, int ow) {
    int limit = w + pad - j;
    return limit <= 0 ? 0 : Math.min(ow, (limit + s - 1) / s);
  }

  /** The adjoint of {@link #im2col}: adds every patch entry into its pixel of the image at {@code x[xOff ...]}. */
  static void accumulateCol2im(float[] col, float[] x, int xOff, int c, int h, int w, Window win, int oh, int ow) {
    int p = oh * ow;
    int row = 0;
    for (int ch = 0; ch < c; ch++) {
      int plane = xOff + ch * h * w;
      for (int i = 0; i < win.kernelH(); i++) {
        for (int j = 0; j < win.kernelW(); j++, row++) {
          int base = row * p;
          for (int oy = 0; oy < oh; oy++) {
            int iy = oy * win.strideH() - win.padH() + i;
            if (iy < 0 || iy >= h) {
              continue;
            }
            int dst = plane + iy * w;
            int o = base + oy * ow;
            int x0 = firstInside(j, win.strideW(), win.padW());
            int x1 = endInside(j, win.strideW(), win.padW(), w, ow);
            int d = dst - win.padW() + j;
            if (win.strideW() == 1) {
              for (int ox = x0; ox < x1; ox++) {
                x[d + ox] += col[o + ox];
              }
            } else {
              for (int ox = x0; ox < x1; ox++) {
                x[d + ox * win.strideW()] += col[o + ox];
              }
            }
          }
        }
      }
    }
  }
}
