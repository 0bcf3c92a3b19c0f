package io.treeprop.bench;

import io.treeprop.core.layer.Conv2dSpec;
import io.treeprop.core.layer.LayerSpec;
import io.treeprop.core.layer.ResidualSpec;
import io.treeprop.core.layer.Window;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The matrix products of one partition's training pass over {@code rows} rows, with the shapes Treeprop's layers
 * give {@code Blas.gemm}: a dense layer's three (forward, weight gradient, input gradient) over the whole batch, and
 * a convolution's three im2col products once per sample ({@code W[f, K] · col[K, P]}, {@code dY · colᵀ},
 * {@code Wᵀ · dY}; {@code K = c·kh·kw}, {@code P = oh·ow}), as {@code Conv2dLayer} runs them. The network's first
 * layer has no input gradient. A residual block's projection shortcut is a 1×1 convolution (or a dense layer) of
 * its own. im2col, col2im, pooling, batch norm and activations are not products: they are what the step spends
 * beyond this ceiling.
 */
final class Products {
  /**
   * {@code times} row-major products {@code C[m, n] = op(A)[m, k] · op(B)[k, n]}.
   *
   * @param transA A is stored {@code [k, m]}
   * @param transB B is stored {@code [n, k]}
   */
  record Gemm(boolean transA, boolean transB, int m, int n, int k, int times) {
    double flops() {
      return 2.0 * m * n * k * times;
    }
  }

  private Products() {}

  /** The products of a training pass of {@code spec} over {@code rows} rows. */
  static List<Gemm> of(NetworkSpec spec, int rows) {
    List<Gemm> out = new ArrayList<>();
    walk(spec.input(), spec.layers(), rows, true, out);
    return out;
  }

  static double flops(List<Gemm> products) {
    return products.stream().mapToDouble(Gemm::flops).sum();
  }

  /** Adds the products of {@code layers} from {@code in}; returns their output shape. */
  private static Shape walk(Shape in, List<LayerSpec> layers, int rows, boolean first, List<Gemm> out) {
    Shape s = in;
    for (int i = 0; i < layers.size(); i++) {
      LayerSpec l = layers.get(i);
      boolean inputGradient = !(first && i == 0);
      Shape next = l.compile(s, null).outputShape();
      if (l instanceof Conv2dSpec c) {
        conv(s, next, c.window(), rows, inputGradient, out);
      } else if (l instanceof LayerSpec.Dense) {
        dense(s.size(), next.size(), rows, inputGradient, out);
      } else if (l instanceof ResidualSpec r) {
        Shape body = walk(s, r.layers(), rows, first && i == 0, out);
        if (!body.equals(s) && s.isImage()) {
          // a 1×1 window: the products' shapes do not depend on its stride, only on the output size
          conv(s, body, new Window(1, 1, 1, 1, 0, 0), rows, inputGradient, out);
        } else if (!body.equals(s)) {
          dense(s.size(), body.size(), rows, inputGradient, out);
        }
      }
      s = next;
    }
    return s;
  }

  private static void conv(Shape in, Shape outShape, Window w, int rows, boolean inputGradient, List<Gemm> out) {
    int f = outShape.channels();
    int k = in.channels() * w.kernelH() * w.kernelW();
    int p = outShape.height() * outShape.width();
    out.add(new Gemm(false, false, f, p, k, rows));
    out.add(new Gemm(false, true, f, k, p, rows));
    if (inputGradient) {
      out.add(new Gemm(true, false, k, p, f, rows));
    }
  }

  private static void dense(int in, int units, int rows, boolean inputGradient, List<Gemm> out) {
    out.add(new Gemm(false, false, rows, units, in, 1));
    out.add(new Gemm(true, false, in, units, rows, 1));
    if (inputGradient) {
      out.add(new Gemm(false, true, rows, in, units, 1));
    }
  }
}
