package io.treeprop.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.treeprop.core.layer.ActivationFunction;
import io.treeprop.core.layer.ActivationLayer;
import io.treeprop.core.layer.Layer;
import io.treeprop.core.loss.Loss;
import io.treeprop.core.model.Network;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXRef;

/**
 * A classifier's extra outputs, the numbers {@code treeprop score} writes (probability) and decides (class):
 *
 * <pre>
 * multiclass:  probability = output when the network ends in softmax, else Softmax(output);  class = ArgMax(output)
 * binary (one output, threshold t):  q = output when t > 0 (a probability), else Sigmoid(output);
 *              probability = [1 − q, q];  class = output ≥ t
 * </pre>
 */
final class Heads {
  private Heads() {}

  /** Whether the model gets the classifier outputs: a multiclass loss, or a binary one with one output. */
  static boolean classifier(Loss loss, int outputs) {
    return loss != null && (loss.task() == Loss.Task.MULTICLASS || loss.task() == Loss.Task.BINARY && outputs == 1);
  }

  /** {@code probability: [batch, classes]}. */
  static ONNXRef<?> probability(ONNXContext ctx, Network net, Loss loss, ONNXRef<?> out) {
    if (loss.task() == Loss.Task.MULTICLASS) {
      List<Layer> layers = net.layers();
      boolean softmaxHead = layers.get(layers.size() - 1) instanceof ActivationLayer a
          && a.function() == ActivationFunction.SOFTMAX;
      return softmaxHead ? out : ctx.operation(Ops.SOFTMAX, List.of(out), "head/softmax", Map.of("axis", 1));
    }
    ONNXRef<?> q = loss.threshold() > 0 ? out : ctx.operation(Ops.SIGMOID, List.of(out), "head/sigmoid", Map.of());
    ONNXRef<?> p0 = ctx.operation(Ops.SUB, List.of(ctx.constant("head/one", 1f), q), "head/complement", Map.of());
    return ctx.operation(Ops.CONCAT, List.of(p0, q), "head/probability", Map.of("axis", 1));
  }

  /** {@code class_index: [batch]}, int64. */
  static ONNXRef<?> classIndex(ONNXContext ctx, Loss loss, ONNXRef<?> out) {
    if (loss.task() == Loss.Task.MULTICLASS) {
      return ctx.operation(Ops.ARG_MAX, List.of(out), "head/argmax", Map.of("axis", 1, "keepdims", 0));
    }
    ONNXRef<?> positive = ctx.operation(Ops.GREATER_OR_EQUAL, List.of(out, ctx.constant("head/threshold",
        loss.threshold())), "head/positive", Map.of());
    ONNXRef<?> c = ctx.operation(Ops.CAST, List.of(positive), "head/class", Map.of("to", DataType.INT64.getNumber()));
    return ctx.operation(Ops.RESHAPE, List.of(c, ctx.array("head/rows", new long[] {-1})), "head/class_index",
        Map.of());
  }
}
