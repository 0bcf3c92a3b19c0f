package io.treeprop.jobs.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.jobs.report.ClassificationReport.Average;
import io.treeprop.jobs.report.ClassificationReport.ClassMetrics;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassificationReportTest {
  static final List<String> ANIMALS = List.of("cat", "dog", "bird", "fish", "eel");
  /**
   * Nine rows over five classes: "bird" is in the truth but never predicted, "fish" is predicted once but absent
   * from the truth, "eel" occurs nowhere.
   */
  static final int[] TRUTH = {0, 0, 0, 0, 1, 1, 1, 2, 2};
  static final int[] PREDICTED = {0, 0, 1, 3, 1, 1, 0, 0, 1};
  private static final double EPS = 1e-15;

  static ConfusionMatrix animals() {
    return new ConfusionMatrix(5).add(TRUTH, PREDICTED);
  }

  @Test
  void confusionMatrixRowsAreTruthAndColumnsPredictions() {
    ConfusionMatrix m = animals();
    assertArrayEquals(new long[][] {
        {2, 1, 0, 1, 0},   // cat: 2 right, 1 taken for dog, 1 for fish
        {1, 2, 0, 0, 0},   // dog
        {1, 1, 0, 0, 0},   // bird: never right
        {0, 0, 0, 0, 0},   // fish: no true fish
        {0, 0, 0, 0, 0}},  // eel
        m.toArray());
    assertEquals(9, m.total());
    assertEquals(4, m.truthCount(0));
    assertEquals(1, m.predictedCount(3));
    assertEquals(0, m.predictedCount(2));
  }

  @Test
  void metricsMatchHandComputationWithZeroDivisionAsZero() {
    ClassificationReport r = ClassificationReport.of(animals(), ANIMALS);
    // accuracy = (2 + 2) / 9
    assertEquals(4.0 / 9, r.accuracy(), EPS);
    assertEquals(9, r.rows());
    // cat: tp 2, predicted 4, support 4 -> P = 2/4, R = 2/4, F1 = 2·2 / (4 + 4) = 1/2
    assertClass(r.perClass().get(0), "cat", 0.5, 0.5, 0.5, 4, 4);
    // dog: tp 2, predicted 4, support 3 -> P = 2/4, R = 2/3, F1 = 4 / (3 + 4) = 4/7
    assertClass(r.perClass().get(1), "dog", 0.5, 2.0 / 3, 4.0 / 7, 3, 4);
    // bird: never predicted -> P = 0/0 := 0; R = 0/2 = 0; F1 = 0 / (2 + 0) = 0
    assertClass(r.perClass().get(2), "bird", 0, 0, 0, 2, 0);
    // fish: absent from the truth -> P = 0/1 = 0; R = 0/0 := 0; F1 = 0 / (0 + 1) = 0
    assertClass(r.perClass().get(3), "fish", 0, 0, 0, 0, 1);
    // eel: nowhere -> all 0/0 := 0
    assertClass(r.perClass().get(4), "eel", 0, 0, 0, 0, 0);
    // macro over cat, dog, bird, fish (eel occurs nowhere and is left out):
    // P = (1/2 + 1/2 + 0 + 0) / 4 = 1/4; R = (1/2 + 2/3) / 4 = 7/24; F1 = (1/2 + 4/7) / 4 = 15/56
    assertAverage(r.macroAverage(), 0.25, 7.0 / 24, 15.0 / 56, 4);
    // weighted by support 4, 3, 2, 0, 0 over 9 rows:
    // P = (4·1/2 + 3·1/2) / 9 = 7/18; R = (4·1/2 + 3·2/3) / 9 = 4/9; F1 = (4·1/2 + 3·4/7) / 9 = 26/63
    assertAverage(r.weightedAverage(), 7.0 / 18, 4.0 / 9, 26.0 / 63, 3);
    assertArrayEquals(animals().toArray(), r.confusionMatrix());
  }

  @Test
  void perfectPredictionsScoreOneEverywhere() {
    ConfusionMatrix m = new ConfusionMatrix(3).add(new int[] {0, 1, 2, 2}, new int[] {0, 1, 2, 2});
    ClassificationReport r = ClassificationReport.of(m, null);
    assertEquals(1.0, r.accuracy());
    assertAverage(r.macroAverage(), 1, 1, 1, 3);
    assertAverage(r.weightedAverage(), 1, 1, 1, 3);
    assertEquals(List.of("0", "1", "2"), r.labels());
  }

  @Test
  void mergingTwoHalvesEqualsCountingTheWhole() {
    Random rnd = new Random(11);
    int[] t = new int[1001];
    int[] p = new int[t.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = rnd.nextInt(4);
      p[i] = rnd.nextDouble() < 0.7 ? t[i] : rnd.nextInt(4);
    }
    ConfusionMatrix whole = new ConfusionMatrix(4).add(t, p);
    ConfusionMatrix a = new ConfusionMatrix(4);
    ConfusionMatrix b = new ConfusionMatrix(4);
    for (int i = 0; i < t.length; i++) {
      (i < 377 ? a : b).add(t[i], p[i]);
    }
    assertEquals(whole, a.merge(b));
    assertEquals(ClassificationReport.of(whole, null), ClassificationReport.of(a, null));
    assertEquals(1001, a.total());
  }

  @Test
  void badInputIsRefusedWithTheValues() {
    ConfusionMatrix m = new ConfusionMatrix(3);
    assertMessage(assertThrows(IllegalArgumentException.class, () -> m.add(1, 3)),
        "class indices must be in [0, 2], received true class 1 and predicted class 3");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> m.add(-1, 0)), "true class -1");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> m.merge(new ConfusionMatrix(4))),
        "cannot merge a confusion matrix of 4 classes into one of 3");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> ClassificationReport.of(m, null)),
        "no rows were evaluated");
    m.add(0, 0);
    assertMessage(assertThrows(IllegalArgumentException.class, () -> ClassificationReport.of(m, List.of("a"))),
        "expected 3 class labels for a 3-class confusion matrix, received 1");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(1)),
        "between 2 and 2000 classes, 1 were given");
  }

  static void assertMessage(Exception e, String part) {
    assertTrue(e.getMessage().contains(part), () -> "expected \"" + part + "\" in: " + e.getMessage());
  }

  private static void assertClass(ClassMetrics c, String label, double p, double r, double f1, long support,
      long predicted) {
    assertEquals(label, c.label());
    assertEquals(p, c.precision(), EPS, label + " precision");
    assertEquals(r, c.recall(), EPS, label + " recall");
    assertEquals(f1, c.f1(), EPS, label + " F1");
    assertEquals(support, c.support(), label + " support");
    assertEquals(predicted, c.predicted(), label + " predicted");
  }

  private static void assertAverage(Average a, double p, double r, double f1, int classes) {
    assertEquals(p, a.precision(), EPS, "precision");
    assertEquals(r, a.recall(), EPS, "recall");
    assertEquals(f1, a.f1(), EPS, "F1");
    assertEquals(classes, a.classes(), "classes");
  }
}
