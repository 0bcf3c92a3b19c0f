package io.treeprop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.model.Model;
import io.treeprop.jobs.data.SourceSpec;
import io.treeprop.jobs.score.StreamScoring;
import io.treeprop.spark.ml.ModelData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code score --stream}: files that land in a directory while the stream runs are scored once each, as batch
 * scoring scores them, and a restart from the checkpoint adds only new files.
 */
class StreamScoreTest {
  @TempDir
  static Path tmp;

  private static String model;

  /** Rows "id,a,b" with ids from {@code first}; class by the value of a. */
  private static String csv(int first, int rows, boolean label) {
    Random rng = new Random(first);
    StringBuilder sb = new StringBuilder(label ? "id,a,b,y\n" : "id,a,b\n");
    for (int i = first; i < first + rows; i++) {
      double a = rng.nextDouble() * 2 - 1;
      sb.append(String.format(Locale.ROOT, "r%d,%.4f,%.4f", i, a, rng.nextDouble() * 2 - 1));
      sb.append(label ? (a < 0 ? ",neg\n" : ",pos\n") : "\n");
    }
    return sb.toString();
  }

  @BeforeAll
  static void train() throws IOException {
    String data = Files.writeString(tmp.resolve("train.csv"), csv(0, 300, true)).toString();
    model = tmp.resolve("model").toString();
    String conf = Cli.job(tmp, "job.conf", "data { train { format = csv, path = \"" + data + "\", header = true, "
        + "labelColumn = y, featureColumns = [a, b] } }\n"
        + "model { layers = [{type = dense, units = 8}, {type = activation, function = tanh}, {type = dense, "
        + "units = 2}, {type = activation, function = softmax}], loss = categorical_cross_entropy }\n"
        + "training { epochs = 5, batchSize = 32 }\n"
        + "output { model = \"" + model + "\" }\n");
    Cli.Result r = Cli.run("train", conf);
    assertEquals(0, r.code(), r.toString());
  }

  @Test
  void filesLandingWhileItRunsAreScoredOnceAndARestartAddsOnlyNewOnes() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("incoming"));
    String out = tmp.resolve("scores").toString();
    String cp = tmp.resolve("stream-cp").toString();
    Files.writeString(in.resolve("f1.csv"), csv(1000, 40, false));
    SparkSession spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1").getOrCreate();
    try {
      Model m = ModelData.load(model, spark.sparkContext().hadoopConfiguration());
      SourceSpec spec = new SourceSpec("csv", in.toString(), null, null, List.of("a", "b"), null, true, null, 0);
      StreamingQuery q = StreamScoring.start(spark, m, spec, out, "parquet", cp, false, 300);
      q.processAllAvailable();
      Files.writeString(in.resolve("f2.csv"), csv(2000, 30, false)); // lands while the stream runs
      q.processAllAvailable();
      q.stop();
      assertEquals(70, spark.read().parquet(out).count());
    } finally {
      spark.stop();
    }
    // the command, restarted on the same checkpoint: only the new file
    Files.writeString(in.resolve("f3.csv"), csv(3000, 20, false));
    Cli.Result r = Cli.run("score", "--model", model, "--input", in.toString(), "--output", out, "--stream",
        "--checkpoint", cp, "--once");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("watching again"), r.out());
    Cli.Result again = Cli.run("score", "--model", model, "--input", in.toString(), "--output", out, "--stream",
        "--checkpoint", cp, "--once");
    assertEquals(0, again.code(), again.toString());

    Path batchOut = tmp.resolve("batch-scores");
    Cli.Result batch = Cli.run("score", "--model", model, "--input", in.toString(), "--output", batchOut.toString());
    assertEquals(0, batch.code(), batch.toString());
    SparkSession check = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1").getOrCreate();
    try {
      List<Row> streamed = check.read().parquet(out).select("id", "prediction", "batch", "source_file")
          .collectAsList();
      Map<String, String> byId = new HashMap<>();
      for (Row row : streamed) {
        assertTrue(byId.put(row.getString(0), row.getString(1)) == null, "scored once: " + row.getString(0));
      }
      assertEquals(90, byId.size(), "40 + 30 + 20 rows, none twice");
      assertEquals(3, streamed.stream().map(x -> x.get(2)).distinct().count(), "one micro-batch per landing");
      for (Row row : check.read().parquet(batchOut.toString()).select("id", "prediction").collectAsList()) {
        assertEquals(row.getString(1), byId.get(row.getString(0)), "as batch scoring: " + row.getString(0));
      }
    } finally {
      check.stop();
    }
  }

  @Test
  void streamOptionsGoTogether() {
    Cli.Result r = Cli.run("score", "--model", model, "--input", tmp.toString(), "--output",
        tmp.resolve("x").toString(), "--stream");
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().contains("--stream and --checkpoint go together"), r.err());
  }
}
