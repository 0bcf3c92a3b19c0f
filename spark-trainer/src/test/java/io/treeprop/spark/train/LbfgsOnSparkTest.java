package io.treeprop.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.layer.BatchNormSpec;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.EpochMetrics;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Lbfgs;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.LocalTrainer;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.spark.LocalSpark;
import io.treeprop.spark.TestData;
import io.treeprop.spark.data.InputColumns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Full-batch L-BFGS on Spark: one aggregation over every partition per evaluation, by either exchange; one
 * partition is the local trainer's run to the bit; a crash resumes from the checkpointed history to the
 * uninterrupted run.
 */
@ExtendWith(LocalSpark.class)
class LbfgsOnSparkTest {
  /** An MLP with batch norm, so the running statistics travel with the accepted points and the checkpoints. */
  static final NetworkSpec SPEC = NetworkSpec.input(64).dense(12).add(new BatchNormSpec()).tanh().dense(3)
      .softmax();
  private static final int ROWS = 300;

  @TempDir
  Path tmp;

  private static TrainConfig config(int iterations) {
    return new TrainConfig(iterations, TrainConfig.DEFAULT_BATCH_SIZE, 4, new Updater(new Lbfgs(5, 0)), 0, null);
  }

  private static Model fit(SparkSession spark, SparkTrainConfig cfg, int partitions) {
    return new SparkTrainer(cfg).fit(SPEC, new Losses.CategoricalCrossEntropy(),
        CnnOnSparkTest.frame(spark, CnnOnSparkTest.bars(ROWS, 1), partitions), null, InputColumns.defaults());
  }

  private static List<List<Object>> metrics(Model m) {
    return m.summary().epochs().stream().map(e -> List.<Object>of(e.step(), e.trainLoss(), e.trainAccuracy(),
        e.learningRate())).toList();
  }

  private static void assertSameRun(Model expected, Model actual) {
    assertArrayEquals(expected.params(), actual.params(), 0f, "weights");
    assertArrayEquals(expected.state(), actual.state(), 0f, "batch-norm running statistics");
    assertEquals(metrics(expected), metrics(actual), "history");
  }

  @Test
  void onePartitionReproducesTheLocalTrainerAndTheLossFallsEveryIteration(SparkSession spark) {
    Model onSpark = fit(spark, SparkTrainConfig.of(config(8)).withExchange(Exchange.TREE), 1);
    float[][] train = TestData.collect(CnnOnSparkTest.frame(spark, CnnOnSparkTest.bars(ROWS, 1), 1));
    Model local = new LocalTrainer(config(8)).fit(SPEC, new Losses.CategoricalCrossEntropy(),
        new io.treeprop.core.train.Dataset(train[0], train[1], ROWS, 64, 1), null);
    assertSameRun(local, onSpark);
    List<EpochMetrics> h = onSpark.summary().epochs();
    assertEquals(8, h.size());
    for (int i = 0; i < h.size(); i++) {
      assertEquals(i + 1, h.get(i).step(), "one L-BFGS iteration per epoch");
      assertTrue(h.get(i).learningRate() > 0, "the accepted step length is reported as the rate");
      if (i > 0) {
        assertTrue(h.get(i).trainLoss() < h.get(i - 1).trainLoss(), "iteration " + (i + 1) + ": " + metrics(onSpark));
      }
    }
    assertFalse(Arrays.equals(SPEC.compile().initState(), onSpark.state()), "running statistics never updated");
  }

  @Test
  void treeAndBarrierExchangesTakeTheSameIterationsAndTheNetworkLearns(SparkSession spark) {
    AtomicInteger evaluations = new AtomicInteger();
    spark.sparkContext().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
      @Override
      public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart j) {
        String d = j.properties() == null ? null : j.properties().getProperty("spark.job.description");
        if (d != null && d.contains("L-BFGS")) {
          evaluations.incrementAndGet();
        }
      }
    });
    Model tree = fit(spark, SparkTrainConfig.of(config(12)).withExchange(Exchange.TREE), 2);
    int treeJobs = evaluations.get();
    assertTrue(treeJobs >= 13, "at least one aggregation job per iteration plus the start: " + treeJobs);
    Model barrier = fit(spark, SparkTrainConfig.of(config(12)).withExchange(Exchange.BARRIER), 2);
    assertSameRun(tree, barrier);
    assertEquals(treeJobs, evaluations.get(), "the barrier run evaluates inside its one job");
    assertTrue(tree.summary().epochs().get(11).trainAccuracy() >= 0.9, metrics(tree).toString());
  }

  @Test
  void aCrashResumesFromTheCheckpointedHistoryToTheUninterruptedRun(SparkSession spark) throws Exception {
    Model straight = fit(spark, SparkTrainConfig.of(config(7)).withExchange(Exchange.TREE), 2);
    CheckpointConfig cp = new CheckpointConfig("file:" + tmp.resolve("cp"), 0, true, 2);
    SparkTrainConfig cfg = SparkTrainConfig.of(config(7)).withExchange(Exchange.TREE).withCheckpoints(cp, true);
    TrainingListener crash = new TrainingListener() {
      @Override
      public void onStep(StepReport s) {
        if (s.step() == 5) {
          throw new IllegalStateException("simulated driver crash at iteration 5");
        }
      }
    };
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SparkTrainer(cfg)
        .addListener(crash).fit(SPEC, new Losses.CategoricalCrossEntropy(),
            CnnOnSparkTest.frame(spark, CnnOnSparkTest.bars(ROWS, 1), 2), null, InputColumns.defaults()));
    assertTrue(e.getMessage().contains("simulated"), e.getMessage());
    Path kept = tmp.resolve("cp/step-000000004");
    assertTrue(Files.exists(kept.resolve(Checkpoints.OPTIMIZER_BIN)), "the checkpoint of iteration 4");
    // 4 pairs of 64·12 + 12 + 24 + 12·3 + 3 floats: the history is in the checkpoint
    long params = SPEC.compile().layout().paramCount();
    assertTrue(Files.size(kept.resolve(Checkpoints.OPTIMIZER_BIN)) >= 8 * params * 4,
        Files.size(kept.resolve(Checkpoints.OPTIMIZER_BIN)) + " bytes");
    assertSameRun(straight, fit(spark, cfg, 2));
  }

  @Test
  void refusesDropoutBeforeAnySparkJob(SparkSession spark) {
    AtomicInteger jobs = new AtomicInteger();
    spark.sparkContext().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
      @Override
      public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart j) {
        jobs.incrementAndGet();
      }
    });
    var frame = CnnOnSparkTest.frame(spark, CnnOnSparkTest.bars(30, 1), 1);
    int before = jobs.get();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SparkTrainer(
        SparkTrainConfig.of(config(3))).fit(NetworkSpec.input(64).dense(8).dropout(0.5f).dense(3).softmax(),
            new Losses.CategoricalCrossEntropy(), frame, null, InputColumns.defaults()));
    assertTrue(e.getMessage().startsWith("network.layers[1] is a dropout layer"), e.getMessage());
    assertEquals(before, jobs.get(), "no Spark job ran");
  }
}
