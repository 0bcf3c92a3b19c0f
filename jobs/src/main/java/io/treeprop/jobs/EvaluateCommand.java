package io.treeprop.jobs;

import io.treeprop.core.model.Model;
import io.treeprop.jobs.data.DataSource;
import io.treeprop.jobs.data.SourceData;
import io.treeprop.jobs.score.Reconstruction;
import io.treeprop.spark.ml.ModelData;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code treeprop evaluate --model M --data D}: metrics of a saved model on labelled data, and a report. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Evaluate a saved model on labelled data (an autoencoder on any data); print the headline "
        + "metrics and optionally write a report (metrics.json, learning curves, confusion matrix, pictures).")
final class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Model directory (any Hadoop path).")
  String model;

  @Option(names = "--data", required = true, description = "Labelled data (any Hadoop path).")
  String data;

  @Mixin
  SourceOptions source;

  @Option(names = "--report", description = "Write the report to this directory.")
  String report;

  @Option(names = "--overwrite", description = "Replace an existing report.")
  boolean overwrite;

  @Option(names = "--master", description = "Spark master when not under spark-submit (default local[*]).")
  String master;

  @Override
  public Integer call() throws Exception {
    Phases phases = new Phases();
    phases.next("Spark", "starting Spark" + (master == null ? "" : " (" + master + ")"));
    SparkSession spark = Sessions.create("treeprop evaluate", master, java.util.Map.of());
    try {
      if (report != null) {
        Outputs.requireWritable("--report", report, overwrite, spark.sparkContext().hadoopConfiguration());
      }
      phases.next("reading", "reading the model " + model + " and checking " + data);
      Model m = ModelData.load(model, spark.sparkContext().hadoopConfiguration());
      SourceData labelled = DataSource.read(spark, source.spec(data, m, !Reconstruction.of(m)));
      phases.next("evaluating", String.format("evaluating on %,d rows", labelled.rows()));
      Evaluation.Result r = Evaluation.evaluate(spark, m, labelled, model, report != null);
      System.out.println(r.headline());
      if (report != null) {
        Evaluation.write(spark, r, report, overwrite, System.out);
      }
      phases.end();
    } finally {
      Sessions.stopIfEmbedded(spark);
    }
    return 0;
  }
}
