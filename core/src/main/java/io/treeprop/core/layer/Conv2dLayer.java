package io.treeprop.core.layer;

import io.treeprop.core.init.Initializer;
import io.treeprop.core.param.ParamLayout;
import io.treeprop.core.tensor.Blas;
import io.treeprop.core.tensor.Shape;

/**
 * 2-D convolution (cross-correlation, as in PyTorch) over NCHW rows: input {@code [c, h, w]}, output
 * {@code [f, oh, ow]} with the {@link Window}'s output size. Parameters: {@code W: [f, c, kh, kw]} (row-major,
 * PyTorch's {@code weight} layout) then {@code b: [f]}. Per sample, with {@code K = c·kh·kw}, {@code P = oh·ow}:
 *
 * <pre>
 * col[K, P]  = im2col(x)                           (zero-padded patches; x itself for 1×1, stride 1, no padding)
 * forward:   Y[f, P]  = W[f, K] · col + b·1ᵀ       (one sgemm; Y is already the NCHW output row)
 * backward:  dW      += dY · colᵀ;  db += Σ_P dY;  dx = col2im(Wᵀ · dY)
 * </pre>
 *
 * The patch matrix is scratch for one sample at a time (recomputed in backward), so memory does not grow with the
 * batch.
 */
public final class Conv2dLayer implements Layer {
  private final Shape input;
  private final Shape output;
  private final Window win;
  private final int filters;
  private final Initializer init;
  private final boolean bias;
  private final int c;
  private final int h;
  private final int w;
  private final int oh;
  private final int ow;
  private final boolean direct;

  public Conv2dLayer(Shape input, int filters, Window win, Initializer init, boolean bias) {
    int[] out = win.outputSize("conv2d", input);
    this.input = input;
    this.win = win;
    this.filters = filters;
    this.init = init;
    this.bias = bias;
    this.c = input.channels();
    this.h = input.height();
    this.w = input.width();
    this.oh = out[0];
    this.ow = out[1];
    this.output = Shape.image(filters, oh, ow);
    this.direct = win.kernelH() == 1 && win.kernelW() == 1 && win.strideH() == 1 && win.strideW() == 1
        && win.padH() == 0 && win.padW() == 0;
  }

  @Override
  public Shape inputShape() {
    return input;
  }

  /** Kernel, stride and padding. */
  public Window window() {
    return win;
  }

  @Override
  public Shape outputShape() {
    return output;
  }

  @Override
  public void declare(ParamLayout.Builder layout) {
    int kk = win.kernelH() * win.kernelW();
    layout.weight("W", new int[] {filters, c, win.kernelH(), win.kernelW()}, c * kk, filters * kk, init);
    if (bias) {
      layout.bias("b", filters, new Initializer.Zeros());
    }
  }

  private int patch() {
    return c * win.kernelH() * win.kernelW();
  }

  @Override
  public void forward(Frame f) {
    int k = patch();
    int p = oh * ow;
    float[] x = f.in();
    float[] y = f.out();
    float[] par = f.params();
    int wOff = f.paramOffset();
    float[] col = direct ? null : f.scratch(k * p);
    for (int r = 0; r < f.batch(); r++) {
      int yOff = r * filters * p;
      if (bias) {
        for (int j = 0; j < filters; j++) {
          java.util.Arrays.fill(y, yOff + j * p, yOff + (j + 1) * p, par[wOff + filters * k + j]);
        }
      }
      if (direct) {
        Blas.gemm(false, false, filters, p, k, 1f, par, wOff, x, r * input.size(), bias ? 1f : 0f, y, yOff);
      } else {
        im2col(x, r * input.size(), col);
        Blas.gemm(false, false, filters, p, k, 1f, par, wOff, col, 0, bias ? 1f : 0f, y, yOff);
      }
    }
  }

  @Override
  public void backward(Frame f) {
    int k = patch();
    int p = oh * ow;
    float[] x = f.in();
    float[] dy = f.dOut();
    float[] dx = f.dIn();
    float[] par = f.params();
    float[] g = f.grad();
    int wOff = f.paramOffset();
    float[] col = direct ? null : f.scratch(k * p);
    for (int r = 0; r < f.batch(); r++) {
      int dyOff = r * filters * p;
      int xOff = r * input.size();
      if (direct) {
        Blas.gemm(false, true, filters, k, p, 1f, dy, dyOff, x, xOff, 1f, g, wOff);
      } else {
        im2col(x, xOff, col);
        Blas.gemm(false, true, filters, k, p, 1f, dy, dyOff, col, 0, 1f, g, wOff);
      }
      if (bias) {
        int gb = wOff + filters * k;
        for (int j = 0; j < filters; j++) {
          float s = 0f;
          for (int i = dyOff + j * p, end = i + p; i < end; i++) {
            s += dy[i];
          }
          g[gb + j] += s;
        }
      }
      if (dx != null) {
        if (direct) {
          Blas.gemm(true, false, k, p, filters, 1f, par, wOff, dy, dyOff, 0f, dx, xOff);
        } else {
          Blas.gemm(true, false, k, p, filters, 1f, par, wOff, dy, dyOff, 0f, col, 0);
          col2im(col, dx, xOff);
        }
      }
    }
  }

  private void im2col(float[] x, int xOff, float[] col) {
    Patches.im2col(x, xOff, c, h, w, win, oh, ow, col);
  }

  /** {@code dx = col2im(col)} (overwrites the sample's input gradient). */
  private void col2im(float[] col, float[] dx, int xOff) {
    java.util.Arrays.fill(dx, xOff, xOff + input.size(), 0f);
    Patches.accumulateCol2im(col, dx, xOff, c, h, w, win, oh, ow);
  }
}
