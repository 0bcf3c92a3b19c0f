package io.treeprop.core.layer;

import io.treeprop.core.init.Initializer;
import io.treeprop.core.param.ParamLayout;
import io.treeprop.core.tensor.Blas;
import io.treeprop.core.tensor.Shape;

/**
 * Transposed 2-D convolution (the adjoint of {@link Conv2dLayer}, PyTorch's {@code conv_transpose2d}) over NCHW
 * rows: input {@code [c, h, w]}, output {@code [f, oh, ow]} with
 * {@code oh = (h − 1)·sh − 2·ph + kh + output_padding_h}, {@code ow} likewise. Parameters:
 * {@code W: [c, f, kh, kw]} (row-major, PyTorch's {@code weight} layout) then {@code b: [f]}. Per sample, with
 * {@code K = f·kh·kw} and the {@link Patches} geometry of a convolution from {@code [f, oh, ow]} to {@code [h, w]}:
 *
 * <pre>
 * forward:   col[K, h·w] = Wᵀ · x[c, h·w];   y = col2im(col) + b
 * backward:  dcol = im2col(dy);  dW += x · dcolᵀ;  db += Σ dy;  dx = W · dcol
 * </pre>
 */
public final class Conv2dTransposeLayer implements Layer {
  private final Shape input;
  private final Shape output;
  private final Window win;
  private final int filters;
  private final Initializer init;
  private final boolean bias;

  /**
   * @param outputPadding extra rows and columns at the bottom and right, each below the stride
   */
  public Conv2dTransposeLayer(Shape input, int filters, Window win, Size2 outputPadding, Initializer init,
      boolean bias) {
    if (!input.isImage()) {
      throw new IllegalArgumentException("conv2d_transpose needs an image input [channels, height, width], "
          + "receives " + input);
    }
    if (outputPadding.h() < 0 || outputPadding.w() < 0 || outputPadding.h() >= win.strideH()
        || outputPadding.w() >= win.strideW()) {
      throw new IllegalArgumentException("conv2d_transpose.outputPadding (" + outputPadding + ") must be >= 0 and "
          + "below the stride (" + win.strideH() + "x" + win.strideW() + ")");
    }
    int oh = (input.height() - 1) * win.strideH() - 2 * win.padH() + win.kernelH() + outputPadding.h();
    int ow = (input.width() - 1) * win.strideW() - 2 * win.padW() + win.kernelW() + outputPadding.w();
    if (oh <= 0 || ow <= 0) {
      throw new IllegalArgumentException("conv2d_transpose.padding " + win.padH() + "x" + win.padW()
          + " leaves no output for input " + input.height() + "x" + input.width() + " and kernel " + win.kernelH()
          + "x" + win.kernelW() + ": the output " + oh + "x" + ow + " must be positive");
    }
    this.input = input;
    this.output = Shape.image(filters, oh, ow);
    this.win = win;
    this.filters = filters;
    this.init = init;
    this.bias = bias;
  }

  @Override
  public Shape inputShape() {
    return input;
  }

  /** Kernel, stride and padding (of the convolution this layer is the adjoint of). */
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
    int c = input.channels();
    layout.weight("W", new int[] {c, filters, win.kernelH(), win.kernelW()}, filters * kk, c * kk, init);
    if (bias) {
      layout.bias("b", filters, new Initializer.Zeros());
    }
  }

  @Override
  public void forward(Frame f) {
    int c = input.channels();
    int hw = input.height() * input.width();
    int k = filters * win.kernelH() * win.kernelW();
    int p = output.height() * output.width();
    float[] y = f.out();
    float[] par = f.params();
    int wOff = f.paramOffset();
    float[] col = f.scratch(k * hw);
    for (int r = 0; r < f.batch(); r++) {
      int yOff = r * output.size();
      Blas.gemm(true, false, k, hw, c, 1f, par, wOff, f.in(), r * input.size(), 0f, col, 0);
      for (int j = 0; j < filters; j++) {
        java.util.Arrays.fill(y, yOff + j * p, yOff + (j + 1) * p, bias ? par[wOff + c * k + j] : 0f);
      }
      Patches.accumulateCol2im(col, 0, hw, y, yOff, filters, output.height(), output.width(), win,
          input.height(), input.width());
    }
  }

  @Override
  public void backward(Frame f) {
    int c = input.channels();
    int hw = input.height() * input.width();
    int k = filters * win.kernelH() * win.kernelW();
    int p = output.height() * output.width();
    float[] dy = f.dOut();
    float[] par = f.params();
    float[] g = f.grad();
    int wOff = f.paramOffset();
    float[] col = f.scratch(k * hw);
    for (int r = 0; r < f.batch(); r++) {
      int yOff = r * output.size();
      int xOff = r * input.size();
      Patches.im2col(dy, yOff, filters, output.height(), output.width(), win, input.height(), input.width(), col, 0,
          hw);
      Blas.gemm(false, true, c, k, hw, 1f, f.in(), xOff, col, 0, 1f, g, wOff);
      if (bias) {
        for (int j = 0; j < filters; j++) {
          float s = 0f;
          for (int i = yOff + j * p, end = i + p; i < end; i++) {
            s += dy[i];
          }
          g[wOff + c * k + j] += s;
        }
      }
      if (f.dIn() != null) {
        Blas.gemm(false, false, c, hw, k, 1f, par, wOff, col, 0, 0f, f.dIn(), xOff);
      }
    }
  }
}
