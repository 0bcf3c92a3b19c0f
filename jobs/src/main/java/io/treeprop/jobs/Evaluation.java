package io.treeprop.jobs;

import io.treeprop.core.loss.Loss;
import io.treeprop.core.model.Model;
import io.treeprop.jobs.data.DataSource;
import io.treeprop.jobs.data.LabelMapping;
import io.treeprop.jobs.data.SourceData;
import io.treeprop.jobs.report.ClassificationReport;
import io.treeprop.jobs.report.ReconstructionReport;
import io.treeprop.jobs.report.ConfusionMatrix;
import io.treeprop.jobs.report.RegressionReport;
import io.treeprop.jobs.report.RegressionStats;
import io.treeprop.jobs.report.Report;
import io.treeprop.jobs.score.Reconstruction;
import io.treeprop.jobs.score.Scoring;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Evaluates a model on labelled data: scores it in blocks ({@link Scoring}), accumulates the confusion matrix or
 * the regression sums with one {@code treeAggregate}, and optionally writes the report; for a classifier of
 * images the report also shows its most confident mistakes ({@link Mistakes}). An autoencoder is evaluated by its
 * reconstruction error ({@link ReconstructionEvaluation}).
 */
final class Evaluation {
  private Evaluation() {}

  /** What evaluation found. */
  record Result(Report report, String headline) {}

  /**
   * Evaluates {@code model} on {@code raw}.
   *
   * @param pictures whether the report will be written, so the pictures that need another pass over the data
   *     (the misclassified images) are worth collecting
   */
  static Result evaluate(SparkSession spark, Model model, SourceData raw, String modelLocation, boolean pictures) {
    if (Reconstruction.of(model)) {
      ReconstructionReport r = ReconstructionEvaluation.metrics(spark, model, raw);
      Report.Builder b = Report.builder().optModel(model).optModelLocation(modelLocation)
          .optData(raw.description()).setReconstruction(r);
      if (pictures) {
        b.optReconstructions(ReconstructionEvaluation.grid(model, raw));
      }
      return new Result(b.build(), String.format("reconstruction MSE %.6g per value on %,d rows", r.mse(),
          r.rows()));
    }
    if (!raw.labeled()) {
      throw new IllegalArgumentException(raw.description() + " has no labels; evaluation needs them (use score "
          + "for unlabelled data)");
    }
    Loss loss = model.loss();
    boolean regression = loss == null || loss.task() == Loss.Task.REGRESSION;
    Optional<LabelMapping> mapping = LabelMapping.fromMetadata(model.metadata());
    SourceData data = regression ? DataSource.numericLabels(raw)
        : mapping.map(m -> m.apply(raw)).orElse(raw);
    Dataset<Row> all = Scoring.scoreIndices(spark, model, data);
    var scored = all.select(SourceData.LABEL, Scoring.PREDICTION);
    Report.Builder b = Report.builder().optModel(model).optModelLocation(modelLocation).optData(raw.description());
    int k = model.network().outputShape().size();
    if (regression) {
      RegressionStats s = scored.javaRDD().treeAggregate(new RegressionStats(k), Evaluation::addRegression,
          RegressionStats::merge, 2);
      RegressionReport r = RegressionReport.of(s, outputNames(k));
      b.setRegression(r);
      return new Result(b.build(), String.format("RMSE %.4f, MAE %.4f, R² %.4f", r.rmse(), r.mae(), r.r2()));
    }
    int classes = loss.task() == Loss.Task.MULTICLASS ? k : 2;
    ConfusionMatrix cm = scored.javaRDD().treeAggregate(new ConfusionMatrix(classes),
        (m, row) -> m.add((int) row.getDouble(0), (int) row.getDouble(1)), ConfusionMatrix::merge, 2);
    List<String> names = model.labels().size() == classes ? model.labels()
        : mapping.map(LabelMapping::labels).filter(l -> l.size() == classes)
            .orElse(ClassificationReport.defaultLabels(classes));
    ClassificationReport r = ClassificationReport.of(cm, names);
    b.setClassification(r);
    if (pictures && Mistakes.drawable(data.shape())) {
      b.optMisclassified(Mistakes.find(spark, all, data.shape(), names, misclassified(cm)));
    }
    return new Result(b.build(), String.format("accuracy %.4f on %,d rows", r.accuracy(), r.rows()));
  }

  private static long misclassified(ConfusionMatrix cm) {
    long right = 0;
    for (int c = 0; c < cm.classes(); c++) {
      right += cm.count(c, c);
    }
    return cm.total() - right;
  }

  private static RegressionStats addRegression(RegressionStats s, Row row) {
    Object t = row.get(0);
    Object p = row.get(1);
    if (t instanceof Vector tv) {
      return s.addRow(tv.toArray(), ((Vector) p).toArray());
    }
    return s.add(((Number) t).doubleValue(), ((Number) p).doubleValue());
  }

  private static List<String> outputNames(int k) {
    return k == 1 ? List.of("label") : java.util.stream.IntStream.range(0, k).mapToObj(i -> "output_" + i).toList();
  }

  /** Writes the report and says where. */
  static void write(SparkSession spark, Result r, String dir, boolean overwrite, PrintStream out) throws IOException {
    r.report().write(new Path(dir), spark.sparkContext().hadoopConfiguration(), overwrite);
    out.println("report: " + dir); // as the user wrote it, like the model's path
  }
}
