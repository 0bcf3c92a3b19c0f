package io.treeprop.core.layer;

import java.util.Arrays;

/**
 * im2col and its adjoint for one NCHW image {@code [c, h, w]} under a {@link Window} with output size
 * {@code oh × ow}: the patch matrix {@code col[c·kh·kw, oh·ow]} with
 *
 * <pre>col[(ch·kh + i)·kw + j, oy·ow + ox] = x[ch, oy·sh − ph + i, ox·sw − pw + j]   (0 outside the image)</pre>
 *
 * stored row-major from {@code col[colOff]} with row stride {@code ld >= oh·ow}: {@code oh·ow} for one image;
 * {@code n·oh·ow} for image {@code s} of a chunk of {@code n} whose patch matrices sit side by side
 * ({@code [c·kh·kw, n·oh·ow]}, {@code colOff = s·oh·ow}) so that the chunk shares one product.
 *
 * Convolution uses im2col forward and col2im backward; transposed convolution the other way round.
 */
final class Patches {
  private Patches() {}

  /** Fills {@code col} from the image at {@code x[xOff ...]}. */
  static void im2col(float[] x, int xOff, int c, int h, int w, Window win, int oh, int ow, float[] col, int colOff,
      int ld) {
    if (spansRows(win, w, ow)) {
      im2colSpans(x, xOff, c, h, w, win, oh, ow, col, colOff, ld);
    } else {
      im2colRows(x, xOff, c, h, w, win, oh, ow, col, colOff, ld);
    }
  }

  /** {@link #im2col} one output row at a time: any window. */
  static void im2colRows(float[] x, int xOff, int c, int h, int w, Window win, int oh, int ow, float[] col,
      int colOff, int ld) {
    int row = 0;
    for (int ch = 0; ch < c; ch++) {
      int plane = xOff + ch * h * w;
      for (int i = 0; i < win.kernelH(); i++) {
        for (int j = 0; j < win.kernelW(); j++, row++) {
          int base = colOff + row * ld;
          // the same for every output row (and a division: per row it was a tenth of a CNN pass's Java time)
          int x0 = Math.min(ow, firstInside(j, win.strideW(), win.padW()));
          int x1 = Math.max(x0, endInside(j, win.strideW(), win.padW(), w, ow));
          for (int oy = 0; oy < oh; oy++) {
            int iy = oy * win.strideH() - win.padH() + i;
            int o = base + oy * ow;
            if (iy < 0 || iy >= h) {
              Arrays.fill(col, o, o + ow, 0f);
              continue;
            }
            int src = plane + iy * w;
            for (int ox = 0; ox < x0; ox++) {
              col[o + ox] = 0f;
            }
            if (win.strideW() == 1) {
              System.arraycopy(x, src + x0 - win.padW() + j, col, o + x0, x1 - x0);
            } else {
              int d = src - win.padW() + j;
              for (int ox = x0; ox < x1; ox++) {
                col[o + ox] = x[d + ox * win.strideW()];
              }
            }
            for (int ox = x1; ox < ow; ox++) {
              col[o + ox] = 0f;
            }
          }
        }
      }
    }
  }

  /**
   * Whether a patch row is one shifted copy of the image plane with some columns zeroed: stride 1 and an output as
   * wide as the input (e.g. a "same" convolution), so consecutive output rows read consecutive input rows. Then a
   * patch row is one {@code arraycopy} of its valid span instead of one per output row (14 floats at 14×14, where
   * the per-call cost dominated), and col2im one vectorizable loop per patch row.
   */
  private static boolean spansRows(Window win, int w, int ow) {
    return win.strideH() == 1 && win.strideW() == 1 && ow == w;
  }

  /** {@link #im2col} when {@link #spansRows}: same result. */
  static void im2colSpans(float[] x, int xOff, int c, int h, int w, Window win, int oh, int ow,
      float[] col, int colOff, int ld) {
    int row = 0;
    for (int ch = 0; ch < c; ch++) {
      int plane = xOff + ch * h * w;
      for (int i = 0; i < win.kernelH(); i++) {
        int oy0 = Math.min(oh, Math.max(0, win.padH() - i));
        int oy1 = Math.max(oy0, Math.min(oh, h + win.padH() - i));
        for (int j = 0; j < win.kernelW(); j++, row++) {
          int base = colOff + row * ld;
          int x0 = Math.min(ow, firstInside(j, 1, win.padW()));
          int x1 = Math.max(x0, endInside(j, 1, win.padW(), w, ow));
          if (oy0 == oy1 || x0 == x1) {
            Arrays.fill(col, base, base + oh * ow, 0f);
            continue;
          }
          int start = base + oy0 * ow + x0;
          int end = base + (oy1 - 1) * ow + x1;
          Arrays.fill(col, base, start, 0f);
          // the span also copies the pixels that wrap around the row ends; zeroed next
          System.arraycopy(x, plane + (oy0 - win.padH() + i) * w + x0 - win.padW() + j, col, start, end - start);
          zeroOutside(col, base, oy0, oy1, ow, x0, x1);
          Arrays.fill(col, end, base + oh * ow, 0f);
        }
      }
    }
  }

  /** Zeroes columns {@code [0, x0)} and {@code [x1, ow)} of output rows {@code [oy0, oy1)} of one patch row. */
  private static void zeroOutside(float[] col, int base, int oy0, int oy1, int ow, int x0, int x1) {
    if (x0 == 0 && x1 == ow) {
      return;
    }
    for (int oy = oy0; oy < oy1; oy++) {
      int o = base + oy * ow;
      for (int ox = 0; ox < x0; ox++) {
        col[o + ox] = 0f;
      }
      for (int ox = x1; ox < ow; ox++) {
        col[o + ox] = 0f;
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

  /**
   * The adjoint of {@link #im2col}: adds every patch entry into its pixel of the image at {@code x[xOff ...]}.
   * {@code col} is scratch: entries that fall on padding may be overwritten with zeros.
   */
  static void accumulateCol2im(float[] col, int colOff, int ld, float[] x, int xOff, int c, int h, int w,
      Window win, int oh, int ow) {
    if (spansRows(win, w, ow)) {
      col2imSpans(col, colOff, ld, x, xOff, c, h, w, win, oh, ow);
    } else {
      col2imRows(col, colOff, ld, x, xOff, c, h, w, win, oh, ow);
    }
  }

  /** {@link #accumulateCol2im} one output row at a time: any window; {@code col} is left as it is. */
  static void col2imRows(float[] col, int colOff, int ld, float[] x, int xOff, int c, int h, int w,
      Window win, int oh, int ow) {
    int row = 0;
    for (int ch = 0; ch < c; ch++) {
      int plane = xOff + ch * h * w;
      for (int i = 0; i < win.kernelH(); i++) {
        for (int j = 0; j < win.kernelW(); j++, row++) {
          int base = colOff + row * ld;
          int x0 = firstInside(j, win.strideW(), win.padW());
          int x1 = endInside(j, win.strideW(), win.padW(), w, ow);
          for (int oy = 0; oy < oh; oy++) {
            int iy = oy * win.strideH() - win.padH() + i;
            if (iy < 0 || iy >= h) {
              continue;
            }
            int dst = plane + iy * w;
            int o = base + oy * ow;
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

  /**
   * {@link #accumulateCol2im} when {@link #spansRows}: each patch row's padding entries inside its valid span are
   * zeroed, then the span is added in one loop. Every pixel gets the same terms in the same order as the
   * row-by-row loop (plus exact zeros), so the result is the same.
   */
  static void col2imSpans(float[] col, int colOff, int ld, float[] x, int xOff, int c, int h, int w,
      Window win, int oh, int ow) {
    int row = 0;
    for (int ch = 0; ch < c; ch++) {
      int plane = xOff + ch * h * w;
      for (int i = 0; i < win.kernelH(); i++) {
        int oy0 = Math.min(oh, Math.max(0, win.padH() - i));
        int oy1 = Math.max(oy0, Math.min(oh, h + win.padH() - i));
        for (int j = 0; j < win.kernelW(); j++, row++) {
          int base = colOff + row * ld;
          int x0 = Math.min(ow, firstInside(j, 1, win.padW()));
          int x1 = Math.max(x0, endInside(j, 1, win.padW(), w, ow));
          if (oy0 == oy1 || x0 == x1) {
            continue;
          }
          zeroOutside(col, base, oy0, oy1, ow, x0, x1);
          int start = base + oy0 * ow + x0;
          int n = base + (oy1 - 1) * ow + x1 - start;
          int d = plane + (oy0 - win.padH() + i) * w + x0 - win.padW() + j - start;
          for (int k = start; k < start + n; k++) {
            x[d + k] += col[k];
          }
        }
      }
    }
  }
}
