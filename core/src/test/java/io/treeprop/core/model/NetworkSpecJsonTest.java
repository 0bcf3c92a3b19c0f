package io.treeprop.core.model;

import io.treeprop.core.param.ParamLayout;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.treeprop.core.init.Initializer;
import io.treeprop.core.layer.ActivationFunction;
import io.treeprop.core.layer.DenseLayer;
import io.treeprop.core.layer.LayerSpec;
import io.treeprop.core.tensor.Shape;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Network specs in JSON: round trips, hand-written documents, error messages, compilation and layout. */
class NetworkSpecJsonTest {

  private static NetworkSpec roundTrip(NetworkSpec spec) {
    String text = Json.write(spec);
    NetworkSpec back = Json.read(text, NetworkSpec.class, "spec");
    assertEquals(spec, back, () -> "round trip changed the spec; JSON was:\n" + text);
    assertEquals(text, Json.write(back), "writing the parsed spec must give the same JSON");
    return back;
  }

  private static JsonNode firstLayer(NetworkSpec spec) throws Exception {
    return Json.mapper().readTree(Json.write(spec)).get("layers").get(0);
  }

  private static String error(String json) {
    return assertThrows(IllegalArgumentException.class, () -> Json.read(json, NetworkSpec.class, "spec"))
        .getMessage();
  }

  private static void assertContains(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), () -> "expected \"" + p + "\" in: " + message);
    }
  }

  static Stream<Arguments> initializers() {
    return Stream.of(
        Arguments.of(new Initializer.Zeros(), "zeros"),
        Arguments.of(new Initializer.Constant(0.25f), "constant"),
        Arguments.of(new Initializer.Uniform(-0.05f, 0.05f), "uniform"),
        Arguments.of(new Initializer.Normal(0.5f, 0.01f), "normal"),
        Arguments.of(new Initializer.HeNormal(), "he_normal"),
        Arguments.of(new Initializer.HeUniform(), "he_uniform"),
        Arguments.of(new Initializer.XavierNormal(), "xavier_normal"),
        Arguments.of(new Initializer.XavierUniform(), "xavier_uniform"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("initializers")
  void denseWithEveryInitializerRoundTrips(Initializer init, String type) throws Exception {
    NetworkSpec spec = NetworkSpec.input(4).add(new LayerSpec.Dense(6, init, false));
    NetworkSpec back = roundTrip(spec);
    assertEquals(type, firstLayer(spec).get("init").get("type").asText());
    assertEquals(init, ((LayerSpec.Dense) back.layers().get(0)).init());
  }

  @ParameterizedTest
  @EnumSource(ActivationFunction.class)
  void everyActivationFunctionRoundTripsUnderItsJsonName(ActivationFunction f) throws Exception {
    NetworkSpec spec = NetworkSpec.input(3).dense(2).activation(f);
    roundTrip(spec);
    JsonNode layer = Json.mapper().readTree(Json.write(spec)).get("layers").get(1);
    assertEquals("activation", layer.get("type").asText());
    assertEquals(f.jsonName(), layer.get("function").asText());
    assertNull(layer.get("alpha"), "no alpha is written when none was given");
  }

  @ParameterizedTest
  @EnumSource(value = ActivationFunction.class, names = {"LEAKY_RELU", "ELU"})
  void alphaOfLeakyReluAndEluRoundTrips(ActivationFunction f) throws Exception {
    NetworkSpec spec = NetworkSpec.input(3).add(new LayerSpec.Activation(f, 0.3f));
    NetworkSpec back = roundTrip(spec);
    assertEquals(0.3f, ((LayerSpec.Activation) back.layers().get(0)).effectiveAlpha());
    assertEquals(0.3, firstLayer(spec).get("alpha").asDouble(), 1e-7);
  }

  @Test
  void dropoutDenseVariantsAndImageInputRoundTrip() {
    roundTrip(NetworkSpec.input(1, 28, 28).dense(10).dropout(0.5f).dropout(0f).softmax());
    roundTrip(NetworkSpec.input(5).add(new LayerSpec.Dense(4, null, true)).add(new LayerSpec.Dense(2, null, false)));
    assertNotEquals(new LayerSpec.Dense(4, null, true), new LayerSpec.Dense(4, null, null),
        "explicit bias=true is kept, not folded into the default");
  }

  @Test
  void handWrittenDocumentParsesToTheExpectedSpec() {
    String json = """
        {
          "input": [1, 28, 28],
          "layers": [
            {"type": "dense", "units": 128, "init": {"type": "uniform", "low": -0.1, "high": 0.1}},
            {"type": "activation", "function": "leaky_relu", "alpha": 0.2},
            {"type": "dropout", "rate": 0.25},
            {"type": "dense", "units": 10, "bias": false},
            {"type": "activation", "function": "softmax"}
          ]
        }
        """;
    NetworkSpec expected = new NetworkSpec(Shape.image(1, 28, 28), List.of(
        new LayerSpec.Dense(128, new Initializer.Uniform(-0.1f, 0.1f), null),
        new LayerSpec.Activation(ActivationFunction.LEAKY_RELU, 0.2f),
        new LayerSpec.Dropout(0.25f),
        new LayerSpec.Dense(10, null, false),
        new LayerSpec.Activation(ActivationFunction.SOFTMAX)));

    NetworkSpec spec = Json.read(json, NetworkSpec.class, "spec");

    assertEquals(expected, spec);
    assertEquals(784 * 128 + 128 + 128 * 10, spec.compile().layout().paramCount(), "second dense has no bias");
  }

  @Test
  void negativeUnitsNameTheLayerTheKeyAndTheValue() {
    assertContains(error("{\"input\": [4], \"layers\": [{\"type\": \"dense\", \"units\": -5}]}"),
        "spec", "layers[0]", "units", "-5", "positive");
  }

  @Test
  void unknownLayerTypeListsTheKnownOnes() {
    assertContains(error("{\"input\": [4], \"layers\": [{\"type\": \"lstm\", \"units\": 5}]}"),
        "layers[0]", "lstm", "dense", "activation", "dropout", "conv2d", "max_pool2d", "flatten");
  }

  @Test
  void unknownKeyInsideALayerIsNamedWithItsPath() {
    assertContains(error("{\"input\": [4], \"layers\": [{\"type\": \"dense\", \"units\": 5, \"activation\": 1}]}"),
        "layers[0].activation", "Unrecognized");
  }

  @Test
  void alphaOnReluIsRejected() {
    assertContains(error("{\"input\": [4], \"layers\": [{\"type\": \"dense\", \"units\": 5},"
        + " {\"type\": \"activation\", \"function\": \"relu\", \"alpha\": 0.1}]}"),
        "layers[1]", "alpha", "leaky_relu and elu", "not relu");
  }

  @Test
  void missingInputIsRejected() {
    assertContains(error("{\"layers\": [{\"type\": \"dense\", \"units\": 5}]}"), "network.input is required");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[2, 3]", "[]", "[1, 2, 3, 4]"})
  void inputShapeOfOtherThanOneOrThreeDimensionsIsRejected(String shape) {
    assertContains(error("{\"input\": " + shape + ", \"layers\": [{\"type\": \"dense\", \"units\": 5}]}"),
        "at input", "1 dimension [features] or 3 [channels, height, width]");
  }

  @Test
  void missingUnitsIsRejectedRatherThanDefaultedToZero() {
    assertContains(error("{\"input\": [4], \"layers\": [{\"type\": \"dense\"}]}"), "layers[0].units",
        "a required number is missing");
  }

  @Test
  void denseLooksPastDropoutForItsActivationWhenPickingTheInitializer() {
    Network net = NetworkSpec.input(4).dense(8).dropout(0.5f).relu().dense(2).compile();
    assertInstanceOf(Initializer.HeNormal.class, net.layout().paramBlocks().get(0).init());
  }

  @Test
  void fractionalUnitsAreRejectedRatherThanTruncated() {
    assertContains(error("{\"input\": [4], \"layers\": [{\"type\": \"dense\", \"units\": 5.5}]}"),
        "layers[0].units", "5.5");
  }

  @Test
  void duplicateKeyIsRejectedRatherThanLastOneWinning() {
    assertContains(error("{\"input\": [4], \"layers\": [{\"type\": \"dense\", \"units\": 5, \"units\": 6}]}"),
        "Duplicate field 'units'");
  }

  @Test
  void invalidInitializerNamesItsPathAndRule() {
    assertContains(error("{\"input\": [4], \"layers\": [{\"type\": \"dense\", \"units\": 5,"
        + " \"init\": {\"type\": \"uniform\", \"low\": 1, \"high\": 0}}]}"),
        "layers[0].init", "uniform.low (1.0) must be below uniform.high (0.0)");
  }

  @Test
  void layersWithMismatchedShapesNameTheLayerAndBothShapes() {
    DenseLayer first = new DenseLayer(Shape.vector(4), 8, new Initializer.Zeros(), true);
    DenseLayer second = new DenseLayer(Shape.vector(5), 3, new Initializer.Zeros(), true);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Network(Shape.vector(4), List.of(first, second)));
    assertEquals("layer 1 expects input [5] but receives [8]", e.getMessage());
  }

  @Test
  void specWithoutLayersDoesNotCompile() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NetworkSpec.input(4).compile());
    assertContains(e.getMessage(), "network.layers is empty");
  }

  @Test
  void denseNetworkLayoutHasExpectedBlocksOffsetsAndCounts() {
    Network net = NetworkSpec.input(784).dense(256).relu().dense(10).softmax().compile();
    ParamLayout layout = net.layout();

    assertEquals(784 * 256 + 256 + 256 * 10 + 10, layout.paramCount());
    assertEquals(203_530, layout.paramCount());
    assertEquals(0, layout.stateCount());
    List<ParamLayout.Block> blocks = layout.paramBlocks();
    assertEquals(List.of("0/W", "0/b", "2/W", "2/b"), blocks.stream().map(ParamLayout.Block::name).toList());
    assertBlock(blocks.get(0), ParamLayout.Kind.WEIGHT, 0, new int[] {784, 256}, 784, 256);
    assertBlock(blocks.get(1), ParamLayout.Kind.BIAS, 200_704, new int[] {256}, 1, 1);
    assertBlock(blocks.get(2), ParamLayout.Kind.WEIGHT, 200_960, new int[] {256, 10}, 256, 10);
    assertBlock(blocks.get(3), ParamLayout.Kind.BIAS, 203_520, new int[] {10}, 1, 1);
    assertArrayEquals(new int[] {0, 200_960, 200_960, 203_530},
        new int[] {net.paramOffset(0), net.paramOffset(1), net.paramOffset(2), net.paramOffset(3)});
    assertEquals(Shape.vector(10), net.outputShape());
  }

  private static void assertBlock(ParamLayout.Block b, ParamLayout.Kind kind, int offset, int[] shape, int fanIn,
      int fanOut) {
    assertEquals(kind, b.kind(), b.name());
    assertEquals(offset, b.offset(), b.name());
    assertArrayEquals(shape, b.shape(), b.name());
    assertEquals(java.util.Arrays.stream(shape).reduce(1, (p, q) -> p * q), b.size(), b.name());
    assertEquals(fanIn, b.fanIn(), b.name());
    assertEquals(fanOut, b.fanOut(), b.name());
  }

  @Test
  void biasesStartAtZeroAndWeightsDoNot() {
    Network net = NetworkSpec.input(20).dense(30).relu().dense(5).softmax().compile();
    float[] p = net.initParams(3);
    for (ParamLayout.Block b : net.layout().paramBlocks()) {
      boolean anyNonZero = false;
      for (int i = b.offset(); i < b.offset() + b.size(); i++) {
        anyNonZero |= p[i] != 0f;
      }
      assertEquals(b.kind() == ParamLayout.Kind.WEIGHT, anyNonZero, b.name());
    }
  }

  @ParameterizedTest
  @EnumSource(value = ActivationFunction.class, names = {"RELU", "LEAKY_RELU", "ELU"})
  void denseBeforeARectifierDefaultsToHe(ActivationFunction f) {
    Network net = NetworkSpec.input(8).dense(4).activation(f).compile();
    assertInstanceOf(Initializer.HeNormal.class, net.layout().paramBlocks().get(0).init());
  }

  @ParameterizedTest
  @EnumSource(value = ActivationFunction.class, names = {"SOFTMAX", "TANH", "SIGMOID", "IDENTITY"})
  void denseBeforeANonRectifierDefaultsToXavier(ActivationFunction f) {
    Network net = NetworkSpec.input(8).dense(4).activation(f).compile();
    assertInstanceOf(Initializer.XavierUniform.class, net.layout().paramBlocks().get(0).init());
  }

  @Test
  void defaultInitDependsOnlyOnTheNextLayerAndExplicitInitWins() {
    Network net = NetworkSpec.input(8).dense(6).sigmoid().dense(4).relu()
        .add(new LayerSpec.Dense(3, new Initializer.Constant(0.5f), null)).relu().dense(2).compile();
    List<ParamLayout.Block> weights = net.layout().paramBlocks().stream()
        .filter(b -> b.kind() == ParamLayout.Kind.WEIGHT).toList();
    assertInstanceOf(Initializer.XavierUniform.class, weights.get(0).init(), "followed by sigmoid");
    assertInstanceOf(Initializer.HeNormal.class, weights.get(1).init());
    assertEquals(new Initializer.Constant(0.5f), weights.get(2).init());
    assertInstanceOf(Initializer.XavierUniform.class, weights.get(3).init(), "last layer");
  }
}
