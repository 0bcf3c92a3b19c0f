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
 * batch. A package-private constructor lets a chunk of samples share each product (their patch matrices side by
 * side, {@code [K, n·P]}, outputs and output gradients copied between {@code [f, n·P]} and the NCHW rows); it
 * measured slower than one sample per product (DESIGN.md decision 14) and is kept for re-measuring.
 */
public final class Conv2dLayer implements Layer {
  /** Samples whose patch matrices share one product, as compiled from a spec (DESIGN.md decision 14). */
  static final int CHUNK = 1;

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
  private final int chunk;

  public Conv2dLayer(Shape input, int filters, Window win, Initializer init, boolean bias) {
    this(input, filters, win, init, bias, CHUNK);
  }

  /** With {@code chunk} samples per product (1: one sgemm per sample); for benchmarks and tests. */
  Conv2dLayer(Shape input, int filters, Window win, Initializer init, boolean bias, int chunk) {
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
    this.chunk = chunk;
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
    if (direct) {
      for (int r = 0; r < f.batch(); r++) {
        int yOff = r * filters * p;
        fillBias(par, wOff, y, yOff);
        Blas.gemm(false, false, filters, p, k, 1f, par, wOff, x, r * input.size(), bias ? 1f : 0f, y, yOff);
      }
      return;
    }
    float[] col = f.scratch((k + filters) * chunk * p);
    for (int r0 = 0; r0 < f.batch(); r0 += chunk) {
      int n = Math.min(chunk, f.batch() - r0);
      im2col(x, r0, n, col);
      if (n == 1) {
        int yOff = r0 * filters * p;
        fillBias(par, wOff, y, yOff);
        Blas.gemm(false, false, filters, p, k, 1f, par, wOff, col, 0, bias ? 1f : 0f, y, yOff);
        continue;
      }
      // Y[f, n·P] = W · [col_0 … col_n−1], then each sample's [f, P] block to its NCHW row, plus the bias
      int yc = k * n * p;
      Blas.gemm(false, false, filters, n * p, k, 1f, par, wOff, col, 0, 0f, col, yc);
      for (int s = 0; s < n; s++) {
        int yOff = (r0 + s) * filters * p;
        for (int j = 0; j < filters; j++) {
          int src = yc + (j * n + s) * p;
          int dst = yOff + j * p;
          float b = bias ? par[wOff + filters * k + j] : 0f;
          for (int q = 0; q < p; q++) {
            y[dst + q] = col[src + q] + b;
          }
        }
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
    if (bias) {
      biasGradient(dy, f.batch(), g, wOff + filters * k);
    }
    if (direct) {
      for (int r = 0; r < f.batch(); r++) {
        int dyOff = r * filters * p;
        int xOff = r * input.size();
        Blas.gemm(false, true, filters, k, p, 1f, dy, dyOff, x, xOff, 1f, g, wOff);
        if (dx != null) {
          Blas.gemm(true, false, k, p, filters, 1f, par, wOff, dy, dyOff, 0f, dx, xOff);
        }
      }
      return;
    }
    float[] col = f.scratch((k + filters) * chunk * p);
    for (int r0 = 0; r0 < f.batch(); r0 += chunk) {
      int n = Math.min(chunk, f.batch() - r0);
      im2col(x, r0, n, col);
      // dY of the chunk as [f, n·P] (the sample's own rows when n = 1)
      float[] d = dy;
      int dOff = r0 * filters * p;
      if (n > 1) {
        d = col;
        dOff = k * n * p;
        for (int s = 0; s < n; s++) {
          for (int j = 0; j < filters; j++) {
            System.arraycopy(dy, (r0 + s) * filters * p + j * p, col, dOff + (j * n + s) * p, p);
          }
        }
      }
      Blas.gemm(false, true, filters, k, n * p, 1f, d, dOff, col, 0, 1f, g, wOff);
      if (dx != null) {
        Blas.gemm(true, false, k, n * p, filters, 1f, par, wOff, d, dOff, 0f, col, 0);
        for (int s = 0; s < n; s++) {
          int xOff = (r0 + s) * input.size();
          java.util.Arrays.fill(dx, xOff, xOff + input.size(), 0f);
          Patches.accumulateCol2im(col, s * p, n * p, dx, xOff, c, h, w, win, oh, ow);
        }
      }
    }
  }

  /** Sets a sample's output row to its bias (zeros without one), for an sgemm that adds into it. */
  private void fillBias(float[] par, int wOff, float[] y, int yOff) {
    int p = oh * ow;
    for (int j = 0; j < filters; j++) {
      java.util.Arrays.fill(y, yOff + j * p, yOff + (j + 1) * p, bias ? par[wOff + filters * patch() + j] : 0f);
    }
  }

  /**
   * {@code db += Σ over rows and positions of dY}, per filter. Four interleaved partial sums per row and filter:
   * a single running sum waits on each add's latency.
   */
  private void biasGradient(float[] dy, int batch, float[] g, int gb) {
    int p = oh * ow;
    for (int r = 0; r < batch; r++) {
      for (int j = 0; j < filters; j++) {
        int i = (r * filters + j) * p;
        int end = i + p;
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        for (; i + 3 < end; i += 4) {
          s0 += dy[i];
          s1 += dy[i + 1];
          s2 += dy[i + 2];
          s3 += dy[i + 3];
        }
        for (; i < end; i++) {
          s0 += dy[i];
        }
        g[gb + j] += (s0 + s1) + (s2 + s3);
      }
    }
  }

  /** The patch matrices of rows {@code r0 … r0 + n − 1}, side by side: {@code col[k, n·P]}. */
  private void im2col(float[] x, int r0, int n, float[] col) {
    for (int s = 0; s < n; s++) {
      Patches.im2col(x, (r0 + s) * input.size(), c, h, w, win, oh, ow, col, s * oh * ow, n * oh * ow);
    }
  }
}
