package io.treeprop.core.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.check.GradientCheck;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.tensor.Shape;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Finite differences agree with backpropagation for the image layers and batch norm in several configurations. */
class ImageLayerGradientTest {
  private static final int BATCH = 3;
  private static final LayerSpec TANH_SPEC = new LayerSpec.Activation(ActivationFunction.TANH);

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("conv 1 channel 3x3 valid", new NetworkSpec(Shape.image(1, 5, 5),
            List.of(new Conv2dSpec(2, 3)))),
        Arguments.of("conv 3 channels odd 7x6 stride 2 padding 1", new NetworkSpec(Shape.image(3, 7, 6),
            List.of(new Conv2dSpec(4, Size2.of(3), Size2.of(2), new Padding(Size2.of(1)), null, null)))),
        Arguments.of("conv rectangular kernel [2,3] stride [1,2] padding [1,0]",
            new NetworkSpec(Shape.image(2, 6, 5), List.of(new Conv2dSpec(3, new Size2(2, 3), new Size2(1, 2),
                new Padding(new Size2(1, 0)), null, null)))),
        Arguments.of("conv 1x1 without bias", new NetworkSpec(Shape.image(4, 3, 3),
            List.of(new Conv2dSpec(3, Size2.of(1), null, null, false, null)))),
        Arguments.of("conv 5x5 same", new NetworkSpec(Shape.image(2, 6, 7),
            List.of(new Conv2dSpec(2, Size2.of(5), null, Padding.SAME, null, null)))),
        Arguments.of("max pool 2", new NetworkSpec(Shape.image(2, 5, 5), List.of(new PoolSpec.MaxPool2d(2)))),
        Arguments.of("max pool 3 stride 2 padding 1", new NetworkSpec(Shape.image(3, 7, 6),
            List.of(new PoolSpec.MaxPool2d(Size2.of(3), Size2.of(2), Size2.of(1))))),
        Arguments.of("avg pool 2", new NetworkSpec(Shape.image(2, 5, 5), List.of(new PoolSpec.AvgPool2d(2)))),
        Arguments.of("global avg pool of a 3x4 image, then dense", new NetworkSpec(Shape.image(3, 3, 4),
            List.of(new PoolSpec.GlobalAvgPool(), new LayerSpec.Dense(2)))),
        Arguments.of("avg pool 3 stride 2 padding 1", new NetworkSpec(Shape.image(3, 7, 6),
            List.of(new PoolSpec.AvgPool2d(Size2.of(3), Size2.of(2), Size2.of(1))))),
        Arguments.of("transposed conv 3x3 stride 2 padding 1 output padding 1", new NetworkSpec(
            Shape.image(3, 3, 4), List.of(new Conv2dTransposeSpec(2, Size2.of(3), Size2.of(2), Size2.of(1),
                Size2.of(1), null, null)))),
        Arguments.of("transposed conv rectangular kernel, 1 channel, no bias", new NetworkSpec(
            Shape.image(1, 3, 3), List.of(new Conv2dTransposeSpec(3, new Size2(2, 3), new Size2(2, 1), null, null,
                false, null)))),
        Arguments.of("upsample [2, 3]", new NetworkSpec(Shape.image(2, 2, 3),
            List.of(new PoolSpec.Upsample(new Size2(2, 3))))),
        Arguments.of("decoder: conv, max pool, upsample, transposed conv", new NetworkSpec(Shape.image(1, 6, 6),
            List.of(new Conv2dSpec(2, Size2.of(3), null, Padding.SAME, null, null), TANH_SPEC,
                new PoolSpec.MaxPool2d(2), new PoolSpec.Upsample(Size2.of(2)),
                new Conv2dTransposeSpec(1, Size2.of(3), null, Size2.of(1), null, null, null)))),
        Arguments.of("dropout, masking noise and leaky ReLU on an image", new NetworkSpec(Shape.image(2, 4, 4),
            List.of(new Conv2dSpec(3, Size2.of(3), null, Padding.SAME, null, null), new LayerSpec.Dropout(0.3f),
                new LayerSpec.Noise(NoiseLayer.Kind.MASKING, 0.2f),
                new LayerSpec.Activation(ActivationFunction.LEAKY_RELU, 0.1f), new PoolSpec.AvgPool2d(2)))),
        Arguments.of("batch norm after dense, training statistics", NetworkSpec.input(4).dense(3)
            .add(new BatchNormSpec()).tanh().dense(2)),
        Arguments.of("batch norm per channel after conv, training statistics", new NetworkSpec(
            Shape.image(2, 4, 5), List.of(new Conv2dSpec(3, Size2.of(3), null, Padding.SAME, null, null),
                new BatchNormSpec(0.2f, 1e-3f), new LayerSpec.Activation(ActivationFunction.TANH)))),
        // average pooling here: a first-layer weight moves every window of a max pool at once, so nearly every
        // coordinate of a deep stack straddles an argmax switch (max pooling is checked on its own above)
        Arguments.of("small CNN: conv, tanh, avg pool, conv, flatten, dense", new NetworkSpec(Shape.image(2, 8, 8),
            List.of(new Conv2dSpec(3, Size2.of(3), null, Padding.SAME, null, null),
                new LayerSpec.Activation(ActivationFunction.TANH), new PoolSpec.AvgPool2d(2),
                new Conv2dSpec(2, Size2.of(3), Size2.of(2), new Padding(Size2.of(1)), null, null),
                new PoolSpec.Flatten(), new LayerSpec.Dense(3)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(String name, NetworkSpec spec) {
    GradientCheck.Result r = check(spec.compile());
    assertTrue(r.passed(), name + ": " + r);
    assertTrue(r.compared() > 0, name + ": nothing compared");
  }

  @Test
  void checkFailsOnAConvolutionWithAWrongGradient() {
    Network net = new NetworkSpec(Shape.image(1, 4, 4), List.of(new Conv2dSpec(2, 3))).compile();
    Layer conv = net.layers().get(0);
    Layer broken = new Layer() {
      @Override
      public Shape inputShape() {
        return conv.inputShape();
      }

      @Override
      public Shape outputShape() {
        return conv.outputShape();
      }

      @Override
      public void declare(io.treeprop.core.param.ParamLayout.Builder layout) {
        conv.declare(layout);
      }

      @Override
      public void forward(Frame f) {
        conv.forward(f);
      }

      @Override
      public void backward(Frame f) {
        conv.backward(f);
        f.grad()[f.paramOffset() + 3] *= 1.5f;
      }
    };
    GradientCheck.Result r = check(new Network(net.inputShape(), List.of(broken)));
    assertFalse(r.passed(), r.toString());
    assertEquals("0/W[3]", r.worst());
  }

  private static GradientCheck.Result check(Network net) {
    SplittableRandom rng = new SplittableRandom(17);
    float[] params = net.initParams(5);
    for (int i = 0; i < params.length; i++) {
      params[i] += (float) (0.1 * rng.nextGaussian());
    }
    float[] x = new float[BATCH * net.inputShape().size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    float[] y = new float[BATCH * net.outputShape().size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) rng.nextGaussian();
    }
    return new GradientCheck().check(net, new Losses.Mse(), params, net.initState(), x, y, BATCH, 1L);
  }
}
