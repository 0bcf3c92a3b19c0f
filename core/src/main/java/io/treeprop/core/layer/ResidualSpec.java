package io.treeprop.core.layer;

import io.treeprop.core.init.Initializer;
import io.treeprop.core.tensor.Shape;
import java.util.List;

/**
 * A residual block, e.g.
 * {@code {"type": "residual", "layers": [{"type": "conv2d", ...}, ...], "activation": "relu"}}: the inner layers plus
 * a shortcut, summed, then the optional activation. The shortcut is the identity when the inner layers keep the
 * shape, else a projection without bias: a 1×1 convolution whose stride maps the input's height and width onto the
 * output's (images), or a dense layer (vectors). See {@link ResidualLayer}.
 *
 * @param layers the inner layers, at least one
 * @param activation applied to the sum, or null for none
 */
public record ResidualSpec(List<LayerSpec> layers, ActivationFunction activation) implements LayerSpec {
  public ResidualSpec {
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("residual.layers must list at least one layer");
    }
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) == null) {
        throw new IllegalArgumentException("residual.layers[" + i + "] is null");
      }
    }
    layers = List.copyOf(layers);
  }

  @Override
  public Layer compile(Shape input, LayerSpec next) {
    LayerSpec act = activation == null ? next : new Activation(activation);
    Sequence body = new Sequence(input, Sequence.compile(input, layers, "residual.layers", act));
    Shape out = body.outputShape();
    Layer shortcut = out.equals(input) ? null : projection(input, out);
    Layer a = activation == null ? null : new ActivationLayer(out, activation, activation.defaultAlpha());
    return new ResidualLayer(body, shortcut, a);
  }

  private static Layer projection(Shape in, Shape out) {
    Initializer init = new Initializer.XavierUniform();
    if (!in.isImage() || !out.isImage()) {
      return new DenseLayer(in, out.size(), init, false);
    }
    int sh = stride(in.height(), out.height());
    int sw = stride(in.width(), out.width());
    if (sh < 0 || sw < 0) {
      throw new IllegalArgumentException("residual: no 1x1 convolution stride maps the input " + in
          + " onto the inner layers' output " + out + "; make the output size ⌊(size − 1) / stride⌋ + 1");
    }
    return new Conv2dLayer(in, out.channels(), new Window(1, 1, sh, sw, 0, 0), init, false);
  }

  /** The stride {@code s} with {@code ⌊(size − 1) / s⌋ + 1 = outSize}, or −1. */
  private static int stride(int size, int outSize) {
    for (int s = 1; s <= size; s++) {
      if ((size - 1) / s + 1 == outSize) {
        return s;
      }
    }
    return -1;
  }
}
