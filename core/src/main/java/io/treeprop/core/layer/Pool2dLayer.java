package io.treeprop.core.layer;

import io.treeprop.core.tensor.Shape;

/**
 * Max or average pooling per channel over NCHW rows: input {@code [c, h, w]}, output {@code [c, oh, ow]} with the
 * {@link Window}'s output size. No parameters.
 *
 * <pre>
 * max:  y[ch, oy, ox] = max over the window of x (padding never wins);  dx[argmax] += dy
 * avg:  y[ch, oy, ox] = Σ over the window of x / (kh·kw)   (padding counts as zeros, PyTorch's
 *       count_include_pad=True);  dx[every pixel of the window] += dy / (kh·kw)
 * </pre>
 *
 * Max pooling records each output's argmax (the first maximum in row-major order) in the frame's int scratch in
 * forward; backward reads it, so backward must follow forward on the same frame. 2×2 windows at stride 2 take a
 * branch-free path that keeps the position within the window in a byte (there a NaN in the window wins, and 0 over
 * −0, as {@code Math.max} orders them).
 *
 * <p>A {@link Sequence} runs a ReLU that is followed by max pooling as part of the pooling ({@link #withRelu}):
 * {@code maxpool(relu(x)) = relu(maxpool(x))}, and so is the gradient, to the bit (the argmax differs only where
 * the window's maximum is ≤ 0, and there the gradient is 0 either way), on a quarter of the elements.
 */
public final class Pool2dLayer implements Layer {
  private static final Window HALVING = new Window(2, 2, 2, 2, 0, 0);

  /** Which reduction. */
  public enum Mode {
    MAX,
    AVG
  }

  private final Shape input;
  private final Shape output;
  private final Window win;
  private final Mode mode;
  private final boolean relu;

  public Pool2dLayer(Shape input, Window win, Mode mode) {
    this(input, win, mode, false);
  }

  private Pool2dLayer(Shape input, Window win, Mode mode, boolean relu) {
    int[] out = win.outputSize(mode == Mode.MAX ? "max_pool2d" : "avg_pool2d", input);
    this.input = input;
    this.output = Shape.image(input.channels(), out[0], out[1]);
    this.win = win;
    this.mode = mode;
    this.relu = relu;
  }

  /**
   * This max pooling with a ReLU applied to its input fused in: it pools the pre-activation input, applies the
   * ReLU to its outputs, and masks its output gradient by the sign of the pooled pre-activation value.
   */
  Pool2dLayer withRelu() {
    if (mode != Mode.MAX) {
      throw new IllegalStateException("only max pooling commutes with ReLU");
    }
    return new Pool2dLayer(input, win, mode, true);
  }

  @Override
  public Shape inputShape() {
    return input;
  }

  /** Kernel, stride and padding. */
  public Window window() {
    return win;
  }

  /** Max or average. */
  public Mode mode() {
    return mode;
  }

  @Override
  public Shape outputShape() {
    return output;
  }

  @Override
  public void forward(Frame f) {
    int planes = f.batch() * input.channels();
    int h = input.height();
    int w = input.width();
    int oh = output.height();
    int ow = output.width();
    float[] x = f.in();
    float[] y = f.out();
    if (mode == Mode.MAX && win.equals(HALVING)) {
      maxHalving(x, y, f.byteScratch(planes * oh * ow), planes, h, w, oh, ow, relu);
      return;
    }
    int[] arg = mode == Mode.MAX ? f.intScratch(planes * oh * ow) : null;
    float inv = 1f / (win.kernelH() * win.kernelW());
    for (int pl = 0; pl < planes; pl++) {
      int xOff = pl * h * w;
      for (int oy = 0; oy < oh; oy++) {
        int y0 = Math.max(0, oy * win.strideH() - win.padH());
        int y1 = Math.min(h, oy * win.strideH() - win.padH() + win.kernelH());
        for (int ox = 0; ox < ow; ox++) {
          int x0 = Math.max(0, ox * win.strideW() - win.padW());
          int x1 = Math.min(w, ox * win.strideW() - win.padW() + win.kernelW());
          int o = (pl * oh + oy) * ow + ox;
          if (mode == Mode.MAX) {
            int best = -1;
            float m = Float.NEGATIVE_INFINITY;
            for (int iy = y0; iy < y1; iy++) {
              for (int ix = x0; ix < x1; ix++) {
                float v = x[xOff + iy * w + ix];
                if (v > m || best < 0) {
                  m = v;
                  best = xOff + iy * w + ix;
                }
              }
            }
            y[o] = relu ? Math.max(m, 0f) : m;
            arg[o] = best;
          } else {
            float s = 0f;
            for (int iy = y0; iy < y1; iy++) {
              for (int ix = x0; ix < x1; ix++) {
                s += x[xOff + iy * w + ix];
              }
            }
            y[o] = s * inv;
          }
        }
      }
    }
  }

  /**
   * Max pooling over 2×2 windows at stride 2 without padding (every window inside the image), without branches:
   * the window's maximum is {@code Math.max} of its four values (a NaN wins, 0 wins over −0), and its position,
   * the first of the four (row-major) holding it bit for bit, is kept in one byte per output, {@code pos | 4} when
   * the gradient passes (always, or with the ReLU fused in, when the maximum is > 0, a positive NaN too, as
   * {@link ActivationLayer}'s ReLU). Which of four random values is the largest is a coin flip the branch predictor
   * loses: the compare-and-branch loop this replaces made pooling forward a fifth of the small CNN's training pass
   * (DESIGN.md decision 14).
   */
  private static void maxHalving(float[] x, float[] y, byte[] code, int planes, int h, int w, int oh, int ow,
      boolean relu) {
    for (int pl = 0; pl < planes; pl++) {
      for (int oy = 0; oy < oh; oy++) {
        int top = pl * h * w + 2 * oy * w;
        int o = (pl * oh + oy) * ow;
        for (int ox = 0; ox < ow; ox++, o++) {
          int a = top + 2 * ox;
          int c = a + w;
          float m = Math.max(Math.max(x[a], x[a + 1]), Math.max(x[c], x[c + 1]));
          int mb = Float.floatToRawIntBits(m);
          int first = (same(x[a], mb) & 1) | (same(x[a + 1], mb) & 2) | (same(x[c], mb) & 4) | 8;
          int pos = Integer.numberOfTrailingZeros(first);
          int pass = relu ? ((0 - mb) >> 31) & (~mb >> 31) & 4 : 4;
          code[o] = (byte) (pos | pass);
          y[o] = relu ? Math.max(m, 0f) : m;
        }
      }
    }
  }

  /** All ones when {@code v}'s bits are {@code bits}, else 0, without a branch. */
  private static int same(float v, int bits) {
    int d = Float.floatToRawIntBits(v) ^ bits;
    return ~((d | -d) >> 31);
  }

  /** {@code dy} to each window's kept position, 0 to its other three, writing every position of every window. */
  private static void maxHalvingBackward(byte[] code, float[] dy, float[] dx, int planes, int h, int w, int oh,
      int ow) {
    if (h % 2 != 0 || w % 2 != 0) {
      java.util.Arrays.fill(dx, 0, planes * h * w, 0f); // the last row or column is in no window
    }
    for (int pl = 0; pl < planes; pl++) {
      for (int oy = 0; oy < oh; oy++) {
        int top = pl * h * w + 2 * oy * w;
        int o = (pl * oh + oy) * ow;
        for (int ox = 0; ox < ow; ox++, o++) {
          int a = top + 2 * ox;
          int k = code[o];
          int g = Float.floatToRawIntBits(dy[o]) & -(k >> 2);
          int pos = k & 3;
          dx[a] = Float.intBitsToFloat(g & ((pos - 1) >> 31));
          dx[a + 1] = Float.intBitsToFloat(g & (((pos ^ 1) - 1) >> 31));
          dx[a + w] = Float.intBitsToFloat(g & (((pos ^ 2) - 1) >> 31));
          dx[a + w + 1] = Float.intBitsToFloat(g & (((pos ^ 3) - 1) >> 31));
        }
      }
    }
  }

  @Override
  public void backward(Frame f) {
    float[] dx = f.dIn();
    if (dx == null) {
      return;
    }
    int planes = f.batch() * input.channels();
    int h = input.height();
    int w = input.width();
    int oh = output.height();
    int ow = output.width();
    float[] dy = f.dOut();
    if (mode == Mode.MAX && win.equals(HALVING)) {
      maxHalvingBackward(f.byteScratch(planes * oh * ow), dy, dx, planes, h, w, oh, ow);
      return;
    }
    java.util.Arrays.fill(dx, 0, planes * h * w, 0f);
    if (mode == Mode.MAX) {
      int[] arg = f.intScratch(planes * oh * ow);
      if (relu) {
        // dy where the pooled pre-activation value is > 0 (a positive NaN too), as ActivationLayer's ReLU masks
        float[] x = f.in();
        for (int o = 0; o < planes * oh * ow; o++) {
          int b = Float.floatToRawIntBits(x[arg[o]]);
          int keep = ((0 - b) >> 31) & (~b >> 31);
          dx[arg[o]] += Float.intBitsToFloat(Float.floatToRawIntBits(dy[o]) & keep);
        }
        return;
      }
      for (int o = 0; o < planes * oh * ow; o++) {
        dx[arg[o]] += dy[o];
      }
      return;
    }
    float inv = 1f / (win.kernelH() * win.kernelW());
    for (int pl = 0; pl < planes; pl++) {
      int xOff = pl * h * w;
      for (int oy = 0; oy < oh; oy++) {
        int y0 = Math.max(0, oy * win.strideH() - win.padH());
        int y1 = Math.min(h, oy * win.strideH() - win.padH() + win.kernelH());
        for (int ox = 0; ox < ow; ox++) {
          int x0 = Math.max(0, ox * win.strideW() - win.padW());
          int x1 = Math.min(w, ox * win.strideW() - win.padW() + win.kernelW());
          float d = dy[(pl * oh + oy) * ow + ox] * inv;
          for (int iy = y0; iy < y1; iy++) {
            for (int ix = x0; ix < x1; ix++) {
              dx[xOff + iy * w + ix] += d;
            }
          }
        }
      }
    }
  }
}
