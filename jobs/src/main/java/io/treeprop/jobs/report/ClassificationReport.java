package io.treeprop.jobs.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Classification metrics from a {@link ConfusionMatrix}: accuracy, per-class precision, recall, F1 and support,
 * their macro and support-weighted averages, and the matrix itself. Stored in {@code metrics.json}.
 *
 * <p>Definitions, per class {@code c} with {@code tp} = rows of class {@code c} predicted {@code c}, {@code fp} =
 * rows of other classes predicted {@code c}, {@code fn} = rows of class {@code c} predicted otherwise:
 * <pre>
 * precision = tp / (tp + fp)     recall = tp / (tp + fn)     F1 = 2·tp / (2·tp + fp + fn)
 * accuracy  = Σ_c tp_c / rows    support = tp + fn (rows whose true class is c)
 * </pre>
 * <b>Zero division</b> (scikit-learn's default, {@code zero_division=0}): a ratio whose denominator is 0 is 0 — the
 * precision of a class that is never predicted, the recall of a class absent from the truth, and all three for a
 * class that occurs neither in the truth nor in the predictions. {@code F1 = 2·tp / (2·tp + fp + fn)} equals the
 * harmonic mean {@code 2PR / (P + R)} wherever that is defined and is 0 when {@code tp = 0}.
 *
 * <p><b>Averages.</b> The macro average is the unweighted mean over the classes that occur in the truth or in the
 * predictions (scikit-learn's default label set), so evaluating a 10-class model on data holding 3 classes, all
 * predicted within those 3, averages over 3 classes; a class that is predicted but absent from the truth counts
 * (with recall 0 and precision 0). The weighted average weights each class by its support. {@link Average#classes}
 * says how many classes each average covers.
 *
 * @param rows rows evaluated (at least 1)
 * @param accuracy fraction of rows whose predicted class is the true class
 * @param labels class names by index; they name the rows and columns of {@code confusionMatrix}
 * @param perClass one entry per class, in index order
 * @param macroAverage unweighted mean over the classes present in truth or predictions
 * @param weightedAverage mean weighted by support
 * @param confusionMatrix {@code [truth][predicted]} row counts, {@code k × k}
 */
public record ClassificationReport(long rows, double accuracy, List<String> labels, List<ClassMetrics> perClass,
    Average macroAverage, Average weightedAverage, long[][] confusionMatrix) {

  /**
   * One class's metrics.
   *
   * @param label the class name
   * @param support rows whose true class is this one
   * @param predicted rows predicted as this class
   */
  public record ClassMetrics(String label, double precision, double recall, double f1, long support,
      long predicted) {}

  /**
   * An average of the per-class metrics.
   *
   * @param classes how many classes the average covers
   */
  public record Average(double precision, double recall, double f1, int classes) {}

  public ClassificationReport {
    if (rows < 1) {
      throw new IllegalArgumentException("a classification report needs at least one row, received " + rows);
    }
    labels = List.copyOf(labels);
    perClass = List.copyOf(perClass);
    int k = labels.size();
    if (perClass.size() != k || confusionMatrix.length != k) {
      throw new IllegalArgumentException("expected " + k + " per-class entries and confusion matrix rows (one per "
          + "label), received " + perClass.size() + " and " + confusionMatrix.length);
    }
    for (long[] row : confusionMatrix) {
      if (row.length != k) {
        throw new IllegalArgumentException("expected " + k + " confusion matrix columns, received " + row.length);
      }
    }
  }

  /**
   * The report for the counts in {@code m}.
   *
   * @param labels class names by index, or null or empty for "0", "1", ...
   * @throws IllegalArgumentException when {@code m} is empty or the labels do not match its class count
   */
  public static ClassificationReport of(ConfusionMatrix m, List<String> labels) {
    int k = m.classes();
    List<String> names = labels == null || labels.isEmpty() ? defaultLabels(k) : labels;
    if (names.size() != k) {
      throw new IllegalArgumentException("expected " + k + " class labels for a " + k + "-class confusion matrix, "
          + "received " + names.size() + ": " + names);
    }
    long rows = m.total();
    if (rows == 0) {
      throw new IllegalArgumentException("no rows were evaluated: the confusion matrix is empty");
    }
    List<ClassMetrics> per = new ArrayList<>(k);
    long correct = 0;
    for (int c = 0; c < k; c++) {
      long tp = m.count(c, c);
      long support = m.truthCount(c);
      long predicted = m.predictedCount(c);
      correct += tp;
      per.add(new ClassMetrics(names.get(c), ratio(tp, predicted), ratio(tp, support),
          ratio(2 * tp, support + predicted), support, predicted));
    }
    return new ClassificationReport(rows, (double) correct / rows, names, per, macro(per), weighted(per, rows),
        m.toArray());
  }

  /** The class names "0" .. "k-1". */
  public static List<String> defaultLabels(int k) {
    List<String> l = new ArrayList<>(k);
    for (int c = 0; c < k; c++) {
      l.add(Integer.toString(c));
    }
    return l;
  }

  /** Compares the confusion matrix by its counts (a record compares arrays by identity). */
  @Override
  public boolean equals(Object o) {
    return o instanceof ClassificationReport r && r.rows == rows && Double.compare(r.accuracy, accuracy) == 0
        && r.labels.equals(labels) && r.perClass.equals(perClass) && r.macroAverage.equals(macroAverage)
        && r.weightedAverage.equals(weightedAverage) && Arrays.deepEquals(r.confusionMatrix, confusionMatrix);
  }

  @Override
  public int hashCode() {
    return Objects.hash(rows, accuracy, labels, perClass, macroAverage, weightedAverage)
        + 31 * Arrays.deepHashCode(confusionMatrix);
  }

  @Override
  public String toString() {
    return "ClassificationReport[rows=" + rows + ", accuracy=" + accuracy + ", labels=" + labels + ", perClass="
        + perClass + ", macroAverage=" + macroAverage + ", weightedAverage=" + weightedAverage
        + ", confusionMatrix=" + Arrays.deepToString(confusionMatrix) + "]";
  }

  /** {@code num / den}, or 0 when {@code den} is 0 (the zero-division convention). */
  static double ratio(long num, long den) {
    return den == 0 ? 0.0 : (double) num / den;
  }

  private static Average macro(List<ClassMetrics> per) {
    double p = 0;
    double r = 0;
    double f = 0;
    int n = 0;
    for (ClassMetrics c : per) {
      if (c.support() > 0 || c.predicted() > 0) {
        p += c.precision();
        r += c.recall();
        f += c.f1();
        n++;
      }
    }
    return new Average(p / n, r / n, f / n, n);
  }

  private static Average weighted(List<ClassMetrics> per, long rows) {
    double p = 0;
    double r = 0;
    double f = 0;
    int n = 0;
    for (ClassMetrics c : per) {
      if (c.support() > 0) {
        p += c.support() * c.precision();
        r += c.support() * c.recall();
        f += c.support() * c.f1();
        n++;
      }
    }
    return new Average(p / rows, r / rows, f / rows, n);
  }
}
