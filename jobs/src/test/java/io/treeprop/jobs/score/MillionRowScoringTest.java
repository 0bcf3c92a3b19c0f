package io.treeprop.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.Dataset;
import io.treeprop.core.train.LocalTrainer;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.jobs.data.Scaling;
import io.treeprop.jobs.data.SourceData;
import io.treeprop.spark.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Scoring 1,000,000 rows writes 1,000,000 predictions equal to the in-memory model's. */
@ExtendWith(LocalSpark.class)
class MillionRowScoringTest {
  private static final int ROWS = 1_000_000;
  private static final int D = 8;
  private static final double SCALE = 0.5;

  @TempDir
  Path tmp;

  /** Feature j of row id: a deterministic function both Spark and the driver compute. */
  private static double feature(long id, int j) {
    return 2 * Math.sin(0.001 * id * (j + 1) + j);
  }

  private static Model trainedModel() {
    int n = 3000;
    SplittableRandom rng = new SplittableRandom(1);
    float[] x = new float[n * D];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      long id = rng.nextLong(ROWS);
      for (int j = 0; j < D; j++) {
        x[i * D + j] = (float) (feature(id, j) * SCALE);
      }
      y[i] = x[i * D] + x[i * D + 1] > 0.3 ? 2 : x[i * D + 2] > 0 ? 1 : 0;
    }
    Model m = new LocalTrainer(new TrainConfig(5, 64, 3, new Updater(new Optimizers.Adam(0.01f)), 0, null))
        .fit(NetworkSpec.input(D).dense(16).relu().dense(3).softmax(), new Losses.CategoricalCrossEntropy(),
            new Dataset(x, y, n, D, 1), null);
    Map<String, Object> meta = new HashMap<>(new Scaling.Factor(SCALE).toMetadata());
    return m.with(m.summary(), meta);
  }

  @Test
  void scoresAMillionRowsLikeTheInMemoryModel(SparkSession spark) throws Exception {
    Model model = trainedModel();
    Column[] fs = new Column[D];
    for (int j = 0; j < D; j++) {
      fs[j] = functions.sin(functions.col("id").multiply(0.001 * (j + 1)).plus(j)).multiply(2);
    }
    org.apache.spark.sql.Dataset<Row> frame = spark.range(0, ROWS, 1, 4).withColumn(SourceData.FEATURES,
        org.apache.spark.ml.functions.array_to_vector(functions.array(fs)));
    String out = tmp.resolve("scores").toString();
    long t0 = System.nanoTime();
    Scoring.write(Scoring.score(spark, model, new SourceData(frame, ROWS, D, "generated rows")), out, "parquet",
        false);
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("scored %,d rows in %.1f s (%,.0f rows/s)%n", ROWS, seconds, ROWS / seconds);

    List<Row> back = spark.read().parquet(out).select(functions.col("id"), functions.col(Scoring.PREDICTION),
        org.apache.spark.ml.functions.vector_to_array(functions.col(Scoring.PROBABILITY), "float64").getItem(2))
        .collectAsList();
    assertEquals(ROWS, back.size());
    float[] x = new float[ROWS * D];
    for (int i = 0; i < ROWS; i++) {
      for (int j = 0; j < D; j++) {
        x[i * D + j] = (float) (feature(i, j) * SCALE);
      }
    }
    float[] expected = model.predict(x, ROWS);
    int[] classes = model.predictClasses(x, ROWS);
    boolean[] seen = new boolean[ROWS];
    int[] perClass = new int[3];
    for (Row r : back) {
      int id = (int) r.getLong(0);
      assertFalse(seen[id], "row " + id + " scored twice");
      seen[id] = true;
      assertEquals(classes[id], (int) r.getDouble(1), "prediction of row " + id);
      assertEquals(expected[id * 3 + 2], r.getDouble(2), 1e-5, "probability of class 2, row " + id);
      perClass[classes[id]]++;
    }
    for (int c = 0; c < 3; c++) {
      assertTrue(perClass[c] > ROWS / 50, "every class is predicted somewhere: " + java.util.Arrays.toString(perClass));
    }
  }

  @Test
  void theJobScorerAndTheSparkMlModelGiveTheSameProbabilitiesAndPredictions(SparkSession spark) {
    Model model = trainedModel();
    Model unscaled = model.with(model.summary(), Map.of()); // the ML model does not read the job's scaling
    Column[] fs = new Column[D];
    for (int j = 0; j < D; j++) {
      fs[j] = functions.sin(functions.col("id").multiply(0.001 * (j + 1)).plus(j));
    }
    org.apache.spark.sql.Dataset<Row> frame = spark.range(0, 5000, 1, 2).withColumn(SourceData.FEATURES,
        org.apache.spark.ml.functions.array_to_vector(functions.array(fs)));
    Map<Long, Row> job = new HashMap<>();
    for (Row r : Scoring.score(spark, unscaled, new SourceData(frame, 5000, D, "rows"))
        .select("id", Scoring.PREDICTION, Scoring.PROBABILITY).collectAsList()) {
      job.put(r.getLong(0), r);
    }
    List<Row> ml = new io.treeprop.spark.ml.NeuralNetClassificationModel(unscaled).transform(frame)
        .select("id", "prediction", "probability").collectAsList();
    assertEquals(5000, ml.size());
    for (Row r : ml) {
      Row j = job.get(r.getLong(0));
      assertEquals(r.getDouble(1), j.getDouble(1), "prediction of row " + r.getLong(0));
      assertEquals(r.get(2), j.get(2), "probabilities of row " + r.getLong(0));
    }
  }

  @Test
  void anExistingOutputIsRefusedBeforeAnyWork(SparkSession spark) throws Exception {
    Path out = Files.createDirectories(tmp.resolve("taken"));
    Files.writeString(out.resolve("keep.txt"), "mine");
    org.apache.spark.sql.Dataset<Row> frame = spark.range(0, 10).withColumn(SourceData.FEATURES,
        org.apache.spark.ml.functions.array_to_vector(functions.array(java.util.Collections.nCopies(D,
            functions.lit(1.0)).toArray(new Column[0]))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scoring.write(
        Scoring.score(spark, trainedModel(), new SourceData(frame, 10, D, "ten rows")), out.toString(), "parquet",
        false));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> Scoring.score(spark,
        trainedModel(), new SourceData(frame, 10, D + 1, "ten rows")));
    assertTrue(wrong.getMessage().contains("the model takes 8"), wrong.getMessage());
  }
}
