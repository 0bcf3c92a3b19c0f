package io.treeprop.core.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.model.Json;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every loss on a 2-row batch against hand-computed per-row losses and gradients. Each case is also run with
 * row weights w = [2, 0.5], which must scale row 0's loss and gradient by 2 and row 1's by 0.5.
 */
class LossExactTest {
  private static final double TOL = 1e-6;
  private static final float[] W = {2f, 0.5f};
  private static final double LN2 = Math.log(2);
  private static final float LN3 = (float) Math.log(3);

  /** Checks total, gradient, weighted total, weighted gradient and the no-gradient call. */
  private static void assertLoss(Loss loss, float[] pred, float[] y, int dim, boolean logits,
      double row0, double row1, float[] grad) {
    float[] dp = nans(pred.length);
    assertEquals(row0 + row1, loss.accumulate(pred, y, null, dp, 2, dim, logits), TOL, "loss");
    assertArrayEquals(grad, dp, (float) TOL, "dPred");

    float[] dw = nans(pred.length);
    double weighted = loss.accumulate(pred, y, W, dw, 2, dim, logits);
    assertEquals(2 * row0 + 0.5 * row1, weighted, TOL, "weighted loss");
    float[] scaled = new float[grad.length];
    for (int j = 0; j < grad.length; j++) {
      scaled[j] = grad[j] * W[j / dim];
    }
    assertArrayEquals(scaled, dw, (float) TOL, "weighted dPred");

    assertEquals(row0 + row1, loss.accumulate(pred, y, null, null, 2, dim, logits), TOL, "without dPred");
  }

  /** A gradient buffer full of NaN, so a slot the loss forgets to write fails the comparison. */
  private static float[] nans(int n) {
    float[] a = new float[n];
    Arrays.fill(a, Float.NaN);
    return a;
  }

  @Test
  void mseIsTheMeanSquaredErrorPerRow() {
    // e = p − y = [1, 0 | -2, 0.5]; rows (1+0)/2 = 0.5, (4+0.25)/2 = 2.125; dPred = 2e/2 = e
    assertLoss(new Losses.Mse(), new float[] {1, 2, 3, 4}, new float[] {0, 2, 5, 3.5f}, 2, false,
        0.5, 2.125, new float[] {1, 0, -2, 0.5f});
    // spelled out for w = [2, 0.5]: 2·0.5 + 0.5·2.125 = 2.0625; dPred = [2, 0, -1, 0.25]
    float[] dp = new float[4];
    assertEquals(2.0625, new Losses.Mse().accumulate(new float[] {1, 2, 3, 4}, new float[] {0, 2, 5, 3.5f}, W,
        dp, 2, 2, false), TOL);
    assertArrayEquals(new float[] {2, 0, -1, 0.25f}, dp, 1e-6f);
  }

  @Test
  void maeIsTheMeanAbsoluteErrorPerRow() {
    // e = [1, 0 | -2, 0.5]; rows (1+0)/2 = 0.5, (2+0.5)/2 = 1.25; dPred = sign(e)/2
    assertLoss(new Losses.Mae(), new float[] {1, 2, 3, 4}, new float[] {0, 2, 5, 3.5f}, 2, false,
        0.5, 1.25, new float[] {0.5f, 0, -0.5f, 0.5f});
  }

  @Test
  void smoothL1IsQuadraticInsideDeltaAndLinearOutside() {
    float[] p = {1.5f, -1, 4, 1};
    float[] y = {1, 2, 2, 1};
    // δ=1, e = [0.5, -3 | 2, 0]: ½·0.25 = 0.125 (quad); 1·(3−0.5) = 2.5 (lin); 1·(2−0.5) = 1.5 (lin); 0
    // rows (0.125+2.5)/2 = 1.3125, (1.5+0)/2 = 0.75; dPred = [0.5, −1 | 1, 0]/2
    assertLoss(new Losses.SmoothL1(1f), p, y, 2, false, 1.3125, 0.75, new float[] {0.25f, -0.5f, 0.5f, 0});
    // δ=2.5: 0.125 (quad); 2.5·(3−1.25) = 4.375 (lin); ½·4 = 2 (quad); 0
    // rows (0.125+4.375)/2 = 2.25, (2+0)/2 = 1; dPred = [0.5, −2.5 | 2, 0]/2
    assertLoss(new Losses.SmoothL1(2.5f), p, y, 2, false, 2.25, 1.0, new float[] {0.25f, -1.25f, 1f, 0});
  }

  @Test
  void binaryCrossEntropyFromProbabilities() {
    // −ln 0.8 = 0.2231435513, −ln(1−0.25) = 0.2876820725 -> row 0 = 0.2554128119
    // −ln 0.5 = 0.6931471806, −ln 0.9 = 0.1053605157 -> row 1 = 0.3992538481
    // dPred = (q−t)/(q(1−q))/2: −0.2/0.16/2 = −0.625; 0.25/0.1875/2 = 0.6666667; −0.5/0.25/2 = −1;
    //         −0.1/0.09/2 = −0.5555556
    assertLoss(new Losses.BinaryCrossEntropy(), new float[] {0.8f, 0.25f, 0.5f, 0.9f}, new float[] {1, 0, 1, 1},
        2, false, 0.2554128119, 0.3992538481, new float[] {-0.625f, 0.6666667f, -1f, -0.5555556f});
  }

  @Test
  void binaryCrossEntropyFromLogits() {
    // loss(z, t) = softplus(z) − z·t; dPred = (σ(z) − t)/2
    // z=0,t=1: ln 2 = 0.6931472; z=ln3,t=0: ln(1+3) = 1.3862944 -> row 0 = 1.0397208
    // z=−ln3,t=1: ln(4/3) + ln 3 = ln 4 = 1.3862944; z=2,t=1: ln(1+e⁻²) = 0.1269280 -> row 1 = 0.7566112
    // dPred: (0.5−1)/2 = −0.25; 0.75/2 = 0.375; (0.25−1)/2 = −0.375; (0.8807971−1)/2 = −0.0596015
    assertLoss(new Losses.BinaryCrossEntropy(), new float[] {0, LN3, -LN3, 2}, new float[] {1, 0, 1, 1}, 2, true,
        (LN2 + 2 * LN2) / 2, (2 * LN2 + Math.log1p(Math.exp(-2))) / 2,
        new float[] {-0.25f, 0.375f, -0.375f, -0.0596015f});
  }

  @Test
  void binaryCrossEntropyFromLogitsStaysFiniteAndExactForLargeLogits() {
    // right side: z=100,t=1 and z=−100,t=0 cost ln(1+e⁻¹⁰⁰) ≈ 3.7e-44; wrong side costs |z| = 100
    // rows (0+0)/2 = 0, (100+100)/2 = 100; dPred = (σ(z)−t)/2 = [0, 0 | 0.5, −0.5]
    assertLoss(new Losses.BinaryCrossEntropy(), new float[] {100, -100, 100, -100}, new float[] {1, 0, 0, 1}, 2,
        true, 0, 100, new float[] {0, 0, 0.5f, -0.5f});
    // e^1000 overflows even a double, so a naive log(1 + e^z) would give ∞ here: rows 0, (1000+1000)/2
    assertLoss(new Losses.BinaryCrossEntropy(), new float[] {1000, -1000, 1000, -1000}, new float[] {1, 0, 0, 1},
        2, true, 0, 1000, new float[] {0, 0, 0.5f, -0.5f});
  }

  @Test
  void binaryCrossEntropyFromCertainWrongProbabilitiesIsClampedFinite() {
    float[] dp = new float[2];
    double v = new Losses.BinaryCrossEntropy().accumulate(new float[] {1, 0}, new float[] {0, 1}, null, dp, 1, 2,
        false);
    // q clamped to [1e-7, 1−1e-7]: each output costs about −ln 1e-7 ≈ 16
    assertTrue(Double.isFinite(v) && v > 15 && v < 17, "loss " + v);
    assertTrue(Float.isFinite(dp[0]) && dp[0] > 0 && Float.isFinite(dp[1]) && dp[1] < 0, Arrays.toString(dp));
  }

  @Test
  void categoricalCrossEntropyFromProbabilities() {
    // row 0 class 1: −ln 0.5 = 0.6931472, dPred = −1/0.5 = −2 at the class, 0 elsewhere
    // row 1 class 2: −ln 0.8 = 0.2231436, dPred = −1/0.8 = −1.25
    assertLoss(new Losses.CategoricalCrossEntropy(), new float[] {0.2f, 0.5f, 0.3f, 0.1f, 0.1f, 0.8f},
        new float[] {1, 2}, 3, false, LN2, -Math.log(0.8), new float[] {0, -2, 0, 0, 0, -1.25f});
  }

  @Test
  void categoricalCrossEntropyFromLogitsIsSoftmaxMinusOneHotAndShiftSafe() {
    // row 0: e^z = [1, 2, 5], Σ = 8, softmax [0.125, 0.25, 0.625]; class 1: ln 8 − ln 2 = ln 4
    // row 1: [1000, 1000, 1000] (e^1000 overflows without the max shift): softmax 1/3 each; class 0: ln 3
    assertLoss(new Losses.CategoricalCrossEntropy(),
        new float[] {0, (float) LN2, (float) Math.log(5), 1000, 1000, 1000}, new float[] {1, 0}, 3, true,
        2 * LN2, Math.log(3), new float[] {0.125f, -0.75f, 0.625f, -2f / 3, 1f / 3, 1f / 3});
  }

  @Test
  void multiclassMarginSumsTheViolatedMargins() {
    float[] p = {2, 1.5f, -1, 0, 0.5f, 0.25f};
    float[] y = {0, 2};
    // m=1, row 0 class 0: j=1: 1+1.5−2 = 0.5 > 0; j=2: 1−1−2 = −2 -> 0.5; dPred [−1, 1, 0]
    // row 1 class 2: j=0: 1+0−0.25 = 0.75; j=1: 1+0.5−0.25 = 1.25 -> 2.0; dPred [1, 1, −2]
    assertLoss(new Losses.MulticlassMargin(1f), p, y, 3, false, 0.5, 2.0, new float[] {-1, 1, 0, 1, 1, -2});
    // m=0.5: row 0 j=1: 0.5+1.5−2 = 0, not > 0 -> 0; row 1: 0.25 + 0.75 = 1.0, dPred [1, 1, −2]
    assertLoss(new Losses.MulticlassMargin(0.5f), p, y, 3, false, 0, 1.0, new float[] {0, 0, 0, 1, 1, -2});
  }

  @Test
  void hingeUsesSignedLabels() {
    // s = 2y−1 = [1, −1 | 1, −1]; 1 − s·o = [0.5, −1 | −2, 1.2] -> max(0,·) = [0.5, 0 | 0, 1.2]
    // rows 0.5/2 = 0.25, 1.2/2 = 0.6; dPred = −s/2 where active: [−0.5, 0 | 0, 0.5]
    assertLoss(new Losses.Hinge(), new float[] {0.5f, -2, 3, 0.2f}, new float[] {1, 0, 1, 0}, 2, false,
        0.25, 0.6, new float[] {-0.5f, 0, 0, 0.5f});
  }

  @Test
  void perceptronCountsTheBoundaryAsMisclassified() {
    // s = [1, −1 | −1, 1]; −s·o = [−0.5, 0.3 | 2, 0] -> max(0,·) = [0, 0.3 | 2, 0]
    // rows 0.3/2 = 0.15, 2/2 = 1; dPred = −s/2 where −s·o ≥ 0: [0, 0.5 | 0.5, −0.5] (o=0 still learns)
    assertLoss(new Losses.Perceptron(), new float[] {0.5f, 0.3f, 2, 0}, new float[] {1, 0, 0, 1}, 2, false,
        0.15, 1.0, new float[] {0, 0.5f, 0.5f, -0.5f});
  }

  @Test
  void checkTargetRejectsClassLabelsOutOfRangeWithTheRange() {
    for (Loss loss : List.of(new Losses.CategoricalCrossEntropy(), new Losses.MulticlassMargin())) {
      for (float bad : new float[] {3, -1, 1.5f}) {
        assertEquals("class labels must be integers in [0, 2]", loss.checkTarget(bad, 3), loss + " y=" + bad);
      }
      assertNull(loss.checkTarget(0, 3));
      assertNull(loss.checkTarget(2, 3));
      assertEquals("targets must be finite", loss.checkTarget(Float.NaN, 3));
    }
  }

  @Test
  void checkTargetRejectsBinaryLabelsOtherThanZeroAndOne() {
    for (Loss loss : List.of(new Losses.BinaryCrossEntropy(), new Losses.Hinge(), new Losses.Perceptron())) {
      assertEquals("binary labels must be 0 or 1", loss.checkTarget(2, 1), loss.toString());
      assertEquals("binary labels must be 0 or 1", loss.checkTarget(0.5f, 1), loss.toString());
      assertEquals("binary labels must be 0 or 1", loss.checkTarget(-1, 1), loss.toString());
      assertNull(loss.checkTarget(0, 1));
      assertNull(loss.checkTarget(1, 1));
    }
    assertNull(new Losses.Mse().checkTarget(-1e6f, 1));
    assertEquals("targets must be finite", new Losses.Mse().checkTarget(Float.POSITIVE_INFINITY, 1));
  }

  @Test
  void classificationLossesNeedTwoOutputs() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Losses.CategoricalCrossEntropy().checkOutputs(1));
    assertEquals("categorical_cross_entropy needs at least 2 outputs (one per class), the network has 1",
        e.getMessage());
  }

  static List<Loss> losses() {
    return List.of(new Losses.Mse(), new Losses.Mae(), new Losses.SmoothL1(0.25f),
        new Losses.BinaryCrossEntropy(), new Losses.CategoricalCrossEntropy(), new Losses.MulticlassMargin(2f),
        new Losses.Hinge(), new Losses.Perceptron());
  }

  @ParameterizedTest
  @MethodSource("losses")
  void jsonRoundTripGivesAnEqualLossUnderItsName(Loss loss) {
    String text = Json.write(loss);
    assertTrue(text.contains("\"type\" : \"" + loss.name() + "\""), text);
    assertEquals(loss, Json.read(text, Loss.class, "test"), text);
  }

  static Stream<Arguments> jsonDefaults() {
    return Stream.of(
        Arguments.of("{\"type\":\"smooth_l1\"}", new Losses.SmoothL1(1f)),
        Arguments.of("{\"type\":\"smooth_l1\",\"delta\":1.0}", new Losses.SmoothL1(1f)),
        Arguments.of("{\"type\":\"margin\"}", new Losses.MulticlassMargin(1f)),
        Arguments.of("{\"type\":\"categorical_cross_entropy\"}", new Losses.CategoricalCrossEntropy()));
  }

  @ParameterizedTest
  @MethodSource("jsonDefaults")
  void jsonOmittedParametersTakeTheirDefaults(String json, Loss expected) {
    assertEquals(expected, Json.read(json, Loss.class, "test"));
  }

  @Test
  void badLossJsonNamesTheKeyAndValue() {
    String delta = assertThrows(IllegalArgumentException.class,
        () -> Json.read("{\"type\":\"smooth_l1\",\"delta\":-1}", Loss.class, "loss")).getMessage();
    assertTrue(delta.contains("smooth_l1.delta (-1.0) must be a positive finite number"), delta);
    String margin = assertThrows(IllegalArgumentException.class,
        () -> Json.read("{\"type\":\"margin\",\"margin\":0}", Loss.class, "loss")).getMessage();
    assertTrue(margin.contains("margin.margin (0.0)"), margin);
    String unknown = assertThrows(IllegalArgumentException.class,
        () -> Json.read("{\"type\":\"cross_entropy\"}", Loss.class, "loss")).getMessage();
    assertTrue(unknown.contains("cross_entropy") && unknown.contains("known type ids"), unknown);
  }
}
