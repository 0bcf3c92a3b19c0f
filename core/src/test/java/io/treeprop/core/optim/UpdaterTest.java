package io.treeprop.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.treeprop.core.init.Initializer;
import io.treeprop.core.param.ParamLayout;
import org.junit.jupiter.api.Test;

/**
 * The update pipeline: clipping, L2 on the decayed blocks, the schedule's step counter, with SGD so that every
 * expected value is the hand-computed gradient times the rate.
 */
class UpdaterTest {
  private static final float TOL = 1e-6f;

  /** Layer 0: weight [0, 2), bias [2, 3); layer 1: weight [3, 4), bias [4, 5). */
  private static final ParamLayout LAYOUT = layout();

  private static ParamLayout layout() {
    ParamLayout.Builder b = new ParamLayout.Builder();
    b.enter("0").weight("w", new int[] {1, 2}, 1, 2, new Initializer.Zeros())
        .bias("b", 1, new Initializer.Zeros()).exit();
    b.enter("1").weight("w", new int[] {1, 1}, 1, 1, new Initializer.Zeros())
        .bias("b", 1, new Initializer.Zeros()).exit();
    return b.build();
  }

  private static Updater sgd(float lr, float l2, boolean decayBiases, float clipNorm) {
    return new Updater(new Optimizers.Sgd(lr), new Schedule.Constant(), l2, decayBiases, clipNorm);
  }

  @Test
  void decayRangesCoverWeightBlocksOnlyByDefault() {
    assertArrayEquals(new int[] {0, 2, 3, 4}, sgd(0.1f, 0.5f, false, 0).decayRanges(LAYOUT));
    assertArrayEquals(new int[] {0, 2, 2, 3, 3, 4, 4, 5}, sgd(0.1f, 0.5f, true, 0).decayRanges(LAYOUT));
  }

  @Test
  void l2AddsLambdaTimesWeightToWeightGradientsButNotToBiases() {
    Updater u = sgd(0.1f, 0.5f, false, 0);
    float[] w = {1f, -2f, 4f, 2f, -6f};
    float[] g = {1f, 1f, 1f, 1f, 1f};
    u.applyInPlace(w, g, u.optimizer().newState(5), u.decayRanges(LAYOUT));
    // g += 0.5·w on weights [0,1,3]: [1+0.5, 1-1, 1, 1+1, 1] = [1.5, 0, 1, 2, 1]
    assertArrayEquals(new float[] {1.5f, 0f, 1f, 2f, 1f}, g, TOL);
    // w -= 0.1·g: [1-0.15, -2-0, 4-0.1, 2-0.2, -6-0.1] = [0.85, -2, 3.9, 1.8, -6.1]
    assertArrayEquals(new float[] {0.85f, -2f, 3.9f, 1.8f, -6.1f}, w, TOL);
  }

  @Test
  void l2AlsoDecaysBiasesWhenDecayBiasesIsSet() {
    Updater u = sgd(0.1f, 0.5f, true, 0);
    float[] w = {1f, -2f, 4f, 2f, -6f};
    float[] g = new float[5];
    u.applyInPlace(w, g, u.optimizer().newState(5), u.decayRanges(LAYOUT));
    // g = 0.5·w = [0.5, -1, 2, 1, -3]; w -= 0.1·g -> [0.95, -1.9, 3.8, 1.9, -5.7]
    assertArrayEquals(new float[] {0.5f, -1f, 2f, 1f, -3f}, g, TOL);
    assertArrayEquals(new float[] {0.95f, -1.9f, 3.8f, 1.9f, -5.7f}, w, TOL);
  }

  @Test
  void zeroL2LeavesTheGradientAlone() {
    Updater u = sgd(0.1f, 0f, true, 0);
    float[] w = {1f, -2f, 4f, 2f, -6f};
    float[] g = {1f, 0f, 0f, 0f, -1f};
    u.applyInPlace(w, g, u.optimizer().newState(5), u.decayRanges(LAYOUT));
    // w -= 0.1·g -> [0.9, -2, 4, 2, -5.9]
    assertArrayEquals(new float[] {0.9f, -2f, 4f, 2f, -5.9f}, w, TOL);
  }

  @Test
  void clippingScalesTheGradientToClipNormExactly() {
    Updater u = sgd(1f, 0f, false, 1f);
    float[] w = new float[5];
    float[] g = {3f, 0f, 4f, 0f, 0f};
    double norm = u.applyInPlace(w, g, u.optimizer().newState(5), u.decayRanges(LAYOUT));
    // ‖g‖ = √(9+16) = 5 > 1: g·(1/5) = [0.6, 0, 0.8, 0, 0]; w = 0 - 1·g
    assertEquals(5.0, norm, 1e-9);
    assertArrayEquals(new float[] {0.6f, 0f, 0.8f, 0f, 0f}, g, TOL);
    assertArrayEquals(new float[] {-0.6f, 0f, -0.8f, 0f, 0f}, w, TOL);
    double clipped = 0;
    for (float v : g) {
      clipped += (double) v * v;
    }
    assertEquals(1.0, Math.sqrt(clipped), 1e-6, "norm after clipping");
  }

  @Test
  void gradientBelowClipNormIsNotScaledUp() {
    Updater u = sgd(1f, 0f, false, 1f);
    float[] w = new float[5];
    float[] g = {0.3f, 0.4f, 0f, 0f, 0f};
    double norm = u.applyInPlace(w, g, u.optimizer().newState(5), u.decayRanges(LAYOUT));
    // ‖g‖ = 0.5 ≤ 1: unchanged; w = -g
    assertEquals(0.5, norm, 1e-7);
    assertArrayEquals(new float[] {-0.3f, -0.4f, 0f, 0f, 0f}, w, TOL);
  }

  @Test
  void zeroClipNormDisablesClipping() {
    Updater u = sgd(0.01f, 0f, false, 0f);
    float[] w = new float[5];
    float[] g = {30f, 40f, 0f, 0f, 0f};
    u.applyInPlace(w, g, u.optimizer().newState(5), u.decayRanges(LAYOUT));
    // no clipping: w = -0.01·[30, 40] = [-0.3, -0.4]
    assertArrayEquals(new float[] {-0.3f, -0.4f, 0f, 0f, 0f}, w, TOL);
  }

  @Test
  void clippingHappensBeforeL2IsAdded() {
    Updater u = sgd(1f, 0.5f, false, 1f);
    float[] w = {1f, 1f, 1f, 1f, 1f};
    float[] g = {3f, 0f, 4f, 0f, 0f};
    u.applyInPlace(w, g, u.optimizer().newState(5), u.decayRanges(LAYOUT));
    // clip: [0.6, 0, 0.8, 0, 0]; + 0.5·w on weights [0,1,3]: [1.1, 0.5, 0.8, 0.5, 0]
    // (L2 first would give [3.5, 0.5, 4, 0.5, 0]/√28.75 instead)
    assertArrayEquals(new float[] {1.1f, 0.5f, 0.8f, 0.5f, 0f}, g, TOL);
    // w = 1 - g = [-0.1, 0.5, 0.2, 0.5, 1]
    assertArrayEquals(new float[] {-0.1f, 0.5f, 0.2f, 0.5f, 1f}, w, TOL);
  }

  @Test
  void scheduleSeesZeroBasedStepsAndTheCounterAdvances() {
    Updater u = new Updater(new Optimizers.Sgd(1f), new Schedule.Step(1, 0.5), 0f, false, 0f);
    OptimizerState s = u.optimizer().newState(1);
    float[] w = {0f};
    // rate(t) = 1·0.5^t: t=0 -> 1, t=1 -> 0.5, t=2 -> 0.25; g = 1 each step
    float[] expectedW = {-1f, -1.5f, -1.75f};
    for (int i = 0; i < 3; i++) {
      assertEquals(i, s.step());
      u.applyInPlace(w, new float[] {1f}, s, new int[0]);
      assertEquals(i + 1, s.step());
      assertEquals(expectedW[i], w[0], TOL, "after step " + (i + 1));
    }
    assertEquals(0.25f, u.rate(2), TOL);
  }

  @Test
  void resumedStateContinuesTheScheduleWhereItStopped() {
    Updater u = new Updater(new Optimizers.Sgd(1f), new Schedule.Step(1, 0.5), 0f, false, 0f);
    OptimizerState s = new OptimizerState(2, new float[0][]);
    float[] w = {0f};
    u.applyInPlace(w, new float[] {1f}, s, new int[0]);
    // schedule at t=2: 0.5² = 0.25; w = -0.25
    assertEquals(-0.25f, w[0], TOL);
    assertEquals(3, s.step());
  }

  @Test
  void optimizerSeesOneBasedStepsForBiasCorrection() {
    Updater u = new Updater(new Optimizers.Adam(0.1f));
    OptimizerState s = u.optimizer().newState(2);
    float[] w = {0f, 0f};
    // With a constant gradient m̂ = g and v̂ = g² at every 1-based t, so each step moves by exactly α = 0.1.
    // (t=0 would divide by 1-β1⁰ = 0; 0-based t=1 at the second step would move by 0.1·1.9/√1.999 = 0.1344.)
    u.applyInPlace(w, new float[] {2f, -0.5f}, s, new int[0]);
    assertArrayEquals(new float[] {-0.1f, 0.1f}, w, TOL);
    u.applyInPlace(w, new float[] {2f, -0.5f}, s, new int[0]);
    assertArrayEquals(new float[] {-0.2f, 0.2f}, w, TOL);
  }

  @Test
  void adamWThroughTheUpdaterDecaysWeightsButNotBiases() {
    Updater u = new Updater(new Optimizers.AdamW(0.1f, 0.9f, 0.999f, 1e-8f, 0.5f));
    float[] w = {1f, 1f, 1f, 1f, 1f};
    u.applyInPlace(w, new float[] {1f, 1f, 1f, 1f, 1f}, u.optimizer().newState(5), u.decayRanges(LAYOUT));
    // shrink 1 - 0.1·0.5 = 0.95 on weights [0,1,3], then Adam's first step -0.1:
    // [0.95-0.1, 0.95-0.1, 1-0.1, 0.95-0.1, 1-0.1] = [0.85, 0.85, 0.9, 0.85, 0.9]
    assertArrayEquals(new float[] {0.85f, 0.85f, 0.9f, 0.85f, 0.9f}, w, TOL);
  }

  @Test
  void mismatchedGradientLengthIsRejectedWithBothSizes() {
    Updater u = sgd(0.1f, 0f, false, 0f);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> u.applyInPlace(new float[5], new float[4], u.optimizer().newState(5), new int[0]));
    assertEquals("gradient has 4 values, parameters 5", e.getMessage());
  }

  @Test
  void badConfigurationIsRejectedNamingTheKey() {
    Optimizer o = new Optimizers.Sgd();
    assertEquals("optimizer is required",
        assertThrows(IllegalArgumentException.class, () -> new Updater(null)).getMessage());
    assertEquals("l2 (-1.0) must be a finite number >= 0", assertThrows(IllegalArgumentException.class,
        () -> new Updater(o, null, -1f, false, 0f)).getMessage());
    assertEquals("clipNorm (NaN) must be a finite number >= 0 (0 = off)", assertThrows(
        IllegalArgumentException.class, () -> new Updater(o, null, 0f, false, Float.NaN)).getMessage());
    assertEquals(new Schedule.Constant(), new Updater(o, null, 0f, false, 0f).schedule());
  }
}
