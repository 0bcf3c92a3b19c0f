package io.treeprop.jobs;

import io.treeprop.core.model.Model;
import io.treeprop.jobs.data.DataSource;
import io.treeprop.jobs.data.SourceData;
import io.treeprop.jobs.score.Scoring;
import io.treeprop.jobs.score.StreamScoring;
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

  @Option(names = "--stream", description = "Watch the --input directory and score each file that lands in it, "
      + "exactly once, into --output/batch=<n>/; needs --checkpoint.")
  boolean stream;

  @Option(names = "--checkpoint", description = "With --stream: where the stream records the files it scored "
      + "(any Hadoop path); run again with the same one to go on where it stopped.")
  String checkpoint;

  @Option(names = "--once", description = "With --stream: score the files there now, then stop.")
  boolean once;

  @Option(names = "--interval", description = "With --stream: seconds between looks at the directory "
      + "(default ${DEFAULT-VALUE}).")
  double interval = 5;

  @Override
  public Integer call() throws Exception {
    if (stream != (checkpoint != null) || (once || interval != 5) && !stream) {
      throw new IllegalArgumentException("--stream and --checkpoint go together (--once and --interval only "
          + "with them): score --stream --checkpoint DIR ...");
    }
    if (!(interval > 0)) {
      throw new IllegalArgumentException("--interval (" + interval + ") must be a positive number of seconds");
    }
    Phases phases = new Phases();
    Scoring.requireFormat(outputFormat);
    phases.next("Spark", "starting Spark" + (master == null ? "" : " (" + master + ")"));
    SparkSession spark = Sessions.create("treeprop score", master, java.util.Map.of());
    if (stream) {
      try {
        return streamScores(spark);
      } finally {
        Sessions.stopIfEmbedded(spark);
      }
    }
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

  /** {@code --stream}: runs until stopped (or, with {@code --once}, until the files there are scored). */
  private int streamScores(SparkSession spark) throws Exception {
    org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    org.apache.hadoop.fs.Path cp = new org.apache.hadoop.fs.Path(checkpoint);
    boolean resuming = cp.getFileSystem(hadoop).exists(cp);
    if (!resuming) {
      // a new stream writes into a new output; an existing one goes on where its checkpoint says
      Outputs.requireWritable("--output", output, overwrite, hadoop);
      org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(output);
      if (overwrite && out.getFileSystem(hadoop).exists(out)) {
        out.getFileSystem(hadoop).delete(out, true);
      }
    }
    Model m = ModelData.load(model, hadoop);
    var spec = source.spec(input, m, false);
    System.out.printf("%s %s for new files (%s); scores into %s%n", resuming ? "watching again" : "watching", input,
        once ? "those there now, then stopping" : "every " + interval + " s, until stopped", output);
    StreamScoring.await(StreamScoring.start(spark, m, spec, output, outputFormat, checkpoint, once,
        Math.round(interval * 1000)));
    return 0;
  }
}
