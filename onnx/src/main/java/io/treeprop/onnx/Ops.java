package io.treeprop.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

/**
 * The ONNX operators the exporter writes, all from the default domain at opset {@value #OPSET}. Tribuo's own
 * {@code ONNXOperators} lacks the convolution, pooling, normalization and most activation operators; its
 * {@link ONNXOperator} interface lets us declare them, so Tribuo's builder still checks every node's inputs, outputs
 * and attributes against these declarations.
 */
enum Ops implements ONNXOperator {
  GEMM("Gemm", 2, 1, Map.of("alpha", AttributeType.FLOAT, "beta", AttributeType.FLOAT, "transA", AttributeType.INT,
      "transB", AttributeType.INT)),
  CONV("Conv", 2, 1, window()),
  CONV_TRANSPOSE("ConvTranspose", 2, 1, with(window(), "output_padding", AttributeType.INTS)),
  MAX_POOL("MaxPool", 1, 0, window()),
  AVERAGE_POOL("AveragePool", 1, 0, with(window(), "count_include_pad", AttributeType.INT)),
  BATCH_NORMALIZATION("BatchNormalization", 5, 0, Map.of("epsilon", AttributeType.FLOAT)),
  RESIZE("Resize", 1, 3, Map.of("mode", AttributeType.STRING, "coordinate_transformation_mode", AttributeType.STRING,
      "nearest_mode", AttributeType.STRING)),
  RESHAPE("Reshape", 2, 0, Map.of()),
  FLATTEN("Flatten", 1, 0, Map.of("axis", AttributeType.INT)),
  ADD("Add", 2, 0, Map.of()),
  SUB("Sub", 2, 0, Map.of()),
  MUL("Mul", 2, 0, Map.of()),
  DIV("Div", 2, 0, Map.of()),
  IDENTITY("Identity", 1, 0, Map.of()),
  SIGMOID("Sigmoid", 1, 0, Map.of()),
  TANH("Tanh", 1, 0, Map.of()),
  RELU("Relu", 1, 0, Map.of()),
  LEAKY_RELU("LeakyRelu", 1, 0, Map.of("alpha", AttributeType.FLOAT)),
  ELU("Elu", 1, 0, Map.of("alpha", AttributeType.FLOAT)),
  SOFTPLUS("Softplus", 1, 0, Map.of()),
  SOFTMAX("Softmax", 1, 0, Map.of("axis", AttributeType.INT)),
  GREATER_OR_EQUAL("GreaterOrEqual", 2, 0, Map.of()),
  WHERE("Where", 3, 0, Map.of()),
  CAST("Cast", 1, 0, Map.of("to", AttributeType.INT)),
  CONCAT("Concat", ONNXAttribute.VARIADIC_INPUT, 0, Map.of("axis", AttributeType.INT)),
  ARG_MAX("ArgMax", 1, 0, Map.of("axis", AttributeType.INT, "keepdims", AttributeType.INT));

  /** The opset every operator is declared for. */
  static final int OPSET = 13;

  private final String name;
  private final int inputs;
  private final int optionalInputs;
  private final Map<String, ONNXAttribute> attributes;

  Ops(String name, int inputs, int optionalInputs, Map<String, AttributeType> attributes) {
    this.name = name;
    this.inputs = inputs;
    this.optionalInputs = optionalInputs;
    Map<String, ONNXAttribute> a = new LinkedHashMap<>();
    attributes.forEach((k, t) -> a.put(k, new ONNXAttribute(k, t, false)));
    this.attributes = Collections.unmodifiableMap(a);
  }

  private static Map<String, AttributeType> window() {
    return Map.of("kernel_shape", AttributeType.INTS, "strides", AttributeType.INTS, "pads", AttributeType.INTS);
  }

  private static Map<String, AttributeType> with(Map<String, AttributeType> m, String key, AttributeType t) {
    Map<String, AttributeType> r = new LinkedHashMap<>(m);
    r.put(key, t);
    return r;
  }

  @Override
  public String getOpName() {
    return name;
  }

  @Override
  public int getNumInputs() {
    return inputs;
  }

  @Override
  public int getNumOptionalInputs() {
    return optionalInputs;
  }

  @Override
  public int getNumOutputs() {
    return 1;
  }

  @Override
  public Map<String, ONNXAttribute> getAttributes() {
    return attributes;
  }

  @Override
  public Set<String> getMandatoryAttributeNames() {
    return Set.of();
  }

  @Override
  public int getOpVersion() {
    return OPSET;
  }

  @Override
  public String getOpDomain() {
    return "";
  }
}
