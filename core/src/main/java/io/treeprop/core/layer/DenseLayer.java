package io.treeprop.core.layer;

import io.treeprop.core.init.Initializer;
import io.treeprop.core.param.ParamLayout;
import io.treeprop.core.tensor.Blas;
import io.treeprop.core.tensor.Shape;

/**
 * Fully connected layer. Parameters: {@code W: [in, out]} then {@code b: [out]}.
 *
 * <pre>
 * forward:  Y[batch, out] = X[batch, in] · W + 1·bᵀ          (one sgemm)
 * backward: dW += Xᵀ · dY;  db += Σ_rows dY;  dX = dY · Wᵀ     (two sgemm)
 * </pre>
 */
public final class DenseLayer implements Layer {
  private final Shape input;
  private final int in;
  private final int out;
  private final Initializer init;
  private final boolean bias;

  public DenseLayer(Shape input, int units, Initializer init, boolean bias) {
    this.input = input;
    this.in = input.size();
    this.out = units;
    this.init = init;
    this.bias = bias;
  }

  @Override
  public Shape inputShape() {
    return input;
  }

  @Override
  public Shape outputShape() {
    return Shape.vector(out);
  }

  @Override
  public void declare(ParamLayout.Builder layout) {
    layout.weight("W", new int[] {in, out}, in, out, init);
    if (bias) {
      layout.bias("b", out, new Initializer.Zeros());
    }
  }

  @Override
  public void forward(Frame f) {
    int n = f.batch();
    float[] y = f.out();
    float[] p = f.params();
    int w = f.paramOffset();
    if (bias) {
      int b = w + in * out;
      for (int r = 0; r < n; r++) {
        System.arraycopy(p, b, y, r * out, out);
      }
    }
    Blas.gemm(false, false, n, out, in, 1f, f.in(), 0, p, w, bias ? 1f : 0f, y, 0);
  }

  @Override
  public void backward(Frame f) {
    int n = f.batch();
    float[] dy = f.dOut();
    float[] g = f.grad();
    int gw = f.paramOffset();
    Blas.gemm(true, false, in, out, n, 1f, f.in(), 0, dy, 0, 1f, g, gw);
    if (bias) {
      int gb = gw + in * out;
      for (int r = 0; r < n; r++) {
        int row = r * out;
        for (int j = 0; j < out; j++) {
          g[gb + j] += dy[row + j];
        }
      }
    }
    if (f.dIn() != null) {
      Blas.gemm(false, true, n, in, out, 1f, dy, 0, f.params(), f.paramOffset(), 0f, f.dIn(), 0);
    }
  }
}
