package io.treeprop.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.layer.ActivationFunction;
import io.treeprop.core.layer.BatchNormSpec;
import io.treeprop.core.layer.Conv2dSpec;
import io.treeprop.core.layer.LayerSpec;
import io.treeprop.core.layer.Padding;
import io.treeprop.core.layer.PoolSpec;
import io.treeprop.core.layer.ResidualSpec;
import io.treeprop.core.layer.Size2;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.tensor.Shape;
import io.treeprop.core.train.LocalTrainer;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.spark.LocalSpark;
import io.treeprop.spark.TestData;
import io.treeprop.spark.data.InputColumns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CNN with batch norm, dropout and residual blocks (one with a strided 1×1 projection) keeps every guarantee a
 * dense network has on Spark: bit-identical reruns, a retried task changes nothing, the barrier and tree exchanges
 * agree bit for bit, a crash resumes from a checkpoint (running statistics included) to the uninterrupted run,
 * one partition reproduces the local trainer, and batch-norm statistics combine across partitions count-weighted.
 */
@ExtendWith(LocalSpark.class)
class CnnOnSparkTest {
  static final NetworkSpec SPEC = new NetworkSpec(Shape.image(1, 8, 8), List.of(
      new Conv2dSpec(6, Size2.of(3), null, Padding.SAME, null, null), new BatchNormSpec(),
      new LayerSpec.Activation(ActivationFunction.RELU), new PoolSpec.MaxPool2d(2),
      new ResidualSpec(List.of(new Conv2dSpec(6, Size2.of(3), null, Padding.SAME, null, null), new BatchNormSpec()),
          ActivationFunction.RELU),
      new ResidualSpec(List.of(new Conv2dSpec(8, Size2.of(3), Size2.of(2), new Padding(Size2.of(1)), null, null),
          new BatchNormSpec()), ActivationFunction.RELU),
      new PoolSpec.Flatten(), new LayerSpec.Dropout(0.1f), new LayerSpec.Dense(3),
      new LayerSpec.Activation(ActivationFunction.SOFTMAX)));

  @TempDir
  Path tmp;

  /**
   * 8×8 images: a horizontal bar (class 1), a vertical bar (class 2) or none (class 0), four pixels long at a random
   * place, under Gaussian noise; as rows of one list, in order.
   */
  static List<Row> bars(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      int cls = rng.nextInt(3);
      double[] x = new double[64];
      for (int i = 0; i < 64; i++) {
        x[i] = 0.3 * rng.nextGaussian();
      }
      int at = rng.nextInt(8);
      int from = rng.nextInt(4);
      for (int k = from; k < from + 4; k++) {
        if (cls == 1) {
          x[at * 8 + k] += 1;
        } else if (cls == 2) {
          x[k * 8 + at] += 1;
        }
      }
      rows.add(RowFactory.create(Vectors.dense(x), (double) cls));
    }
    return rows;
  }

  /** {@code rows} in {@code partitions} contiguous partitions of equal size, in list order (no shuffle). */
  static Dataset<Row> frame(SparkSession spark, List<Row> rows, int partitions) {
    // rows travel to the tasks as double[] (Kryo-registered), become Rows there: no shuffle, order kept
    List<double[]> flat = rows.stream().map(r -> {
      double[] x = ((org.apache.spark.ml.linalg.Vector) r.get(0)).toArray();
      double[] xy = Arrays.copyOf(x, x.length + 1);
      xy[x.length] = r.getDouble(1);
      return xy;
    }).toList();
    return spark.createDataFrame(new JavaSparkContext(spark.sparkContext()).parallelize(flat, partitions)
        .map(xy -> RowFactory.create(Vectors.dense(Arrays.copyOf(xy, xy.length - 1)), xy[xy.length - 1])),
        TestData.SCHEMA);
  }

  private static TrainConfig config(int epochs, long seed) {
    return config(epochs, seed, 3e-3f);
  }

  private static TrainConfig config(int epochs, long seed, float rate) {
    return new TrainConfig(epochs, 40, seed, new Updater(new Optimizers.Adam(rate)), 0, null);
  }

  private static Model fit(SparkSession spark, SparkTrainConfig cfg, int partitions) {
    return fit(spark, cfg, partitions, 480);
  }

  private static Model fit(SparkSession spark, SparkTrainConfig cfg, int partitions, int rows) {
    return new SparkTrainer(cfg).fit(SPEC, new Losses.CategoricalCrossEntropy(),
        frame(spark, bars(rows, 1), partitions), frame(spark, bars(150, 2), 1), InputColumns.defaults());
  }

  /** Epoch metrics without their timings. */
  private static List<List<Object>> metrics(Model m) {
    return m.summary().epochs().stream().map(e -> List.<Object>of(e.step(), e.trainLoss(), e.trainAccuracy(),
        e.validationLoss(), e.validationAccuracy(), e.learningRate())).toList();
  }

  private static void assertSameRun(Model expected, Model actual) {
    assertArrayEquals(expected.params(), actual.params(), 0f, "weights");
    assertArrayEquals(expected.state(), actual.state(), 0f, "batch-norm running statistics");
    assertEquals(metrics(expected), metrics(actual), "history");
  }

  @Test
  void sameSeedAndPartitioningGiveIdenticalWeightsStateAndHistoryAndTheCnnLearns(SparkSession spark) {
    Model a = fit(spark, SparkTrainConfig.of(config(6, 1, 1e-2f)), 3, 1200);
    assertSameRun(a, fit(spark, SparkTrainConfig.of(config(6, 1, 1e-2f)), 3, 1200));
    assertFalse(Arrays.equals(a.params(), fit(spark, SparkTrainConfig.of(config(6, 2, 1e-2f)), 3, 1200).params()));
    assertFalse(Arrays.equals(SPEC.compile().initState(), a.state()), "running statistics never updated");
    // chance is 1/3; the bars are invisible to a broken convolution, batch norm or residual block
    assertTrue(a.summary().epochs().get(5).validationAccuracy() >= 0.85, a.summary().epochs().toString());
  }

  @Test
  void aRetriedTaskRecomputesTheSameContribution(SparkSession spark) throws Exception {
    Model clean = fit(spark, SparkTrainConfig.of(config(2, 1)), 3);
    RetriedTasks.Run<Model> retried =
        RetriedTasks.failingAt(spark, 7, () -> fit(spark, SparkTrainConfig.of(config(2, 1)), 3));
    assertEquals(1, retried.failedAttempts(), "exactly one task attempt failed and was retried");
    assertSameRun(clean, retried.result());
  }

  @Test
  void theBarrierExchangeGivesTheTreeExchangesBits(SparkSession spark) {
    Model tree = fit(spark, SparkTrainConfig.of(config(2, 1)), 2);
    assertSameRun(tree, fit(spark, SparkTrainConfig.of(config(2, 1)).withExchange(Exchange.BARRIER), 2));
  }

  @Test
  void aCrashResumesFromTheLastCheckpointStateIncludedToTheUninterruptedRun(SparkSession spark) throws Exception {
    Model straight = fit(spark, SparkTrainConfig.of(config(3, 1)), 3);
    CheckpointConfig cp = new CheckpointConfig("file:" + tmp.resolve("crash"), 5, false, 2);
    SparkTrainConfig cfg = SparkTrainConfig.of(config(3, 1)).withCheckpoints(cp, true);
    TrainingListener crash = new TrainingListener() {
      @Override
      public void onStep(StepReport s) {
        if (s.step() == 18) {
          throw new IllegalStateException("simulated driver crash at step 18");
        }
      }
    };
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SparkTrainer(cfg)
        .addListener(crash).fit(SPEC, new Losses.CategoricalCrossEntropy(), frame(spark, bars(480, 1), 3),
            frame(spark, bars(150, 2), 1), InputColumns.defaults()));
    assertTrue(e.getMessage().contains("simulated"), e.getMessage());
    assertEquals(12, straight.summary().epochs().get(0).step(), "12 steps per epoch: step 15 is inside epoch 2");
    Path kept = tmp.resolve("crash/step-000000015");
    assertTrue(Files.exists(kept), "the checkpoint of step 15");
    Model atCrash = io.treeprop.core.model.ModelFiles.load(kept);
    assertFalse(Arrays.equals(SPEC.compile().initState(), atCrash.state()), "the checkpoint holds running stats");
    assertSameRun(straight, fit(spark, cfg, 3));
  }

  /**
   * With one partition, no held-out split and the same seed, the Spark trainer draws the local trainer's shuffles
   * and dropout masks and takes the same steps in the same arithmetic: the same weights and running statistics to
   * the bit. The reported losses agree to float rounding (Spark rounds each partition's metric sums to float so
   * they add up the same in any order; the local trainer does not).
   */
  @Test
  void onePartitionReproducesTheLocalTrainer(SparkSession spark) {
    TrainConfig cfg = config(3, 5);
    Model onSpark = fit(spark, SparkTrainConfig.of(cfg), 1);
    float[][] train = TestData.collect(frame(spark, bars(480, 1), 1));
    float[][] val = TestData.collect(frame(spark, bars(150, 2), 1));
    Model local = new LocalTrainer(cfg).fit(SPEC, new Losses.CategoricalCrossEntropy(),
        new io.treeprop.core.train.Dataset(train[0], train[1], 480, 64, 1),
        new io.treeprop.core.train.Dataset(val[0], val[1], 150, 64, 1));
    assertArrayEquals(local.params(), onSpark.params(), 0f, "weights");
    assertArrayEquals(local.state(), onSpark.state(), 0f, "batch-norm running statistics");
    for (int e = 0; e < 3; e++) {
      var l = local.summary().epochs().get(e);
      var s = onSpark.summary().epochs().get(e);
      assertEquals(l.step(), s.step());
      assertEquals(l.trainAccuracy(), s.trainAccuracy(), 0);
      assertEquals(l.validationAccuracy(), s.validationAccuracy(), 0);
      assertEquals(l.trainLoss(), s.trainLoss(), 1e-7 * l.trainLoss());
      assertEquals(l.validationLoss(), s.validationLoss(), 1e-7 * l.validationLoss());
    }
    assertFalse(Arrays.equals(local.params(), fit(spark, SparkTrainConfig.of(config(3, 6)), 1).params()),
        "another seed takes another path: the agreement is not a coincidence of a stuck run");
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / Math.max(1e-2, Math.abs(expected[i])));
    }
    assertTrue(worst < 1e-4, what + ": largest relative difference " + worst);
  }

  /**
   * Three partitions holding identical copies of the rows give the one-partition run's running statistics (mean and
   * variance): each step's per-partition statistics are combined count-weighted, and on identical shards every
   * partition's statistics are the whole batch's. Full-batch steps, so each shard's slice is all its rows.
   */
  @Test
  void batchNormStatisticsOnIdenticalShardsEqualTheSinglePartitionsStatistics(SparkSession spark) {
    List<Row> rows = bars(120, 3);
    List<Row> thrice = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      thrice.addAll(rows);
    }
    NetworkSpec noDropout = new NetworkSpec(SPEC.input(), SPEC.layers().stream()
        .filter(l -> !(l instanceof LayerSpec.Dropout)).toList());
    java.util.function.BiFunction<List<Row>, Integer, Model> train = (data, parts) -> new SparkTrainer(
        SparkTrainConfig.of(new TrainConfig(3, data.size(), 4, new Updater(new Optimizers.Sgd(0.05f)), 0, null)))
        .fit(noDropout, new Losses.CategoricalCrossEntropy(), frame(spark, data, parts), null,
            InputColumns.defaults());
    Model one = train.apply(rows, 1);
    Model three = train.apply(thrice, 3);
    assertEquals(3, three.summary().steps());
    float[] init = noDropout.compile().initState();
    for (int i = 0; i < one.state().length; i++) {
      assertEquals(one.state()[i], three.state()[i], 1e-5 * Math.max(1, Math.abs(one.state()[i])), "state " + i);
    }
    assertFalse(Arrays.equals(init, one.state()), "the running statistics moved");
    assertClose(one.params(), three.params(), "weights");
  }
}
