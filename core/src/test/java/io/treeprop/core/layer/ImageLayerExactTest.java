package io.treeprop.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.init.Initializer;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.model.Workspace;
import io.treeprop.core.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-computed outputs and gradients of the image layers; their JSON specs and shape errors. */
class ImageLayerExactTest {
  private static final float[] ONE_TO_NINE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

  private static float[] run(LayerSpec spec, Shape in, float[] params, float[] x, float[] dy, float[] dx,
      float[] grad) {
    Network net = new Network(in, List.of(spec.compile(in, null)));
    Workspace ws = net.newWorkspace(1, true);
    System.arraycopy(x, 0, ws.input(), 0, x.length);
    float[] y = net.forward(ws, params, new float[0], 1, true, 0L).clone();
    if (dy != null) {
      System.arraycopy(dy, 0, ws.delta(0), 0, dy.length);
      net.backward(ws, grad, 1);
      System.arraycopy(ws.inputGradient(), 0, dx, 0, dx.length);
    }
    return y;
  }

  @Test
  void globalAveragePoolingTakesEachChannelsMean() {
    // two channels of a 3x3 image: 1..9 (mean 5) and 1..9 doubled (mean 10)
    float[] x = new float[18];
    for (int i = 0; i < 9; i++) {
      x[i] = ONE_TO_NINE[i];
      x[9 + i] = 2 * ONE_TO_NINE[i];
    }
    float[] dx = new float[18];
    Shape in = Shape.image(2, 3, 3);
    LayerSpec spec = io.treeprop.core.model.Json.read("{\"type\": \"global_avg_pool\"}", LayerSpec.class, "spec");
    assertEquals(Shape.image(2, 1, 1), spec.compile(in, null).outputShape());
    float[] y = run(spec, in, new float[0], x, new float[] {9, 18}, dx, new float[0]);
    assertArrayEquals(new float[] {5, 10}, y, 1e-6f);
    for (int i = 0; i < 9; i++) {
      assertEquals(1f, dx[i], 1e-6f, "dy / 9 to every pixel of channel 0");
      assertEquals(2f, dx[9 + i], 1e-6f);
    }
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> spec.compile(Shape.vector(4), null));
    assertTrue(e.getMessage().startsWith("global_avg_pool needs an image input"), e.getMessage());
  }

  @Test
  void convolutionOfAThreeByThreeImageWithStrideAndPadding() {
    // W = [[1, 0], [0, -1]], b = 0.5: y = x[top-left] - x[bottom-right] + 0.5
    float[] params = {1, 0, 0, -1, 0.5f};
    Shape in = Shape.image(1, 3, 3);
    float[] valid = run(new Conv2dSpec(1, 2), in, params, ONE_TO_NINE, null, null, null);
    assertArrayEquals(new float[] {-3.5f, -3.5f, -3.5f, -3.5f}, valid, 0f);
    // stride 2, padding 1: windows at rows/cols {-1, 0} and {1, 2}
    Conv2dSpec strided = new Conv2dSpec(1, Size2.of(2), Size2.of(2), new Padding(Size2.of(1)), null, null);
    float[] dx = new float[9];
    float[] grad = new float[5];
    float[] y = run(strided, in, params, ONE_TO_NINE, new float[] {1, 1, 1, 1}, dx, grad);
    assertArrayEquals(new float[] {-0.5f, -2.5f, -6.5f, -3.5f}, y, 0f);
    // dW[i][j] = Σ over windows of x at kernel position (i, j): (0,0) sees only x=5; (1,1) sees 1+3+7+9
    assertArrayEquals(new float[] {5, 4 + 6, 2 + 8, 20, 4}, grad, 0f);
    // dx: +1 where a window's top-left lands (x[1][1]), -1 where a bottom-right lands (corners)
    assertArrayEquals(new float[] {-1, 0, -1, 0, 1, 0, -1, 0, -1}, dx, 0f);
  }

  @Test
  void poolingOfAFourByFourImage() {
    Shape in = Shape.image(1, 4, 4);
    float[] x = new float[16];
    for (int i = 0; i < 16; i++) {
      x[i] = i + 1;
    }
    float[] dx = new float[16];
    float[] max = run(new PoolSpec.MaxPool2d(2), in, new float[0], x, new float[] {1, 2, 3, 4}, dx, new float[0]);
    assertArrayEquals(new float[] {6, 8, 14, 16}, max, 0f);
    assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4}, dx, 0f);
    float[] avg = run(new PoolSpec.AvgPool2d(2), in, new float[0], x, new float[] {4, 4, 4, 4}, dx, new float[0]);
    assertArrayEquals(new float[] {3.5f, 5.5f, 11.5f, 13.5f}, avg, 0f);
    float[] ones = new float[16];
    java.util.Arrays.fill(ones, 1f);
    assertArrayEquals(ones, dx, 0f);
    float[] flat = run(new PoolSpec.Flatten(), in, new float[0], x, null, null, null);
    assertArrayEquals(x, flat, 0f);
  }

  @Test
  void specsRoundTripThroughJson() {
    String json = "{\"type\":\"conv2d\",\"filters\":8,\"kernel\":[3,5],\"stride\":2,\"padding\":[1,2],"
        + "\"bias\":false}";
    LayerSpec s = Json.read(json, LayerSpec.class, "layer");
    assertEquals(new Conv2dSpec(8, new Size2(3, 5), Size2.of(2), new Padding(new Size2(1, 2)), false, null), s);
    assertEquals(s, Json.read(Json.writeCompact(s), LayerSpec.class, "layer"));
    assertEquals(Padding.SAME,
        ((Conv2dSpec) Json.read("{\"type\":\"conv2d\",\"filters\":1,\"kernel\":3,\"padding\":\"same\"}",
            LayerSpec.class, "layer")).padding());
    assertEquals(new PoolSpec.MaxPool2d(Size2.of(2), null, null),
        Json.read("{\"type\":\"max_pool2d\",\"kernel\":2}", LayerSpec.class, "layer"));
    assertEquals(new PoolSpec.Flatten(), Json.read("{\"type\":\"flatten\"}", LayerSpec.class, "layer"));
    assertEquals(new Conv2dTransposeSpec(4, Size2.of(3), Size2.of(2), Size2.of(1), Size2.of(1), null, null),
        Json.read("{\"type\":\"conv2d_transpose\",\"filters\":4,\"kernel\":3,\"stride\":2,\"padding\":1,"
            + "\"outputPadding\":1}", LayerSpec.class, "layer"));
    assertEquals(new PoolSpec.Upsample(new Size2(2, 3)),
        Json.read("{\"type\":\"upsample\",\"factor\":[2,3]}", LayerSpec.class, "layer"));
    assertEquals(new BatchNormSpec(0.01f, null),
        Json.read("{\"type\":\"batch_norm\",\"momentum\":0.01}", LayerSpec.class, "layer"));
    NetworkSpec net = new NetworkSpec(Shape.image(1, 8, 8), List.of(new Conv2dSpec(4, 3), new PoolSpec.AvgPool2d(2),
        new PoolSpec.Flatten(), new LayerSpec.Dense(2)));
    assertEquals(net, Json.read(Json.write(net), NetworkSpec.class, "network"));
  }

  @Test
  void badSpecsAndShapesNameTheLayerTheValueAndTheRule() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new NetworkSpec(Shape.image(1, 3, 3), List.of(new Conv2dSpec(2, 5))).compile());
    assertContains(e, "network.layers[0]: conv2d.kernel 5x5 does not fit input 3x3 with padding 0x0");
    e = assertThrows(IllegalArgumentException.class,
        () -> new NetworkSpec(Shape.vector(9), List.of(new PoolSpec.MaxPool2d(2))).compile());
    assertContains(e, "max_pool2d needs an image input [channels, height, width], receives [9]");
    e = assertThrows(IllegalArgumentException.class, () -> new Conv2dSpec(2, Size2.of(3), Size2.of(2),
        Padding.SAME, null, null).window());
    assertContains(e, "conv2d.padding \"same\" needs stride 1 and an odd kernel, not stride 2x2 and kernel 3x3");
    e = assertThrows(IllegalArgumentException.class, () -> new PoolSpec.AvgPool2d(Size2.of(2), null, Size2.of(2)));
    assertContains(e, "avg_pool2d.padding (2x2) must be >= 0 and at most half the kernel (2x2)");
    e = assertThrows(IllegalArgumentException.class, () -> new NetworkSpec(Shape.image(1, 3, 3),
        List.of(new Conv2dTransposeSpec(1, Size2.of(3), Size2.of(2), null, Size2.of(2), null, null))).compile());
    assertContains(e, "conv2d_transpose.outputPadding (2x2) must be >= 0 and below the stride (2x2)");
    e = assertThrows(IllegalArgumentException.class, () -> new PoolSpec.Upsample(Size2.of(0)));
    assertContains(e, "upsample.factor (0x0) is required and must be a positive integer or [height, width]");
    e = assertThrows(IllegalArgumentException.class, () -> new BatchNormSpec(0f, null));
    assertContains(e, "batch_norm.momentum (0.0) must be in (0, 1]");
    e = assertThrows(IllegalArgumentException.class, () -> new Conv2dSpec(0, 3));
    assertContains(e, "conv2d.filters (0) must be a positive integer");
    e = assertThrows(IllegalArgumentException.class, () -> Json.read(
        "{\"type\":\"conv2d\",\"filters\":2,\"kernel\":3,\"padding\":\"full\"}", LayerSpec.class, "layer"));
    assertContains(e, "padding \"full\" must be \"valid\", \"same\", an integer or [height, width]");
    e = assertThrows(IllegalArgumentException.class, () -> Json.read(
        "{\"type\":\"conv2d\",\"filters\":2,\"kernel\":3,\"dilation\":2}", LayerSpec.class, "layer"));
    assertContains(e, "dilation");
  }

  @Test
  void batchNormStatesAreNamedAndConvThroughBatchNormToReluGetsHe() {
    Network net = new NetworkSpec(Shape.image(1, 6, 6), List.of(new Conv2dSpec(4, 3), new BatchNormSpec(),
        new LayerSpec.Activation(ActivationFunction.RELU))).compile();
    assertInstanceOf(Initializer.HeNormal.class, net.layout().paramBlocks().get(0).init());
    assertEquals(List.of("0/W", "0/b", "1/gamma", "1/beta"),
        net.layout().paramBlocks().stream().map(b -> b.name()).toList());
    assertEquals(List.of("1/running_mean", "1/running_var"),
        net.layout().stateBlocks().stream().map(b -> b.name()).toList());
    assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1, 1}, net.initState(), 0f);
  }

  @Test
  void weightLayersGetHeThroughPoolingAndDropoutBeforeARectifier() {
    Network net = new NetworkSpec(Shape.image(1, 8, 8), List.of(new Conv2dSpec(2, 3), new PoolSpec.MaxPool2d(2),
        new LayerSpec.Dropout(0.1f), new LayerSpec.Activation(ActivationFunction.RELU), new Conv2dSpec(2, 3),
        new LayerSpec.Activation(ActivationFunction.TANH))).compile();
    assertInstanceOf(Initializer.HeNormal.class, net.layout().paramBlocks().get(0).init());
    assertInstanceOf(Initializer.XavierUniform.class, net.layout().paramBlocks().get(2).init());
    assertEquals("0/W", net.layout().paramBlocks().get(0).name());
    assertArrayEquals(new int[] {2, 1, 3, 3}, net.layout().paramBlocks().get(0).shape());
    assertEquals(9, net.layout().paramBlocks().get(0).fanIn());
  }

  private static void assertContains(Exception e, String part) {
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
