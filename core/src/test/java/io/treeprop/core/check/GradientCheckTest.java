package io.treeprop.core.check;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.layer.ActivationFunction;
import io.treeprop.core.layer.Frame;
import io.treeprop.core.layer.Layer;
import io.treeprop.core.layer.LayerSpec;
import io.treeprop.core.loss.Loss;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Central differences agree with backpropagation for every layer, activation and loss. */
class GradientCheckTest {
  private static final int BATCH = 4;
  private static final int IN = 5;

  /** One case: a network ending in what is under test, a loss, and how to make targets. */
  record Case(String name, NetworkSpec spec, Loss loss, TargetKind targets) {
    @Override
    public String toString() {
      return name;
    }
  }

  enum TargetKind {
    REAL,
    /** Far from the prediction: the linear regime of smooth L1. */
    REAL_FAR,
    BINARY,
    CLASS
  }

  static Stream<Arguments> cases() {
    List<Case> cases = new ArrayList<>();
    NetworkSpec base = NetworkSpec.input(IN).dense(4);
    for (ActivationFunction f : ActivationFunction.values()) {
      if (!f.differentiable()) {
        continue;
      }
      cases.add(new Case("activation " + f.jsonName(), base.activation(f).dense(3), new Losses.Mse(),
          TargetKind.REAL));
    }
    cases.add(new Case("activation leaky_relu alpha 0.3",
        base.add(new LayerSpec.Activation(ActivationFunction.LEAKY_RELU, 0.3f)).dense(3), new Losses.Mse(),
        TargetKind.REAL));
    cases.add(new Case("activation elu alpha 0.5",
        base.add(new LayerSpec.Activation(ActivationFunction.ELU, 0.5f)).dense(3), new Losses.Mse(),
        TargetKind.REAL));
    cases.add(new Case("softmax as the last layer (not fused)", base.softmax(), new Losses.Mse(), TargetKind.REAL));
    cases.add(new Case("dense without bias", NetworkSpec.input(IN).add(new LayerSpec.Dense(3, null, false)),
        new Losses.Mse(), TargetKind.REAL));
    cases.add(new Case("dropout", base.tanh().dropout(0.4f).dense(3), new Losses.Mse(), TargetKind.REAL));
    cases.add(new Case("masking noise", base.tanh().add(new LayerSpec.Noise(
        io.treeprop.core.layer.NoiseLayer.Kind.MASKING, 0.3f)).dense(3), new Losses.Mse(), TargetKind.REAL));
    cases.add(new Case("gaussian noise", base.tanh().add(new LayerSpec.Noise(
        io.treeprop.core.layer.NoiseLayer.Kind.GAUSSIAN, 0.5f)).dense(3), new Losses.Mse(), TargetKind.REAL));
    NetworkSpec three = base.tanh().dense(3);
    cases.add(new Case("loss mse", three, new Losses.Mse(), TargetKind.REAL));
    cases.add(new Case("loss mae", three, new Losses.Mae(), TargetKind.REAL));
    cases.add(new Case("loss smooth_l1 quadratic", three, new Losses.SmoothL1(5f), TargetKind.REAL));
    cases.add(new Case("loss smooth_l1 linear", three, new Losses.SmoothL1(0.5f), TargetKind.REAL_FAR));
    cases.add(new Case("loss binary_cross_entropy fused with sigmoid", three.sigmoid(),
        new Losses.BinaryCrossEntropy(), TargetKind.BINARY));
    cases.add(new Case("loss binary_cross_entropy on probabilities", three.sigmoid()
        .activation(ActivationFunction.IDENTITY), new Losses.BinaryCrossEntropy(), TargetKind.BINARY));
    cases.add(new Case("loss categorical_cross_entropy fused with softmax", three.softmax(),
        new Losses.CategoricalCrossEntropy(), TargetKind.CLASS));
    cases.add(new Case("loss categorical_cross_entropy on probabilities", three.softmax()
        .activation(ActivationFunction.IDENTITY), new Losses.CategoricalCrossEntropy(), TargetKind.CLASS));
    cases.add(new Case("loss margin", three, new Losses.MulticlassMargin(), TargetKind.CLASS));
    cases.add(new Case("loss hinge", three, new Losses.Hinge(), TargetKind.BINARY));
    cases.add(new Case("loss perceptron", three, new Losses.Perceptron(), TargetKind.BINARY));
    return cases.stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void backpropagationMatchesFiniteDifferences(Case c) {
    Network net = c.spec().compile();
    SplittableRandom rng = new SplittableRandom(11);
    float[] params = net.initParams(3);
    float[] x = randoms(rng, BATCH * IN, 1.0);
    float[] y = targets(c, net.outputShape().size(), rng);
    GradientCheck.Result r = new GradientCheck().check(net, c.loss(), params, net.initState(), x, y, BATCH, 99);
    assertTrue(r.passed(), c.name() + ": " + r);
    int coordinates = params.length + x.length;
    assertTrue(r.kinks() <= coordinates / 20, c.name() + ": too many coordinates at kinks: " + r);
  }

  @Test
  void aWrongGradientFailsTheCheck() {
    Shape in = Shape.vector(IN);
    Layer dense = new LayerSpec.Dense(4).compile(in, null);
    List<Layer> layers = List.of(dense, new SigmoidMissingAFactor(Shape.vector(4)),
        new LayerSpec.Dense(2).compile(Shape.vector(4), null));
    Network net = new Network(in, layers);
    SplittableRandom rng = new SplittableRandom(5);
    float[] x = randoms(rng, BATCH * IN, 1.0);
    float[] y = randoms(rng, BATCH * 2, 1.0);
    GradientCheck.Result r = new GradientCheck().check(net, new Losses.Mse(), net.initParams(1), new float[0], x, y,
        BATCH, 0);
    assertFalse(r.passed(), "a sigmoid whose derivative lacks the (1 − y) factor must fail: " + r);
    assertTrue(r.maxRelativeError() > 0.1, r.toString());
  }

  /** A deliberately wrong layer: sigmoid forward, derivative y instead of y(1 − y). */
  private record SigmoidMissingAFactor(Shape shape) implements Layer {
    @Override
    public Shape inputShape() {
      return shape;
    }

    @Override
    public Shape outputShape() {
      return shape;
    }

    @Override
    public void forward(Frame f) {
      for (int i = 0; i < f.batch() * shape.size(); i++) {
        f.out()[i] = (float) (1 / (1 + Math.exp(-f.in()[i])));
      }
    }

    @Override
    public void backward(Frame f) {
      for (int i = 0; i < f.batch() * shape.size(); i++) {
        f.dIn()[i] = f.dOut()[i] * f.out()[i];
      }
    }
  }

  private static float[] targets(Case c, int dim, SplittableRandom rng) {
    return switch (c.targets()) {
      case REAL -> randoms(rng, BATCH * dim, 1.0);
      case REAL_FAR -> {
        float[] y = randoms(rng, BATCH * dim, 1.0);
        for (int i = 0; i < y.length; i++) {
          y[i] += y[i] >= 0 ? 4 : -4;
        }
        yield y;
      }
      case BINARY -> {
        float[] y = new float[BATCH * dim];
        for (int i = 0; i < y.length; i++) {
          y[i] = i % 2;
        }
        yield y;
      }
      case CLASS -> {
        float[] y = new float[BATCH];
        for (int i = 0; i < y.length; i++) {
          y[i] = i % dim;
        }
        yield y;
      }
    };
  }

  private static float[] randoms(SplittableRandom rng, int n, double scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (rng.nextDouble(-1, 1) * scale);
    }
    return a;
  }
}
