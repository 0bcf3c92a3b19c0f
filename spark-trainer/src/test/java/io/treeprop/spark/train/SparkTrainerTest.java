package io.treeprop.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.EarlyStopping;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.spark.LocalSpark;
import io.treeprop.spark.TestData;
import io.treeprop.spark.data.InputColumns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Determinism, retried tasks, checkpoints and exact resume. */
@ExtendWith(LocalSpark.class)
class SparkTrainerTest {
  private static final NetworkSpec SPEC = NetworkSpec.input(6).dense(16).relu().dropout(0.2f).dense(3).softmax();

  @TempDir
  Path tmp;

  private static TrainConfig config(int epochs, long seed) {
    return new TrainConfig(epochs, 40, seed, new Updater(new Optimizers.Adam(0.01f)), 0.2,
        EarlyStopping.onValidationLoss(10));
  }

  private static Model fit(SparkSession spark, SparkTrainConfig cfg) {
    Dataset<Row> df = TestData.blobs(spark, 400, 6, 4, 3);
    return new SparkTrainer(cfg).fit(SPEC, new Losses.CategoricalCrossEntropy(), df, null, InputColumns.defaults());
  }

  /** Epoch metrics without their timings. */
  private static java.util.List<java.util.List<Object>> metrics(Model m) {
    return m.summary().epochs().stream().map(e -> java.util.List.<Object>of(e.step(), e.trainLoss(),
        e.trainAccuracy(), e.validationLoss(), e.validationAccuracy(), e.learningRate())).toList();
  }

  @Test
  void sameSeedAndPartitioningGiveIdenticalWeights(SparkSession spark) {
    Model a = fit(spark, SparkTrainConfig.of(config(3, 1)));
    Model b = fit(spark, SparkTrainConfig.of(config(3, 1)));
    assertArrayEquals(a.params(), b.params(), 0f);
    assertEquals(metrics(a), metrics(b));
    assertFalse(Arrays.equals(a.params(), fit(spark, SparkTrainConfig.of(config(3, 2))).params()));
    assertTrue(a.summary().epochs().get(2).validationAccuracy() > 0.9, a.summary().epochs().toString());
  }

  @Test
  void aRetriedTaskRecomputesTheSameGradient(SparkSession spark) throws Exception {
    Model clean = fit(spark, SparkTrainConfig.of(config(2, 1)));
    RetriedTasks.Run<Model> retried =
        RetriedTasks.failingAt(spark, 5, () -> fit(spark, SparkTrainConfig.of(config(2, 1))));
    assertEquals(1, retried.failedAttempts(), "exactly one task attempt failed and was retried");
    assertArrayEquals(clean.params(), retried.result().params(), 0f);
  }

  @Test
  void aCrashMidEpochResumesFromTheLastCheckpointToTheUninterruptedWeights(SparkSession spark) {
    Model straight = fit(spark, SparkTrainConfig.of(config(3, 1)));
    CheckpointConfig cp = new CheckpointConfig("file:" + tmp.resolve("crash"), 5, false, 2);
    SparkTrainConfig cfg = SparkTrainConfig.of(config(3, 1)).withCheckpoints(cp, true);
    Dataset<Row> df = TestData.blobs(spark, 400, 6, 4, 3);
    TrainingListener crash = new TrainingListener() {
      @Override
      public void onStep(StepReport s) {
        if (s.step() == 13) {
          throw new IllegalStateException("simulated driver crash at step 13");
        }
      }
    };
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> new SparkTrainer(cfg).addListener(crash).fit(SPEC, new Losses.CategoricalCrossEntropy(), df, null,
            InputColumns.defaults()));
    assertTrue(e.getMessage().contains("simulated"), e.getMessage());
    assertTrue(Files.exists(tmp.resolve("crash/step-000000010")), "the checkpoint of step 10, inside epoch 2");
    assertEquals(1, straight.summary().epochs().get(0).step() / 8, "8 steps per epoch: step 10 is mid-epoch");
    Model resumed = new SparkTrainer(cfg).fit(SPEC, new Losses.CategoricalCrossEntropy(), df, null,
        InputColumns.defaults());
    assertArrayEquals(straight.params(), resumed.params(), 0f);
    assertEquals(metrics(straight), metrics(resumed));
  }

  @Test
  void divergenceStopsWithAClearErrorAndKeepsTheLastGoodCheckpoint(SparkSession spark) throws Exception {
    CheckpointConfig cp = new CheckpointConfig("file:" + tmp.resolve("diverge"), 1, false, 2);
    TrainConfig wild = new TrainConfig(5, 40, 1, new Updater(new Optimizers.Sgd(1e30f)), 0, null);
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> fit(spark, SparkTrainConfig.of(wild).withCheckpoints(cp, false)));
    assertTrue(e.getMessage().startsWith("training diverged: "), e.getMessage());
    assertTrue(e.getMessage().contains("the last good checkpoint is"), e.getMessage());
    Path latest;
    try (Stream<Path> s = Files.list(tmp.resolve("diverge"))) {
      latest = s.filter(p -> p.getFileName().toString().startsWith("step-")).sorted().reduce((a, b) -> b)
          .orElseThrow();
    }
    Model good = io.treeprop.core.model.ModelFiles.load(latest);
    for (float p : good.params()) {
      assertTrue(Float.isFinite(p), "the kept checkpoint holds finite weights");
    }
  }

  @Test
  void repartitionsTheTrainingDataThroughSparkSqlsShuffleNotTheRowSerializer(SparkSession spark) {
    // LocalSpark requires Kryo registration: an RDD shuffle of Row objects would fail on GenericRowWithSchema
    Dataset<Row> one = TestData.blobs(spark, 400, 6, 1, 3);
    Model m = new SparkTrainer(SparkTrainConfig.of(config(3, 1)).withPartitions(2)).fit(SPEC,
        new Losses.CategoricalCrossEntropy(), one, null, InputColumns.defaults());
    assertTrue(m.summary().epochs().get(2).validationAccuracy() > 0.9, m.summary().epochs().toString());
  }

  @Test
  void trainsFromAnRddOfLabeledPoints(SparkSession spark) {
    org.apache.spark.api.java.JavaRDD<org.apache.spark.ml.feature.LabeledPoint> points =
        TestData.blobs(spark, 300, 6, 3, 4).javaRDD().map(r -> new org.apache.spark.ml.feature.LabeledPoint(
            r.getDouble(1), (org.apache.spark.ml.linalg.Vector) r.get(0)));
    Model m = new SparkTrainer(SparkTrainConfig.of(new TrainConfig(5, 30, 1,
        new Updater(new Optimizers.Adam(0.01f)), 0.2, null)))
        .fit(SPEC, new Losses.CategoricalCrossEntropy(), points, null);
    assertTrue(m.summary().epochs().get(4).validationAccuracy() > 0.9, m.summary().epochs().toString());
  }

  @Test
  void stoppingAfterAnEpochAndResumingGivesTheUninterruptedWeights(SparkSession spark) throws Exception {
    Model straight = fit(spark, SparkTrainConfig.of(config(4, 1)));
    String dir = "file:" + tmp.resolve("cp");
    CheckpointConfig cp = new CheckpointConfig(dir, 7, true, 2);
    Model firstHalf = fit(spark, SparkTrainConfig.of(config(2, 1)).withCheckpoints(cp, true));
    assertEquals(2, firstHalf.summary().epochs().size());
    try (Stream<Path> s = Files.list(tmp.resolve("cp"))) {
      assertEquals(2, s.filter(p -> p.getFileName().toString().startsWith("step-")).count(), "keepLast 2");
    }
    Model resumed = fit(spark, SparkTrainConfig.of(config(4, 1)).withCheckpoints(cp, true));
    assertArrayEquals(straight.params(), resumed.params(), 0f);
    assertEquals(straight.summary().epochs().size(), resumed.summary().epochs().size());
    assertEquals(straight.summary().steps(), resumed.summary().steps());
    assertEquals(metrics(straight), metrics(resumed), "the metric history continues exactly");
  }
}
