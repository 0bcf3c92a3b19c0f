package io.treeprop.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.treeprop.core.layer.ActivationLayer;
import io.treeprop.core.tensor.Shape;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXRef;

/** The ONNX nodes of each {@link io.treeprop.core.layer.ActivationFunction}; see {@link LayerGraph}. */
final class Activations {
  private Activations() {}

  /** Writes {@code a} applied to {@code x}; the shape is unchanged. */
  static Tensor write(ONNXContext ctx, ActivationLayer a, Tensor x, String scope) {
    String name = scope + a.function().jsonName();
    ONNXRef<?> in = x.ref();
    ONNXRef<?> y = switch (a.function()) {
      case SIGMOID -> ctx.operation(Ops.SIGMOID, List.of(in), name, Map.of());
      case TANH -> ctx.operation(Ops.TANH, List.of(in), name, Map.of());
      case RELU -> ctx.operation(Ops.RELU, List.of(in), name, Map.of());
      case LEAKY_RELU -> ctx.operation(Ops.LEAKY_RELU, List.of(in), name, Map.of("alpha", a.alpha()));
      case ELU -> ctx.operation(Ops.ELU, List.of(in), name, Map.of("alpha", a.alpha()));
      case SOFTPLUS -> ctx.operation(Ops.SOFTPLUS, List.of(in), name, Map.of());
      case IDENTITY -> in;
      case SOFTMAX -> softmax(ctx, x, name);
      case SIGN -> ctx.operation(Ops.WHERE, List.of(nonNegative(ctx, in, scope), ctx.constant(scope + "one", 1f),
          ctx.constant(scope + "minus_one", -1f)), name, Map.of());
      case STEP -> ctx.operation(Ops.CAST, List.of(nonNegative(ctx, in, scope)), name,
          Map.of("to", DataType.FLOAT.getNumber()));
    };
    return new Tensor(y, x.shape());
  }

  /** Softmax over each whole row, as Treeprop computes it (an image row is one distribution). */
  static ONNXRef<?> softmax(ONNXContext ctx, Tensor x, String name) {
    Shape s = x.shape();
    if (!s.isImage()) {
      return ctx.operation(Ops.SOFTMAX, List.of(x.ref()), name, Map.of("axis", 1));
    }
    ONNXRef<?> flat = ctx.operation(Ops.FLATTEN, List.of(x.ref()), name + "_flatten", Map.of("axis", 1));
    ONNXRef<?> p = ctx.operation(Ops.SOFTMAX, List.of(flat), name, Map.of("axis", 1));
    return ctx.operation(Ops.RESHAPE, List.of(p, ctx.array(name + "_shape", new long[] {-1, s.channels(),
        s.height(), s.width()})), name + "_image", Map.of());
  }

  private static ONNXRef<?> nonNegative(ONNXContext ctx, ONNXRef<?> in, String scope) {
    return ctx.operation(Ops.GREATER_OR_EQUAL, List.of(in, ctx.constant(scope + "zero", 0f)), scope + "non_negative",
        Map.of());
  }
}
