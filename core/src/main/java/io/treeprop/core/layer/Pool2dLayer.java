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
 * Max pooling records each output's argmax in the frame's int scratch in forward; backward reads it, so backward
 * must follow forward on the same frame.
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

  public Pool2dLayer(Shape input, Window win, Mode mode) {
    int[] out = win.outputSize(mode == Mode.MAX ? "max_pool2d" : "avg_pool2d", input);
    this.input = input;
    this.output = Shape.image(input.channels(), out[0], out[1]);
    this.win = win;
    this.mode = mode;
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
    int[] arg = mode == Mode.MAX ? f.intScratch(planes * oh * ow) : null;
    if (mode == Mode.MAX && win.equals(HALVING)) {
      maxHalving(x, y, arg, planes, h, w, oh, ow);
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
            y[o] = m;
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
   * Max pooling over 2×2 windows at stride 2 without padding (every window inside the image): the general loop's
   * result (the first maximum in row-major order wins; a NaN first element stays) without its per-window bounds
   * and loops (pooling forward was a fifth of the small CNN's training pass, profiled).
   */
  private static void maxHalving(float[] x, float[] y, int[] arg, int planes, int h, int w, int oh, int ow) {
    for (int pl = 0; pl < planes; pl++) {
      for (int oy = 0; oy < oh; oy++) {
        int top = pl * h * w + 2 * oy * w;
        int o = (pl * oh + oy) * ow;
        for (int ox = 0; ox < ow; ox++, o++) {
          int best = top + 2 * ox;
          float m = x[best];
          if (x[best + 1] > m) {
            m = x[best + 1];
            best = best + 1;
          }
          int i = top + w + 2 * ox;
          if (x[i] > m) {
            m = x[i];
            best = i;
          }
          if (x[i + 1] > m) {
            m = x[i + 1];
            best = i + 1;
          }
          y[o] = m;
          arg[o] = best;
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
    java.util.Arrays.fill(dx, 0, planes * h * w, 0f);
    if (mode == Mode.MAX) {
      int[] arg = f.intScratch(planes * oh * ow);
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
