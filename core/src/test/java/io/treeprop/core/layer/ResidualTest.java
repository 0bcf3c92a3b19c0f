package io.treeprop.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.check.GradientCheck;
import io.treeprop.core.init.Initializer;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.model.Workspace;
import io.treeprop.core.param.ParamLayout;
import io.treeprop.core.tensor.Shape;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Residual blocks: nested parameter names, exact sums, gradients with identity and projection shortcuts. */
class ResidualTest {
  private static final LayerSpec TANH = new LayerSpec.Activation(ActivationFunction.TANH);

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("identity shortcut, dense inner layers, tanh after the sum", NetworkSpec.input(4).dense(4)
            .add(new ResidualSpec(List.of(new LayerSpec.Dense(3), TANH, new LayerSpec.Dense(4)),
                ActivationFunction.TANH)).dense(2)),
        Arguments.of("dense projection (4 -> 3), no activation", NetworkSpec.input(4)
            .add(new ResidualSpec(List.of(new LayerSpec.Dense(3), TANH), null)).dense(2)),
        Arguments.of("1x1 convolution projection with stride 2, batch norm inside", new NetworkSpec(
            Shape.image(2, 5, 5), List.of(new ResidualSpec(List.of(
                new Conv2dSpec(3, Size2.of(3), Size2.of(2), new Padding(Size2.of(1)), null, null),
                new BatchNormSpec(), TANH, new Conv2dSpec(3, Size2.of(3), null, Padding.SAME, false, null)),
                ActivationFunction.TANH)))),
        Arguments.of("two identity blocks in a row on an image", new NetworkSpec(Shape.image(2, 4, 4), List.of(
            new ResidualSpec(List.of(new Conv2dSpec(2, Size2.of(3), null, Padding.SAME, null, null)),
                ActivationFunction.TANH),
            new ResidualSpec(List.of(new Conv2dSpec(2, Size2.of(3), null, Padding.SAME, null, null)),
                ActivationFunction.TANH)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(String name, NetworkSpec spec) {
    Network net = spec.compile();
    SplittableRandom rng = new SplittableRandom(3);
    float[] params = net.initParams(9);
    for (int i = 0; i < params.length; i++) {
      params[i] += (float) (0.1 * rng.nextGaussian());
    }
    int batch = 3;
    float[] x = new float[batch * net.inputShape().size()];
    float[] y = new float[batch * net.outputShape().size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) rng.nextGaussian();
    }
    GradientCheck.Result r = new GradientCheck().check(net, new Losses.Mse(), params, net.initState(), x, y, batch,
        1L);
    assertTrue(r.passed(), name + ": " + r);
  }

  @Test
  void innerBlocksAreNamedInTheBlockScopeAndTheShortcutLast() {
    Network net = new NetworkSpec(Shape.image(1, 6, 6), List.of(new Conv2dSpec(2, 1),
        new ResidualSpec(List.of(new Conv2dSpec(4, Size2.of(3), Size2.of(2), new Padding(Size2.of(1)), null, null),
            new BatchNormSpec()), ActivationFunction.RELU), new PoolSpec.Flatten(), new LayerSpec.Dense(2))).compile();
    List<ParamLayout.Block> blocks = net.layout().paramBlocks();
    assertEquals(List.of("0/W", "0/b", "1/0/W", "1/0/b", "1/1/gamma", "1/1/beta", "1/shortcut/W", "3/W", "3/b"),
        blocks.stream().map(ParamLayout.Block::name).toList());
    assertEquals(List.of("1/1/running_mean", "1/1/running_var"),
        net.layout().stateBlocks().stream().map(ParamLayout.Block::name).toList());
    assertArrayEquals(new int[] {4, 2, 1, 1}, blocks.get(6).shape());
    assertEquals(net.paramOffset(1), blocks.get(2).offset());
    // conv -> batch_norm -> (block activation) relu gets He
    assertInstanceOf(Initializer.HeNormal.class, blocks.get(2).init());
    assertEquals(Shape.image(4, 3, 3), net.layers().get(1).outputShape());
  }

  @Test
  void identityBlockAddsItsInputToTheInnerOutput() {
    // inner: dense with W = 2·I, b = 1  =>  y = relu(2x + 1 + x)
    Network net = NetworkSpec.input(2).add(new ResidualSpec(List.of(new LayerSpec.Dense(2)),
        ActivationFunction.RELU)).compile();
    Workspace ws = net.newWorkspace(2, false);
    System.arraycopy(new float[] {1, -2, 0.5f, 3}, 0, ws.input(), 0, 4);
    float[] y = net.forward(ws, new float[] {2, 0, 0, 2, 1, 1}, new float[0], 2, false, 0L);
    assertArrayEquals(new float[] {4, 0, 2.5f, 10}, java.util.Arrays.copyOf(y, 4), 0f);
  }

  @Test
  void specRoundTripsAndShortcutsFollowTheShapes() {
    String json = "{\"type\":\"residual\",\"layers\":[{\"type\":\"conv2d\",\"filters\":4,\"kernel\":3,"
        + "\"padding\":\"same\"},{\"type\":\"batch_norm\"}],\"activation\":\"relu\"}";
    LayerSpec s = Json.read(json, LayerSpec.class, "layer");
    assertEquals(s, Json.read(Json.writeCompact(s), LayerSpec.class, "layer"));
    // 6x6 -> valid 5x5 conv -> 2x2: the projection is a 1x1 convolution with stride 3
    Network net = new NetworkSpec(Shape.image(1, 6, 6), List.of(new ResidualSpec(List.of(new Conv2dSpec(2, 5)),
        null))).compile();
    assertEquals("0/shortcut/W", net.layout().paramBlocks().get(2).name());
    assertEquals(Shape.image(2, 2, 2), net.outputShape());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NetworkSpec(Shape.image(1, 3, 3),
        List.of(new ResidualSpec(List.of(new Conv2dSpec(2, 5)), null))).compile());
    assertTrue(e.getMessage().contains("network.layers[0]: residual.layers[0]: conv2d.kernel 5x5 does not fit"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ResidualSpec(List.of(), null));
    assertTrue(e.getMessage().contains("residual.layers must list at least one layer"), e.getMessage());
  }
}
