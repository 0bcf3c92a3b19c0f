package io.treeprop.spark.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Schedule;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.BatchStats;
import io.treeprop.core.train.Dataset;
import io.treeprop.core.train.Evaluation;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.spark.FashionMnistFrames;
import io.treeprop.spark.LocalSpark;
import io.treeprop.spark.TestData;
import io.treeprop.spark.data.InputColumns;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Distributed training on real data: local[2], 784-256-128-10 ReLU MLP, Adam, global batch 256, 10 epochs,
 * at least 0.885 test accuracy. About a minute on 2 cores.
 */
@ExtendWith(LocalSpark.class)
class FashionMnistSparkTest {
  @Test
  void reluMlpReachesAtLeast885TestAccuracyWithin10Epochs(SparkSession spark) throws Exception {
    org.apache.spark.sql.Dataset<Row> train = FashionMnistFrames.load(spark, true, 2).cache();
    NetworkSpec spec = NetworkSpec.input(784).dense(256).relu().dense(128).relu().dense(10).softmax();
    long steps = 10L * ((60_000 + 255) / 256);
    // Cosine decay to 0 over the run; a constant rate leaves the last epochs bouncing around the minimum.
    Updater updater = new Updater(new Optimizers.Adam(2e-3f), new Schedule.Cosine(steps, 0), 0, false, 0);
    TrainConfig cfg = new TrainConfig(10, 256, 42, updater, 0, null);
    long t0 = System.nanoTime();
    Model m = new SparkTrainer(SparkTrainConfig.of(cfg)).addListener(new ConsoleProgress(10))
        .fit(spec, new Losses.CategoricalCrossEntropy(), train, null, InputColumns.defaults());
    double seconds = (System.nanoTime() - t0) / 1e9;
    train.unpersist();
    float[][] test = TestData.collect(FashionMnistFrames.load(spark, false, 1));
    BatchStats s = Evaluation.evaluate(m, new Dataset(test[0], test[1], test[1].length, 784, 1));
    System.out.printf("Fashion-MNIST on local[2]: test accuracy %.4f after %d steps in %.1f s (%.0f samples/s)%n",
        s.accuracy(), m.summary().steps(), seconds, 600_000 / seconds);
    assertTrue(s.accuracy() >= 0.885, "test accuracy " + s.accuracy());
  }
}
