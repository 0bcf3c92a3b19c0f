package io.treeprop.jobs.report;

import static io.treeprop.jobs.report.ClassificationReportTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RegressionReportTest {
  private static final double EPS = 1e-12;

  static RegressionStats of(double[] y, double[] p) {
    RegressionStats s = new RegressionStats(1);
    for (int i = 0; i < y.length; i++) {
      s.add(y[i], p[i]);
    }
    return s;
  }

  @Test
  void metricsMatchHandComputation() {
    // y = 1 2 3 4, ŷ = 1.5 2 2 5: errors -0.5 0 1 -1
    RegressionReport r = RegressionReport.of(of(new double[] {1, 2, 3, 4}, new double[] {1.5, 2, 2, 5}), null);
    assertEquals(4, r.rows());
    // SSE = 0.25 + 0 + 1 + 1 = 2.25; MSE = 2.25 / 4 = 0.5625; RMSE = 0.75
    assertEquals(0.5625, r.mse(), EPS);
    assertEquals(0.75, r.rmse(), EPS);
    // MAE = (0.5 + 0 + 1 + 1) / 4 = 0.625
    assertEquals(0.625, r.mae(), EPS);
    // ȳ = 2.5; Σ(y − ȳ)² = 2.25 + 0.25 + 0.25 + 2.25 = 5; R² = 1 − 2.25 / 5 = 0.55
    assertEquals(0.55, r.r2(), EPS);
    RegressionReport.OutputMetrics o = r.perOutput().get(0);
    assertEquals("0", o.name());
    assertEquals(2.5, o.truthMean(), EPS);
    // population std = √(5 / 4)
    assertEquals(Math.sqrt(1.25), o.truthStd(), EPS);
  }

  @Test
  void rSquaredIsOneForPerfectPredictionsAndZeroForPredictingTheMean() {
    Random rnd = new Random(3);
    double[] y = new double[500];
    double mean = 0;
    for (int i = 0; i < y.length; i++) {
      y[i] = 40 + 7 * rnd.nextGaussian();
      mean += y[i] / y.length;
    }
    RegressionReport perfect = RegressionReport.of(of(y, y), null);
    assertEquals(1.0, perfect.r2());
    assertEquals(0.0, perfect.rmse());
    double[] m = new double[y.length];
    java.util.Arrays.fill(m, mean);
    RegressionReport atMean = RegressionReport.of(of(y, m), null);
    assertEquals(0.0, atMean.r2(), 1e-9);
    // predicting the mean, RMSE is the truth's (population) standard deviation
    assertEquals(atMean.perOutput().get(0).truthStd(), atMean.rmse(), 1e-9);
  }

  @Test
  void largeOffsetsKeepTheirSpread() {
    // Σy² − (Σy)²/n would lose the spread of 1..4 next to 10⁹ (y² ≈ 10¹⁸ keeps ~16 digits); Welford does not.
    double[] y = {1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4};
    double[] p = {1e9 + 1.5, 1e9 + 2, 1e9 + 2, 1e9 + 5};
    RegressionStats a = of(new double[] {y[0], y[1]}, new double[] {p[0], p[1]});
    RegressionStats b = of(new double[] {y[2], y[3]}, new double[] {p[2], p[3]});
    assertEquals(0.55, RegressionReport.of(of(y, p), null).r2(), 1e-9);
    assertEquals(0.55, RegressionReport.of(a.merge(b), null).r2(), 1e-9);
  }

  @Test
  void mergingTwoHalvesEqualsTheWhole() {
    Random rnd = new Random(5);
    RegressionStats whole = new RegressionStats(2);
    RegressionStats first = new RegressionStats(2);
    RegressionStats second = new RegressionStats(2);
    for (int i = 0; i < 1000; i++) {
      double[] y = {rnd.nextGaussian() * 3 + 1, rnd.nextDouble() * 100};
      double[] p = {y[0] + rnd.nextGaussian(), y[1] + 5 * rnd.nextGaussian()};
      whole.addRow(y, p);
      (i < 313 ? first : second).addRow(y, p);
    }
    RegressionStats merged = first.merge(second);
    assertEquals(whole.rows(), merged.rows());
    for (int j = 0; j < 2; j++) {
      assertEquals(whole.truthMean(j), merged.truthMean(j), 1e-12 * Math.abs(whole.truthMean(j)));
      assertEquals(whole.truthM2(j), merged.truthM2(j), 1e-10 * whole.truthM2(j));
      assertEquals(whole.squaredError(j), merged.squaredError(j), 1e-10 * whole.squaredError(j));
      assertEquals(whole.absoluteError(j), merged.absoluteError(j), 1e-10 * whole.absoluteError(j));
    }
    RegressionReport w = RegressionReport.of(whole, List.of("a", "b"));
    RegressionReport m = RegressionReport.of(merged, List.of("a", "b"));
    assertEquals(w.r2(), m.r2(), 1e-12);
    assertEquals(w.rmse(), m.rmse(), 1e-12);
    assertEquals(RegressionReport.of(merged, null), RegressionReport.of(new RegressionStats(2).merge(merged), null));
  }

  @Test
  void severalOutputsAverageTheirMetrics() {
    RegressionStats s = new RegressionStats(2);
    // output a: y 1 2 3 4 vs ŷ 1.5 2 2 5 (as above: MSE 0.5625, MAE 0.625, R² 0.55)
    // output b: y 0 0 2 2 vs ŷ 0 0 2 2 (perfect: MSE 0, MAE 0, R² 1)
    double[][] y = {{1, 0}, {2, 0}, {3, 2}, {4, 2}};
    double[][] p = {{1.5, 0}, {2, 0}, {2, 2}, {5, 2}};
    for (int i = 0; i < 4; i++) {
      s.addRow(y[i], p[i]);
    }
    RegressionReport r = RegressionReport.of(s, List.of("a", "b"));
    assertEquals(0.55, r.perOutput().get(0).r2(), EPS);
    assertEquals(1.0, r.perOutput().get(1).r2(), EPS);
    // MSE = (0.5625 + 0) / 2; RMSE = √MSE; MAE = (0.625 + 0) / 2; R² = (0.55 + 1) / 2
    assertEquals(0.28125, r.mse(), EPS);
    assertEquals(Math.sqrt(0.28125), r.rmse(), EPS);
    assertEquals(0.3125, r.mae(), EPS);
    assertEquals(0.775, r.r2(), EPS);
  }

  @Test
  void constantTruthGivesOneWhenExactAndZeroOtherwiseNeverNaN() {
    assertEquals(1.0, RegressionReport.of(of(new double[] {3, 3}, new double[] {3, 3}), null).r2());
    assertEquals(0.0, RegressionReport.of(of(new double[] {3, 3}, new double[] {3, 4}), null).r2());
  }

  @Test
  void badInputIsRefused() {
    RegressionStats s = new RegressionStats(1);
    assertMessage(assertThrows(IllegalArgumentException.class, () -> s.add(1, Double.NaN)),
        "output 0 has true value 1.0 and prediction NaN");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> RegressionReport.of(s, null)),
        "no rows were evaluated");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> s.merge(new RegressionStats(2))),
        "cannot merge regression metrics of 2 outputs into metrics of 1");
    assertMessage(assertThrows(IllegalStateException.class, () -> new RegressionStats(2).add(1, 1)),
        "use addRow");
    assertEquals(1, new RegressionStats(2).addRow(new double[] {1, 2}, new double[] {1, 2}).rows());
  }
}
