package io.treeprop.onnx;

import io.treeprop.core.layer.ActivationLayer;
import io.treeprop.core.layer.BatchNormLayer;
import io.treeprop.core.layer.Conv2dLayer;
import io.treeprop.core.layer.Conv2dTransposeLayer;
import io.treeprop.core.layer.DenseLayer;
import io.treeprop.core.layer.DropoutLayer;
import io.treeprop.core.layer.FlattenLayer;
import io.treeprop.core.layer.Layer;
import io.treeprop.core.layer.NoiseLayer;
import io.treeprop.core.layer.Pool2dLayer;
import io.treeprop.core.layer.ResidualLayer;
import io.treeprop.core.layer.Sequence;
import io.treeprop.core.layer.UpsampleLayer;
import io.treeprop.core.layer.Window;
import io.treeprop.core.param.ParamLayout;
import io.treeprop.core.tensor.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Writes compiled layers as ONNX nodes, in inference mode: dropout and noise are the identity, batch norm uses the
 * running statistics. Weights come from the flat vectors by block name ({@code 3/W}, {@code 4/0/b},
 * {@code 4/shortcut/W}, state {@code 2/running_mean}), so the graph reads exactly the blocks the engine reads. Node
 * and initializer names start with the same paths.
 *
 * <pre>
 * dense            Gemm(x, W[in, out], b)                 (an image input is flattened first)
 * conv2d           Conv(x, W[f, c, kh, kw], b)            pads [ph, pw, ph, pw]
 * conv2d_transpose ConvTranspose(x, W[c, f, kh, kw], b)   output_padding from the output size
 * max/avg_pool2d   MaxPool / AveragePool (count_include_pad = 1); global_avg_pool is an AveragePool over the image
 * batch_norm       BatchNormalization(x, gamma, beta, running_mean, running_var), epsilon
 * upsample         Resize nearest, asymmetric coordinates, floor: y[oy, ox] = x[⌊oy / fh⌋, ⌊ox / fw⌋]
 * flatten          Flatten(axis 1)
 * residual         Add(inner layers(x), shortcut(x)) then the activation; shortcut: x, Conv 1×1 or Gemm, no bias
 * softmax          Softmax(axis 1) over the whole row (an image row is flattened and reshaped back)
 * sign, step       Where(x ≥ 0, 1, −1), Cast(x ≥ 0)
 * </pre>
 */
final class LayerGraph {
  private final ONNXContext ctx;
  private final float[] params;
  private final float[] state;
  private final Map<String, ParamLayout.Block> blocks = new HashMap<>();

  LayerGraph(ONNXContext ctx, ParamLayout layout, float[] params, float[] state) {
    this.ctx = ctx;
    this.params = params;
    this.state = state;
    layout.paramBlocks().forEach(b -> blocks.put(b.name(), b));
    layout.stateBlocks().forEach(b -> blocks.put(b.name(), b));
  }

  /**
   * Writes the layers of {@code seq}, layer {@code i} with blocks under {@code scope + i + "/"}.
   *
   * @param where the path of the sequence in messages, e.g. {@code network.layers}
   */
  Tensor sequence(Sequence seq, Tensor x, String scope, String where) {
    Tensor t = x;
    for (int i = 0; i < seq.layers().size(); i++) {
      t = layer(seq.layers().get(i), t, scope + i + "/", where + "[" + i + "]");
    }
    return t;
  }

  /**
   * Writes one layer.
   *
   * @throws IllegalArgumentException naming the layer ({@code where}) and its class when it has no ONNX form
   */
  Tensor layer(Layer l, Tensor x, String scope, String where) {
    Shape out = l.outputShape();
    if (l instanceof DenseLayer) {
      return new Tensor(op(Ops.GEMM, scope + "dense", withBias(List.of(flat(x, scope).ref(), weight(scope + "W")),
          scope), Map.of()), out);
    } else if (l instanceof Conv2dLayer c) {
      return new Tensor(op(Ops.CONV, scope + "conv", withBias(List.of(x.ref(), weight(scope + "W")), scope),
          window(c.window())), out);
    } else if (l instanceof Conv2dTransposeLayer c) {
      return convTranspose(c, x, scope);
    } else if (l instanceof Pool2dLayer p) {
      return new Tensor(p.mode() == Pool2dLayer.Mode.MAX
          ? op(Ops.MAX_POOL, scope + "max_pool", List.of(x.ref()), window(p.window()))
          : op(Ops.AVERAGE_POOL, scope + "avg_pool", List.of(x.ref()), with(window(p.window()), "count_include_pad",
              1)), out);
    } else if (l instanceof BatchNormLayer b) {
      return new Tensor(op(Ops.BATCH_NORMALIZATION, scope + "batch_norm", List.of(x.ref(), weight(scope + "gamma"),
          weight(scope + "beta"), weight(scope + "running_mean"), weight(scope + "running_var")),
          Map.of("epsilon", b.epsilon())), out);
    } else if (l instanceof UpsampleLayer) {
      return upsample(x, out, scope);
    } else if (l instanceof FlattenLayer) {
      return flat(x, scope);
    } else if (l instanceof DropoutLayer || l instanceof NoiseLayer) {
      return x;
    } else if (l instanceof ActivationLayer a) {
      return Activations.write(ctx, a, x, scope);
    } else if (l instanceof ResidualLayer r) {
      return residual(r, x, scope, where);
    }
    throw new IllegalArgumentException(where + " (" + l.getClass().getName() + ") cannot be exported to ONNX: the "
        + "exporter writes Treeprop's own layers (dense, activation, dropout, noise, conv2d, conv2d_transpose, "
        + "max_pool2d, avg_pool2d, global_avg_pool, flatten, upsample, batch_norm, residual); replace this layer "
        + "with those to export the model");
  }

  private Tensor residual(ResidualLayer r, Tensor x, String scope, String where) {
    Tensor body = sequence(r.body(), x, scope, where + ".layers");
    Tensor shortcut = r.shortcut() == null ? x : layer(r.shortcut(), x, scope + "shortcut/", where + ".shortcut");
    Tensor sum = new Tensor(op(Ops.ADD, scope + "sum", List.of(body.ref(), shortcut.ref()), Map.of()), body.shape());
    return r.activation() == null ? sum : layer(r.activation(), sum, scope + "activation/", where + ".activation");
  }

  private Tensor convTranspose(Conv2dTransposeLayer c, Tensor x, String scope) {
    Window w = c.window();
    Shape in = c.inputShape();
    Shape out = c.outputShape();
    int[] outputPadding = {out.height() - ((in.height() - 1) * w.strideH() - 2 * w.padH() + w.kernelH()),
        out.width() - ((in.width() - 1) * w.strideW() - 2 * w.padW() + w.kernelW())};
    return new Tensor(op(Ops.CONV_TRANSPOSE, scope + "conv_transpose", withBias(List.of(x.ref(),
        weight(scope + "W")), scope), with(window(w), "output_padding", outputPadding)), out);
  }

  private Tensor upsample(Tensor x, Shape out, String scope) {
    Shape in = x.shape();
    ONNXInitializer roi = ctx.array(scope + "roi", new float[0]);
    ONNXInitializer scales = ctx.array(scope + "scales", new float[] {1, 1, (float) out.height() / in.height(),
        (float) out.width() / in.width()});
    return new Tensor(op(Ops.RESIZE, scope + "upsample", List.of(x.ref(), roi, scales), Map.of("mode", "nearest",
        "coordinate_transformation_mode", "asymmetric", "nearest_mode", "floor")), out);
  }

  /** The tensor as {@code [batch, size]}: itself for a vector, flattened for an image. */
  Tensor flat(Tensor x, String scope) {
    if (!x.shape().isImage()) {
      return x;
    }
    return new Tensor(op(Ops.FLATTEN, scope + "flatten", List.of(x.ref()), Map.of("axis", 1)),
        Shape.vector(x.shape().size()));
  }

  private List<ONNXRef<?>> withBias(List<ONNXRef<?>> inputs, String scope) {
    if (!blocks.containsKey(scope + "b")) {
      return inputs;
    }
    List<ONNXRef<?>> r = new ArrayList<>(inputs);
    r.add(weight(scope + "b"));
    return r;
  }

  /** The parameter or state block {@code name} as an initializer of its logical shape. */
  private ONNXInitializer weight(String name) {
    ParamLayout.Block b = blocks.get(name);
    if (b == null) {
      throw new IllegalStateException("the network declares no block " + name + "; the exporter and the layer "
          + "disagree on its parameters");
    }
    float[] src = b.kind() == ParamLayout.Kind.STATE ? state : params;
    List<Integer> dims = new ArrayList<>();
    for (int d : b.shape()) {
      dims.add(d);
    }
    return ctx.floatTensor(name, dims, fb -> fb.put(src, b.offset(), b.size()));
  }

  private ONNXRef<?> op(Ops op, String name, List<ONNXRef<?>> inputs, Map<String, Object> attributes) {
    return ctx.operation(op, inputs, name, attributes);
  }

  private static Map<String, Object> window(Window w) {
    return Map.of("kernel_shape", new int[] {w.kernelH(), w.kernelW()}, "strides", new int[] {w.strideH(),
        w.strideW()}, "pads", new int[] {w.padH(), w.padW(), w.padH(), w.padW()});
  }

  private static Map<String, Object> with(Map<String, Object> m, String key, Object value) {
    Map<String, Object> r = new HashMap<>(m);
    r.put(key, value);
    return r;
  }
}
