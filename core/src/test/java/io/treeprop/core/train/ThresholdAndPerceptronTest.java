package io.treeprop.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.layer.ActivationFunction;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Updater;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The classic first lessons: logic gates from threshold units, the perceptron rule, and XOR. */
class ThresholdAndPerceptronTest {
  private static final float[] TWO_INPUTS = {0, 0, 0, 1, 1, 0, 1, 1};

  private static float[] sigmoidUnit(float bias, float w1, float w2) {
    // dense params: W [2, 1] then b [1]
    Model m = new Model(NetworkSpec.input(2).dense(1).sigmoid(), new float[] {w1, w2, bias}, null);
    return m.predict(TWO_INPUTS, 4);
  }

  private static void assertLogic(float[] expected, float[] actual) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-4, "row " + i);
    }
  }

  @Test
  void sigmoidUnitsWithTextbookWeightsComputeAndOrNot() {
    assertLogic(new float[] {0, 0, 0, 1}, sigmoidUnit(-30, 20, 20)); // AND: σ(−30 + 20x₁ + 20x₂)
    assertLogic(new float[] {0, 1, 1, 1}, sigmoidUnit(-10, 20, 20)); // OR:  σ(−10 + 20x₁ + 20x₂)
    Model not = new Model(NetworkSpec.input(1).dense(1).sigmoid(), new float[] {-20, 10}, null); // NOT: σ(10 − 20x)
    assertLogic(new float[] {1, 0}, not.predict(new float[] {0, 1}, 2));
  }

  @Test
  void stepUnitsComputeAndOrNot() {
    NetworkSpec unit = NetworkSpec.input(2).dense(1).activation(ActivationFunction.STEP);
    assertArrayEquals(new float[] {0, 0, 0, 1}, new Model(unit, new float[] {1, 1, -1.5f}, null).predict(TWO_INPUTS, 4));
    assertArrayEquals(new float[] {0, 1, 1, 1}, new Model(unit, new float[] {1, 1, -0.5f}, null).predict(TWO_INPUTS, 4));
    NetworkSpec one = NetworkSpec.input(1).dense(1).activation(ActivationFunction.STEP);
    assertArrayEquals(new float[] {1, 0}, new Model(one, new float[] {-1, 0.5f}, null).predict(new float[] {0, 1}, 2));
  }

  @Test
  void perceptronRuleSeparatesALinearlySeparableSet() {
    int n = 200;
    SplittableRandom rng = new SplittableRandom(1);
    float[] x = new float[2 * n];
    float[] t = new float[n];
    for (int i = 0; i < n; i++) {
      float a;
      float b;
      do {
        a = (float) rng.nextDouble(-1, 1);
        b = (float) rng.nextDouble(-1, 1);
      } while (Math.abs(a + 2 * b - 0.3f) < 0.05f); // keep a margin around the line a + 2b = 0.3
      x[2 * i] = a;
      x[2 * i + 1] = b;
      t[i] = a + 2 * b > 0.3f ? 1 : 0;
    }
    Perceptron.Result r = new Perceptron(0.1f, 1000).fit(x, t, n, 2, 3);
    assertTrue(r.converged(), "no mistakes in the last epoch, got " + r.errors());
    assertArrayEquals(t, r.model().predict(x, n), 0f);
  }

  @Test
  void perceptronRuleCannotFitXor() {
    float[] xor = {0, 1, 1, 0};
    Perceptron.Result r = new Perceptron(0.1f, 500).fit(TWO_INPUTS, xor, 4, 2, 3);
    assertFalse(r.converged());
    assertEquals(500, r.epochs());
    float[] predicted = r.model().predict(TWO_INPUTS, 4);
    int wrong = 0;
    for (int i = 0; i < 4; i++) {
      wrong += predicted[i] != xor[i] ? 1 : 0;
    }
    assertTrue(wrong >= 1, "a single threshold unit gets at least one XOR row wrong");
  }

  @Test
  void twoLayerMlpLearnsXor() {
    float[] xor = {0, 1, 1, 0};
    TrainConfig cfg = new TrainConfig(1500, 4, 5, new Updater(new Optimizers.Adam(0.05f)), 0, null);
    Model m = new LocalTrainer(cfg).fit(NetworkSpec.input(2).dense(4).tanh().dense(1).sigmoid(),
        new Losses.BinaryCrossEntropy(), new Dataset(TWO_INPUTS, xor, 4, 2, 1), null);
    float[] p = m.predict(TWO_INPUTS, 4);
    for (int i = 0; i < 4; i++) {
      assertEquals(xor[i], p[i], 0.1, "row " + i + " predicted " + p[i]);
    }
    assertArrayEquals(new int[] {0, 1, 1, 0}, m.predictClasses(TWO_INPUTS, 4));
  }
}
