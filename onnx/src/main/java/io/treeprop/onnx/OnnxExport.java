package io.treeprop.onnx;

import ai.onnx.proto.OnnxMl;
import io.treeprop.core.loss.Loss;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.Network;
import io.treeprop.core.tensor.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Exports a Treeprop model as an ONNX model (opset {@value #OPSET}) that computes what {@link Model#predict}
 * computes, in inference mode, from raw features: the model's input scaling is the graph's first nodes.
 *
 * <pre>
 * input   features     float32 [batch, inputs]     raw features, as Treeprop reads a row (images flattened NCHW)
 * output  output       float32 [batch, outputs]    the network's outputs (an image output flattened NCHW)
 * classifiers only (multiclass loss, or binary loss with one output):
 * output  probability  float32 [batch, classes]    the class probabilities treeprop score writes
 * output  class_index  int64   [batch]             the predicted class index (argmax, or output ≥ threshold)
 * </pre>
 *
 * The model's class names, when it has them, are in the ONNX metadata property {@code labels} (a JSON list, by
 * class index). Every layer Treeprop has is exported (see {@link LayerGraph}); a layer of another kind is an
 * {@link IllegalArgumentException} naming it.
 */
public final class OnnxExport {
  /** The graph's input. */
  public static final String INPUT = "features";
  /** The network's outputs. */
  public static final String OUTPUT = "output";
  /** A classifier's class probabilities. */
  public static final String PROBABILITY = "probability";
  /** A classifier's predicted class index. */
  public static final String CLASS_INDEX = "class_index";
  /** The ONNX operator set the graph uses. */
  public static final int OPSET = Ops.OPSET;
  /** The ONNX IR version written (the one that goes with opset 13). */
  static final int IR_VERSION = 7;

  private OnnxExport() {}

  /** Whether the export of {@code model} has the classifier outputs {@value #PROBABILITY} and {@value #CLASS_INDEX}. */
  public static boolean classifier(Model model) {
    return Heads.classifier(model.loss(), model.network().outputShape().size());
  }

  /** The ONNX model of {@code model}, with the scaling stored in its metadata. */
  public static byte[] toBytes(Model model) {
    return toBytes(model, InputScaling.fromMetadata(model.metadata()));
  }

  /** The ONNX model of {@code model} with the given input scaling. */
  public static byte[] toBytes(Model model, InputScaling scaling) {
    return build(model.network(), model.params(), model.state(), model.loss(), model.labels(), scaling)
        .toByteArray();
  }

  /**
   * Builds the ONNX model of a compiled network.
   *
   * @param loss decides the classifier outputs; null for none
   * @throws IllegalArgumentException for a layer that has no ONNX form, or a scaling that does not fit
   */
  static OnnxMl.ModelProto build(Network net, float[] params, float[] state, Loss loss, List<String> labels,
      InputScaling scaling) {
    Shape in = net.inputShape();
    int outputs = net.outputShape().size();
    scaling.check(in.size());
    ONNXContext ctx = new ONNXContext();
    ctx.setName("treeprop");
    ONNXRef<?> x = scaling.write(ctx, ctx.floatInput(INPUT, in.size()));
    if (in.isImage()) {
      x = ctx.operation(Ops.RESHAPE, List.of(x, ctx.array("input/shape", new long[] {-1, in.channels(), in.height(),
          in.width()})), "input/image", Map.of());
    }
    LayerGraph g = new LayerGraph(ctx, net.layout(), params, state);
    Tensor y = g.flat(g.sequence(net.sequence(), new Tensor(x, in), "", "network.layers"), "output/");
    y.ref().assignTo(ctx.floatOutput(OUTPUT, outputs));
    ONNXRef<?> classIndex = null;
    if (Heads.classifier(loss, outputs)) {
      int classes = loss.task() == Loss.Task.MULTICLASS ? outputs : 2;
      Heads.probability(ctx, net, loss, y.ref()).assignTo(ctx.floatOutput(PROBABILITY, classes));
      classIndex = Heads.classIndex(ctx, loss, y.ref());
    }
    OnnxMl.GraphProto.Builder graph = ctx.buildGraph().toBuilder();
    if (classIndex != null) {
      addInt64Output(graph, classIndex.getReference(), CLASS_INDEX);
    }
    OnnxMl.ModelProto.Builder m = OnnxMl.ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("treeprop")
        .setDomain("io.treeprop")
        .setModelVersion(1)
        .setDocString("A Treeprop network in inference mode; input \"" + INPUT + "\" takes raw features.")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(Ops.OPSET))
        .setGraph(graph);
    if (labels != null && !labels.isEmpty()) {
      m.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey("labels").setValue(
          Json.writeCompact(labels)));
    }
    return m.build();
  }

  private static void addInt64Output(OnnxMl.GraphProto.Builder graph, String from, String name) {
    graph.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").setName(name).addInput(from).addOutput(name));
    OnnxMl.TensorShapeProto shape = OnnxMl.TensorShapeProto.newBuilder()
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch")).build();
    graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxMl.TensorProto.DataType.INT64.getNumber())
            .setShape(shape))));
  }

  /**
   * Writes the ONNX model of {@code model} (scaling from its metadata) to {@code file}: built in full first, then
   * written to a temporary sibling and renamed into place, so a failure leaves no partial file.
   *
   * @throws IllegalArgumentException when {@code file} exists and {@code overwrite} is false, or the model cannot
   *     be exported
   */
  public static void write(Model model, Path file, boolean overwrite) throws IOException {
    Path target = file.toAbsolutePath();
    if (Files.isDirectory(target)) {
      throw new IllegalArgumentException("ONNX file " + target + " is a directory; give a file name such as "
          + "model.onnx");
    }
    if (Files.exists(target) && !overwrite) {
      throw new IllegalArgumentException("ONNX file " + target + " already exists; choose another path or allow "
          + "overwriting");
    }
    byte[] bytes = toBytes(model);
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".tmp-", "");
    try {
      try (OutputStream o = Files.newOutputStream(tmp)) {
        o.write(bytes);
      }
      try { // createTempFile makes it owner-only; a model file is for serving processes too
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException notPosix) {
        // other file systems keep their defaults
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
