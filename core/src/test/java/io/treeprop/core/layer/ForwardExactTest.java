package io.treeprop.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.model.Workspace;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Forward passes against hand-computed numbers. */
class ForwardExactTest {
  private static final float TOL = 1e-6f;

  private static float[] run(NetworkSpec spec, float[] params, float[] x, int batch, boolean training, long seed) {
    Network net = spec.compile();
    Workspace ws = net.newWorkspace(batch, false);
    System.arraycopy(x, 0, ws.input(), 0, x.length);
    float[] out = net.forward(ws, params, net.initState(), batch, training, seed);
    return Arrays.copyOf(out, batch * net.outputShape().size());
  }

  private static float[] activate(ActivationFunction f, Float alpha, float... x) {
    NetworkSpec spec = new NetworkSpec(io.treeprop.core.tensor.Shape.vector(x.length),
        java.util.List.of(new LayerSpec.Activation(f, alpha)));
    return run(spec, new float[0], x, 1, false, 0);
  }

  @Test
  void denseComputesXTimesWPlusBias() {
    // W: [in=2, out=3] row-major, b: [3]
    float[] params = {1, 2, 3, 4, 5, 6, 0.5f, -1, 0};
    // row 1: x=[1, 2]:  [1*1+2*4, 1*2+2*5, 1*3+2*6] + b = [9.5, 11, 15]
    // row 2: x=[-1, 0]: [-1, -2, -3] + b = [-0.5, -3, -3]
    float[] y = run(NetworkSpec.input(2).dense(3), params, new float[] {1, 2, -1, 0}, 2, false, 0);
    assertArrayEquals(new float[] {9.5f, 11, 15, -0.5f, -3, -3}, y, TOL);
  }

  @Test
  void activationsMatchTheirFormulas() {
    assertArrayEquals(new float[] {0.5f, 0.7310586f, 0.26894143f},
        activate(ActivationFunction.SIGMOID, null, 0, 1, -1), TOL);
    assertArrayEquals(new float[] {0f, 0.46211716f, -0.9640276f},
        activate(ActivationFunction.TANH, null, 0, 0.5f, -2), TOL);
    assertArrayEquals(new float[] {0f, 0f, 2.5f}, activate(ActivationFunction.RELU, null, -1, 0, 2.5f), TOL);
    assertArrayEquals(new float[] {-0.2f, 3f}, activate(ActivationFunction.LEAKY_RELU, 0.1f, -2, 3), TOL);
    assertArrayEquals(new float[] {-0.02f}, activate(ActivationFunction.LEAKY_RELU, null, -2), TOL);
    // elu(-1) = 1 * (e^-1 - 1); elu(-1, alpha 2) = 2 * (e^-1 - 1)
    assertArrayEquals(new float[] {-0.63212056f, 1.5f}, activate(ActivationFunction.ELU, null, -1, 1.5f), TOL);
    assertArrayEquals(new float[] {-1.2642411f}, activate(ActivationFunction.ELU, 2f, -1), TOL);
    // softplus(0) = ln 2; softplus(100) = 100 without overflow; softplus(-100) = e^-100
    assertArrayEquals(new float[] {0.6931472f, 100f, 0f}, activate(ActivationFunction.SOFTPLUS, null, 0, 100, -100),
        TOL);
    assertArrayEquals(new float[] {-3f, 7f}, activate(ActivationFunction.IDENTITY, null, -3, 7), TOL);
    // softmax([1, 2, 3]) = e^i / (e + e^2 + e^3)
    assertArrayEquals(new float[] {0.09003057f, 0.24472847f, 0.66524096f},
        activate(ActivationFunction.SOFTMAX, null, 1, 2, 3), TOL);
    // softmax is shift-invariant and stays finite for huge logits
    assertArrayEquals(new float[] {0.09003057f, 0.24472847f, 0.66524096f},
        activate(ActivationFunction.SOFTMAX, null, 1001, 1002, 1003), TOL);
    assertArrayEquals(new float[] {-1f, 1f, 1f}, activate(ActivationFunction.SIGN, null, -0.1f, 0, 2), TOL);
    assertArrayEquals(new float[] {0f, 1f, 1f}, activate(ActivationFunction.STEP, null, -0.1f, 0, 2), TOL);
  }

  @Test
  void softmaxRowsAreIndependent() {
    NetworkSpec spec = NetworkSpec.input(2).softmax();
    float[] y = run(spec, new float[0], new float[] {0, 0, 0, 10}, 2, false, 0);
    assertArrayEquals(new float[] {0.5f, 0.5f, 4.5397872e-5f, 0.9999546f}, y, TOL);
  }

  @Test
  void dropoutIsIdentityInInferenceAndInvertedInTraining() {
    NetworkSpec spec = NetworkSpec.input(1000).dropout(0.25f);
    float[] x = new float[1000];
    Arrays.fill(x, 2f);
    assertArrayEquals(x, run(spec, new float[0], x, 1, false, 7), 0f);
    float[] y = run(spec, new float[0], x, 1, true, 7);
    int kept = 0;
    for (float v : y) {
      assertTrue(v == 0f || Math.abs(v - 2f / 0.75f) < TOL, "a unit is either dropped or scaled by 1/(1-rate): " + v);
      kept += v != 0f ? 1 : 0;
    }
    assertTrue(kept > 700 && kept < 800, "about 75% of 1000 units are kept, got " + kept);
    assertArrayEquals(y, run(spec, new float[0], x, 1, true, 7), 0f, "same seed, same mask");
    assertNotEquals(Arrays.toString(y), Arrays.toString(run(spec, new float[0], x, 1, true, 8)),
        "another seed, another mask");
  }

  @Test
  void noiseCorruptsOnlyInTraining() {
    float[] x = new float[2000];
    Arrays.fill(x, 1f);
    NetworkSpec masking = NetworkSpec.input(2000).add(new LayerSpec.Noise(NoiseLayer.Kind.MASKING, 0.3f));
    assertArrayEquals(x, run(masking, new float[0], x, 1, false, 1), 0f);
    float[] m = run(masking, new float[0], x, 1, true, 1);
    int zeros = 0;
    for (float v : m) {
      assertTrue(v == 0f || v == 1f, "masking keeps values unscaled: " + v);
      zeros += v == 0f ? 1 : 0;
    }
    assertTrue(zeros > 520 && zeros < 680, "about 30% of 2000 values masked, got " + zeros);
    NetworkSpec gaussian = NetworkSpec.input(2000).add(new LayerSpec.Noise(NoiseLayer.Kind.GAUSSIAN, 0.5f));
    float[] g = run(gaussian, new float[0], x, 1, true, 1);
    double mean = 0;
    double var = 0;
    for (float v : g) {
      mean += (v - 1) / g.length;
      var += (v - 1) * (v - 1) / g.length;
    }
    assertEquals(0, mean, 0.05, "noise has mean 0");
    assertEquals(0.25, var, 0.03, "noise has variance 0.5^2");
    assertArrayEquals(x, run(gaussian, new float[0], x, 1, false, 1), 0f);
  }

  @Test
  void thresholdUnitsHaveNoGradient() {
    Network net = NetworkSpec.input(2).dense(1).activation(ActivationFunction.STEP).compile();
    assertEquals(false, net.trainable());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new io.treeprop.core.train.LocalTrainer(io.treeprop.core.train.TrainConfig.defaults()).fit(
            NetworkSpec.input(2).dense(1).activation(ActivationFunction.STEP), new io.treeprop.core.loss.Losses.Mse(),
            new io.treeprop.core.train.Dataset(new float[] {0, 1}, new float[] {1}, 1, 2, 1), null));
    assertTrue(e.getMessage().contains("layers[1]") && e.getMessage().contains("threshold"), e.getMessage());
  }

  @Test
  void reluPassesTheGradientExactlyWhereTheInputIsPositive() {
    float[] x = {-2f, -0f, 0f, Float.MIN_VALUE, 1e-30f, 3f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        -Float.MIN_VALUE};
    float[] dy = {1f, 2f, 3f, 4f, -5f, 6f, 7f, 8f, 9f};
    NetworkSpec spec = new NetworkSpec(io.treeprop.core.tensor.Shape.vector(x.length),
        java.util.List.of(new LayerSpec.Activation(ActivationFunction.RELU, null)));
    Network net = spec.compile();
    Workspace ws = net.newWorkspace(1, true);
    System.arraycopy(x, 0, ws.input(), 0, x.length);
    net.forward(ws, new float[0], net.initState(), 1, true, 0);
    System.arraycopy(dy, 0, ws.delta(0), 0, dy.length);
    net.backward(ws, new float[0], 1);
    float[] expected = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      expected[i] = x[i] > 0 ? dy[i] : 0f;
    }
    assertArrayEquals(expected, Arrays.copyOf(ws.inputGradient(), x.length), 0f);
  }
}
