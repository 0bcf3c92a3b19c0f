package io.treeprop.jobs.report;

import io.treeprop.core.model.TrainingSummary;
import io.treeprop.jobs.report.ClassificationReport.ClassMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** {@code summary.txt}: the report's headline numbers in a few lines a person reads first. */
final class ReportText {
  private static final int CONFUSIONS = 3;

  private ReportText() {}

  /**
   * The summary's lines: the metrics, then {@code notes} (e.g. what a picture shows), the training, and last
   * {@code files}, the report's files.
   */
  static List<String> lines(ReportMetrics m, List<String> notes, List<String> files) {
    List<String> l = new ArrayList<>();
    l.add("Treeprop evaluation report");
    if (m.model() != null) {
      l.add("model: " + m.model());
    }
    if (m.data() != null) {
      l.add("data: " + m.data());
    }
    if (m.classification() != null) {
      classification(l, m.classification());
    } else if (m.reconstruction() != null) {
      ReconstructionReport r = m.reconstruction();
      l.add(f("task: reconstruction, %,d rows of %,d values", r.rows(), r.values()));
      l.add(f("reconstruction error: MSE %.6g per value (RMSE %.6g), worst row MSE %.6g; in the scaled units the "
          + "model was trained in, on clean inputs", r.mse(), Math.sqrt(r.mse()), r.worstRowMse()));
    } else {
      regression(l, m.regression());
    }
    l.addAll(notes);
    if (m.training() != null) {
      l.add(training(m.training()));
    }
    l.add("files: " + String.join(", ", files));
    return l;
  }

  private static void classification(List<String> l, ClassificationReport c) {
    l.add(f("task: classification, %,d rows, %d classes", c.rows(), c.labels().size()));
    l.add(f("accuracy: %.4f", c.accuracy()));
    l.add(f("F1: macro %.4f (over %d classes), weighted %.4f", c.macroAverage().f1(), c.macroAverage().classes(),
        c.weightedAverage().f1()));
    c.perClass().stream().filter(x -> x.support() > 0).min(Comparator.comparingDouble(ClassMetrics::f1))
        .ifPresent(w -> l.add(f("weakest class: \"%s\", F1 %.4f (precision %.4f, recall %.4f, %,d rows)",
            w.label(), w.f1(), w.precision(), w.recall(), w.support())));
    List<String> top = topConfusions(c);
    if (!top.isEmpty()) {
      l.add("most frequent errors: " + String.join("; ", top));
    }
  }

  /** The largest off-diagonal counts, as "true" predicted as "other" n times. */
  private static List<String> topConfusions(ClassificationReport c) {
    long[][] m = c.confusionMatrix();
    List<long[]> cells = new ArrayList<>();
    for (int t = 0; t < m.length; t++) {
      for (int p = 0; p < m.length; p++) {
        if (t != p && m[t][p] > 0) {
          cells.add(new long[] {m[t][p], t, p});
        }
      }
    }
    cells.sort(Comparator.<long[]>comparingLong(x -> -x[0]).thenComparingLong(x -> x[1])
        .thenComparingLong(x -> x[2]));
    List<String> out = new ArrayList<>();
    for (long[] x : cells.subList(0, Math.min(CONFUSIONS, cells.size()))) {
      out.add(f("\"%s\" predicted as \"%s\" %,d times", c.labels().get((int) x[1]), c.labels().get((int) x[2]),
          x[0]));
    }
    return out;
  }

  private static void regression(List<String> l, RegressionReport r) {
    l.add(f("task: regression, %,d rows, %d output%s", r.rows(), r.perOutput().size(),
        r.perOutput().size() == 1 ? "" : "s"));
    l.add(f("RMSE %.6g, MAE %.6g, R² %.4f", r.rmse(), r.mae(), r.r2()));
    if (r.perOutput().size() > 1) {
      for (RegressionReport.OutputMetrics o : r.perOutput()) {
        l.add(f("  output \"%s\": RMSE %.6g, MAE %.6g, R² %.4f", o.name(), o.rmse(), o.mae(), o.r2()));
      }
    }
  }

  private static String training(TrainingSummary s) {
    String kept = s.bestEpoch() == null ? "" : f("; the model holds epoch %d's weights", s.bestEpoch());
    return f("training: %d epochs, %,d steps, %.1f s; %s%s", s.epochs().size(), s.steps(), s.seconds(),
        s.stopReason() == null ? "no stop reason recorded" : s.stopReason(), kept);
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
