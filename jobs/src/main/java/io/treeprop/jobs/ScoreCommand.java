package io.treeprop.jobs;

import io.treeprop.core.model.Model;
import io.treeprop.jobs.data.DataSource;
import io.treeprop.jobs.data.SourceData;
import io.treeprop.jobs.score.Scoring;
import io.treeprop.spark.ml.ModelData;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code treeprop score --model M --input I --output O}: batch predictions as Parquet or CSV. */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = "Score data with a saved model, in blocks of rows; write prediction (and class probabilities "
        + "for classifiers) as Parquet or CSV.")
final class ScoreCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Model directory (any Hadoop path).")
  String model;

  @Option(names = "--input", required = true, description = "Data to score (any Hadoop path).")
  String input;

  @Mixin
  SourceOptions source;

  @Option(names = "--output", required = true, description = "Where to write the scores.")
  String output;

  @Option(names = "--output-format", description = "parquet (default) or csv.")
  String outputFormat = "parquet";

  @Option(names = "--overwrite", description = "Replace an existing output.")
  boolean overwrite;

  @Option(names = "--master", description = "Spark master when not under spark-submit (default local[*]).")
  String master;

  @Override
  public Integer call() throws Exception {
    Phases phases = new Phases();
    Scoring.requireFormat(outputFormat);
    phases.next("Spark", "starting Spark" + (master == null ? "" : " (" + master + ")"));
    SparkSession spark = Sessions.create("treeprop score", master, java.util.Map.of());
    try {
      Outputs.requireWritable("--output", output, overwrite, spark.sparkContext().hadoopConfiguration());
      phases.next("reading", "reading the model " + model + " and checking " + input);
      Model m = ModelData.load(model, spark.sparkContext().hadoopConfiguration());
      SourceData data = DataSource.read(spark, source.spec(input, m, false));
      phases.next("scoring", String.format("scoring %,d rows", data.rows()));
      long t0 = System.nanoTime();
      Scoring.write(Scoring.score(spark, m, data), output, outputFormat, overwrite);
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("scored %,d rows in %.1f s (%,.0f rows/s): %s%n", data.rows(), s, data.rows() / s, output);
      phases.end();
    } finally {
      Sessions.stopIfEmbedded(spark);
    }
    return 0;
  }
}
