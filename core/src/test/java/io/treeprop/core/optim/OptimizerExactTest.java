package io.treeprop.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.model.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * First update steps of every optimizer against numbers worked out by hand from the formulas in the
 * {@link Optimizer} javadoc, plus JSON round trips, JSON defaults and validation messages.
 */
class OptimizerExactTest {
  private static final float TOL = 1e-6f;
  private static final int[] NO_DECAY = {};

  /** Runs one update with the optimizer's own rate at 1-based step {@code t}. */
  private static void step(Optimizer opt, float[] w, float[] g, OptimizerState s, long t, int[] decay) {
    opt.updateInPlace(w, g.clone(), s.slots(), opt.learningRate(), t, decay);
  }

  @Test
  void sgdSubtractsLearningRateTimesGradient() {
    Optimizer opt = new Optimizers.Sgd(0.1f);
    OptimizerState s = opt.newState(3);
    float[] w = {1f, -2f, 0.5f};
    step(opt, w, new float[] {0.5f, -1f, 2f}, s, 1, NO_DECAY);
    // w = [1 - 0.1*0.5, -2 - 0.1*(-1), 0.5 - 0.1*2] = [0.95, -1.9, 0.3]
    assertArrayEquals(new float[] {0.95f, -1.9f, 0.3f}, w, TOL);
    step(opt, w, new float[] {1f, 0f, -0.5f}, s, 2, NO_DECAY);
    // w = [0.95 - 0.1, -1.9 - 0, 0.3 + 0.05] = [0.85, -1.9, 0.35]
    assertArrayEquals(new float[] {0.85f, -1.9f, 0.35f}, w, TOL);
  }

  @Test
  void momentumAccumulatesVelocityAndKeepsMovingOnZeroGradient() {
    Optimizer opt = new Optimizers.Momentum(0.1f, 0.9f);
    OptimizerState s = opt.newState(2);
    float[] w = {1f, -2f};
    step(opt, w, new float[] {0.5f, -1f}, s, 1, NO_DECAY);
    // Δ = 0 - 0.1*[0.5, -1] = [-0.05, 0.1]; w = [0.95, -1.9]
    assertArrayEquals(new float[] {0.95f, -1.9f}, w, TOL);
    assertArrayEquals(new float[] {-0.05f, 0.1f}, s.slots()[0], TOL);
    step(opt, w, new float[] {1f, 2f}, s, 2, NO_DECAY);
    // Δ = 0.9*[-0.05, 0.1] - 0.1*[1, 2] = [-0.045-0.1, 0.09-0.2] = [-0.145, -0.11]; w = [0.805, -2.01]
    assertArrayEquals(new float[] {0.805f, -2.01f}, w, TOL);
    step(opt, w, new float[] {0f, 0f}, s, 3, NO_DECAY);
    // Δ = 0.9*[-0.145, -0.11] = [-0.1305, -0.099]; w = [0.6745, -2.109]
    assertArrayEquals(new float[] {0.6745f, -2.109f}, w, TOL);
  }

  @Test
  void nesterovAppliesTheLookAheadCorrection() {
    Optimizer opt = new Optimizers.Nesterov(0.1f, 0.9f);
    OptimizerState s = opt.newState(2);
    float[] w = {1f, -2f};
    step(opt, w, new float[] {0.5f, -1f}, s, 1, NO_DECAY);
    // Δ' = [-0.05, 0.1]; w += -0.9*0 + 1.9*Δ' = [-0.095, 0.19] -> [0.905, -1.81]
    assertArrayEquals(new float[] {0.905f, -1.81f}, w, TOL);
    step(opt, w, new float[] {1f, 2f}, s, 2, NO_DECAY);
    // Δ = [-0.05, 0.1]; Δ' = [-0.145, -0.11]; w += -0.9*Δ + 1.9*Δ' = [0.045-0.2755, -0.09-0.209]
    //   = [-0.2305, -0.299] -> [0.6745, -2.109]
    assertArrayEquals(new float[] {0.6745f, -2.109f}, w, TOL);
    step(opt, w, new float[] {0f, 0f}, s, 3, NO_DECAY);
    // Δ = [-0.145, -0.11]; Δ' = [-0.1305, -0.099]; w += [0.1305-0.24795, 0.099-0.1881] = [-0.11745, -0.0891]
    //   -> [0.55705, -2.1981]
    assertArrayEquals(new float[] {0.55705f, -2.1981f}, w, TOL);
  }

  @Test
  void adaGradDividesByTheRootOfTheSummedSquares() {
    Optimizer opt = new Optimizers.AdaGrad(0.1f, 1e-8f);
    OptimizerState s = opt.newState(2);
    float[] w = {1f, -2f};
    step(opt, w, new float[] {3f, -4f}, s, 1, NO_DECAY);
    // G = [9, 16]; w -= 0.1*[3/3, -4/4] = [0.1, -0.1] -> [0.9, -1.9]
    assertArrayEquals(new float[] {0.9f, -1.9f}, w, TOL);
    step(opt, w, new float[] {4f, 3f}, s, 2, NO_DECAY);
    // G = [9+16, 16+9] = [25, 25]; w -= 0.1*[4/5, 3/5] = [0.08, 0.06] -> [0.82, -1.96]
    assertArrayEquals(new float[] {0.82f, -1.96f}, w, TOL);
    assertArrayEquals(new float[] {25f, 25f}, s.slots()[0], TOL);
  }

  @Test
  void adaGradAddsEpsilonOutsideTheSquareRoot() {
    Optimizer opt = new Optimizers.AdaGrad(0.1f, 1f);
    OptimizerState s = opt.newState(2);
    float[] w = {1f, -2f};
    step(opt, w, new float[] {3f, -4f}, s, 1, NO_DECAY);
    // w -= 0.1*[3/(3+1), -4/(4+1)] = [0.075, -0.08] -> [0.925, -1.92]   (inside the root: 3/√10 ≠ 0.75)
    assertArrayEquals(new float[] {0.925f, -1.92f}, w, TOL);
  }

  @Test
  void rmsPropUsesAnExponentialAverageOfSquares() {
    Optimizer opt = new Optimizers.RmsProp(0.01f, 0.9f, 1e-8f);
    OptimizerState s = opt.newState(2);
    float[] w = {1f, -2f};
    step(opt, w, new float[] {1f, -2f}, s, 1, NO_DECAY);
    // E = 0.1*[1, 4] = [0.1, 0.4]; g/√E = [1/0.3162278, -2/0.6324555] = [3.162278, -3.162278]
    // w = [1 - 0.03162278, -2 + 0.03162278] = [0.9683772, -1.9683772]
    assertArrayEquals(new float[] {0.9683772f, -1.9683772f}, w, TOL);
    assertArrayEquals(new float[] {0.1f, 0.4f}, s.slots()[0], TOL);
    step(opt, w, new float[] {0.5f, 1f}, s, 2, NO_DECAY);
    // E = 0.9*[0.1, 0.4] + 0.1*[0.25, 1] = [0.115, 0.46]; √E = [0.3391165, 0.6782330]
    // g/√E = [0.5/0.3391165, 1/0.6782330] = [1.4744196, 1.4744196]
    // w = [0.9683772 - 0.0147442, -1.9683772 - 0.0147442] = [0.9536330, -1.9831214]
    assertArrayEquals(new float[] {0.9536330f, -1.9831214f}, w, TOL);
  }

  @Test
  void adamMatchesTwoBiasCorrectedSteps() {
    Optimizer opt = new Optimizers.Adam(0.1f, 0.9f, 0.999f, 1e-8f);
    OptimizerState s = opt.newState(3);
    float[] w = {1f, -2f, 0.5f};
    step(opt, w, new float[] {0.5f, -1f, 2f}, s, 1, NO_DECAY);
    // m = 0.1*g = [0.05, -0.1, 0.2]; v = 0.001*g² = [0.00025, 0.001, 0.004]
    // m̂ = m/0.1 = g; v̂ = v/0.001 = g²; w -= 0.1*g/|g| -> [0.9, -1.9, 0.4]
    assertArrayEquals(new float[] {0.9f, -1.9f, 0.4f}, w, TOL);
    assertArrayEquals(new float[] {0.05f, -0.1f, 0.2f}, s.slots()[0], TOL);
    assertArrayEquals(new float[] {0.00025f, 0.001f, 0.004f}, s.slots()[1], TOL);
    step(opt, w, new float[] {1f, 1f, -2f}, s, 2, NO_DECAY);
    // m = 0.9*m + 0.1*g = [0.045+0.1, -0.09+0.1, 0.18-0.2] = [0.145, 0.01, -0.02]
    // v = 0.999*v + 0.001*g² = [0.00024975+0.001, 0.000999+0.001, 0.003996+0.004] = [0.00124975, 0.001999, 0.007996]
    // 1-β1² = 0.19, 1-β2² = 0.001999; m̂ = [0.7631579, 0.0526316, -0.1052632]; v̂ = [0.6251876, 1, 4]
    // m̂/√v̂ = [0.7631579/0.7906881, 0.0526316/1, -0.1052632/2] = [0.9651820, 0.0526316, -0.0526316]
    // w = [0.9 - 0.0965182, -1.9 - 0.0052632, 0.4 + 0.0052632] = [0.8034818, -1.9052632, 0.4052632]
    assertArrayEquals(new float[] {0.8034818f, -1.9052632f, 0.4052632f}, w, TOL);
  }

  @Test
  void adamFirstStepMovesEachWeightByTheLearningRate() {
    Optimizer opt = new Optimizers.Adam();
    float[] w = {0f, 0f, 0f, 0f};
    // Bias correction makes m̂ = g and v̂ = g² at t = 1, so |Δw| = α whatever |g| is (|g| ≫ ε).
    step(opt, w, new float[] {1e-3f, -50f, 0.2f, 7f}, opt.newState(4), 1, NO_DECAY);
    assertArrayEquals(new float[] {-0.001f, 0.001f, -0.001f, -0.001f}, w, 1e-7f);
  }

  @Test
  void adamWShrinksOnlyTheDecayedRangesBeforeTheAdamStep() {
    Optimizer opt = new Optimizers.AdamW(0.1f, 0.9f, 0.999f, 1e-8f, 0.1f);
    OptimizerState s = opt.newState(3);
    float[] w = {1f, -2f, 0.5f};
    int[] decay = {0, 2};
    step(opt, w, new float[] {0.5f, -1f, 2f}, s, 1, decay);
    // shrink = 1 - αλ = 1 - 0.1*0.1 = 0.99 on w[0..2) (Loshchilov & Hutter: λ·w_{t-1})
    // [0.99, -1.98, 0.5], then Adam's first step -0.1*sign(g) -> [0.89, -1.88, 0.4]
    assertArrayEquals(new float[] {0.89f, -1.88f, 0.4f}, w, TOL);
    step(opt, w, new float[] {1f, 1f, -2f}, s, 2, decay);
    // shrink: [0.89*0.99, -1.88*0.99, 0.4] = [0.8811, -1.8612, 0.4]
    // Adam step 2 as in adamMatchesTwoBiasCorrectedSteps: -0.1*[0.9651820, 0.0526316, -0.0526316]
    // w = [0.8811 - 0.0965182, -1.8612 - 0.0052632, 0.4 + 0.0052632] = [0.7845818, -1.8664632, 0.4052632]
    assertArrayEquals(new float[] {0.7845818f, -1.8664632f, 0.4052632f}, w, TOL);
  }

  @Test
  void adamWWithoutDecayedRangesIsAdam() {
    Optimizer opt = new Optimizers.AdamW(0.1f, 0.9f, 0.999f, 1e-8f, 0.5f);
    float[] w = {1f, -2f};
    step(opt, w, new float[] {0.5f, -1f}, opt.newState(2), 1, NO_DECAY);
    // no shrink; Adam's first step -0.1*sign(g): [0.9, -1.9]
    assertArrayEquals(new float[] {0.9f, -1.9f}, w, TOL);
  }

  @Test
  void slotCountsMatchTheMomentsEachRuleKeeps() {
    assertEquals(0, new Optimizers.Sgd().newState(3).slots().length);
    assertEquals(1, new Optimizers.Momentum().newState(3).slots().length);
    assertEquals(1, new Optimizers.Nesterov().newState(3).slots().length);
    assertEquals(1, new Optimizers.AdaGrad().newState(3).slots().length);
    assertEquals(1, new Optimizers.RmsProp().newState(3).slots().length);
    assertEquals(2, new Optimizers.Adam().newState(3).slots().length);
    assertEquals(2, new Optimizers.AdamW().newState(3).slots().length);
    assertEquals(3, new Optimizers.Adam().newState(3).slots()[1].length);
  }

  static List<Optimizer> nonDefaultOptimizers() {
    return List.of(
        new Optimizers.Sgd(0.5f),
        new Optimizers.Momentum(0.05f, 0.8f),
        new Optimizers.Nesterov(0.02f, 0.95f),
        new Optimizers.AdaGrad(0.3f, 1e-6f),
        new Optimizers.RmsProp(0.002f, 0.95f, 1e-7f),
        new Optimizers.Adam(0.01f, 0.8f, 0.99f, 1e-7f),
        new Optimizers.AdamW(0.01f, 0.8f, 0.99f, 1e-7f, 0.05f));
  }

  @ParameterizedTest
  @MethodSource("nonDefaultOptimizers")
  void jsonRoundTripPreservesEveryHyperparameter(Optimizer opt) {
    String text = Json.write(opt);
    assertEquals(opt, Json.read(text, Optimizer.class, "test"), text);
  }

  static Stream<Arguments> jsonDefaults() {
    return Stream.of(
        Arguments.of("{\"type\":\"sgd\"}", new Optimizers.Sgd(0.01f)),
        Arguments.of("{\"type\":\"momentum\"}", new Optimizers.Momentum(0.01f, 0.9f)),
        Arguments.of("{\"type\":\"nesterov\"}", new Optimizers.Nesterov(0.01f, 0.9f)),
        Arguments.of("{\"type\":\"adagrad\"}", new Optimizers.AdaGrad(0.01f, 1e-8f)),
        Arguments.of("{\"type\":\"rmsprop\"}", new Optimizers.RmsProp(0.001f, 0.9f, 1e-8f)),
        Arguments.of("{\"type\":\"adam\"}", new Optimizers.Adam(0.001f, 0.9f, 0.999f, 1e-8f)),
        Arguments.of("{\"type\":\"adamw\"}", new Optimizers.AdamW(0.001f, 0.9f, 0.999f, 1e-8f, 0.01f)),
        Arguments.of("{\"type\":\"adam\",\"learningRate\":0.1}", new Optimizers.Adam(0.1f, 0.9f, 0.999f, 1e-8f)),
        Arguments.of("{\"type\":\"adamw\",\"weightDecay\":0}", new Optimizers.AdamW(0.001f, 0.9f, 0.999f, 1e-8f, 0f)));
  }

  @ParameterizedTest
  @MethodSource("jsonDefaults")
  void omittedJsonFieldsTakeTheDocumentedDefaults(String json, Optimizer expected) {
    assertEquals(expected, Json.read(json, Optimizer.class, "test"));
  }

  static Stream<Arguments> badJson() {
    return Stream.of(
        Arguments.of("{\"type\":\"sgd\",\"learningRate\":-0.1}", "sgd.learningRate", "-0.1"),
        Arguments.of("{\"type\":\"adam\",\"learningRate\":0}", "adam.learningRate", "0.0"),
        Arguments.of("{\"type\":\"adam\",\"beta1\":1}", "adam.beta1", "1.0"),
        Arguments.of("{\"type\":\"adamw\",\"beta2\":-0.5}", "adamw.beta2", "-0.5"),
        Arguments.of("{\"type\":\"momentum\",\"momentum\":1.5}", "momentum.momentum", "1.5"),
        Arguments.of("{\"type\":\"rmsprop\",\"rho\":1}", "rmsprop.rho", "1.0"),
        Arguments.of("{\"type\":\"adagrad\",\"epsilon\":0}", "adagrad.epsilon", "0.0"),
        Arguments.of("{\"type\":\"adamw\",\"weightDecay\":-1}", "adamw.weightDecay", "-1.0"),
        Arguments.of("{\"type\":\"adamax\"}", "adamax", "known type ids"),
        Arguments.of("{\"type\":\"adam\",\"lr\":0.1}", "\"lr\"", "Unrecognized field"));
  }

  @ParameterizedTest
  @MethodSource("badJson")
  void badJsonIsRejectedNamingTheKeyAndTheValue(String json, String key, String value) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Json.read(json, Optimizer.class, "optimizer.json"));
    String msg = e.getMessage();
    assertTrue(msg.contains(key) && msg.contains(value) && msg.contains("optimizer.json"), msg);
  }

  @Test
  void constructorsRejectBadValuesNamingKeyValueAndRule() {
    IllegalArgumentException lr =
        assertThrows(IllegalArgumentException.class, () -> new Optimizers.Sgd(-0.1f));
    assertEquals("sgd.learningRate (-0.1) must be a positive finite number", lr.getMessage());
    IllegalArgumentException b1 =
        assertThrows(IllegalArgumentException.class, () -> new Optimizers.Adam(0.001f, 1f, 0.999f, 1e-8f));
    assertEquals("adam.beta1 (1.0) must be in [0, 1)", b1.getMessage());
    IllegalArgumentException nan =
        assertThrows(IllegalArgumentException.class, () -> new Optimizers.RmsProp(Float.NaN, 0.9f, 1e-8f));
    assertTrue(nan.getMessage().contains("rmsprop.learningRate (NaN)"), nan.getMessage());
    IllegalArgumentException inf =
        assertThrows(IllegalArgumentException.class, () -> new Optimizers.Momentum(Float.POSITIVE_INFINITY, 0.9f));
    assertTrue(inf.getMessage().contains("momentum.learningRate (Infinity)"), inf.getMessage());
  }
}
