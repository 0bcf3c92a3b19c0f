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
            for (int ox = 0; ox < ow; ox++) {
              int ix = ox * win.strideW() - win.padW() + j;
              col[o + ox] = ix >= 0 && ix < w ? x[src + ix] : 0f;
            }
          }
        }
      }
    }
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
            for (int ox = 0; ox < ow; ox++) {
              int ix = ox * win.strideW() - win.padW() + j;
              if (ix >= 0 && ix < w) {
                x[dst + ix] += col[o + ox];
              }
            }
          }
        }
      }
    }
  }
}
