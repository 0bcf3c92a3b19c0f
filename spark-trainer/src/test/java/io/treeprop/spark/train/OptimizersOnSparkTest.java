package io.treeprop.spark.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizer;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Schedule;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.spark.LocalSpark;
import io.treeprop.spark.TestData;
import io.treeprop.spark.data.InputColumns;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every optimizer and every schedule can be selected and trains a small problem on Spark. */
@ExtendWith(LocalSpark.class)
class OptimizersOnSparkTest {
  private static Dataset<Row> train;
  private static Dataset<Row> test;

  @BeforeAll
  static void data(SparkSession spark) {
    train = TestData.blobs(spark, 600, 6, 3, 1).cache();
    test = TestData.blobs(spark, 300, 6, 2, 2).cache();
  }

  @AfterAll
  static void release() {
    train.unpersist();
    test.unpersist();
  }

  static Stream<Arguments> updaters() {
    Schedule constant = new Schedule.Constant();
    return Stream.of(
        Arguments.of(new Updater(new Optimizers.Sgd(0.1f))),
        Arguments.of(new Updater(new Optimizers.Momentum(0.05f, 0.9f))),
        Arguments.of(new Updater(new Optimizers.Nesterov(0.05f, 0.9f))),
        Arguments.of(new Updater(new Optimizers.AdaGrad(0.1f, 1e-8f))),
        Arguments.of(new Updater(new Optimizers.RmsProp(0.01f, 0.9f, 1e-8f))),
        Arguments.of(new Updater(new Optimizers.Adam(0.01f))),
        Arguments.of(new Updater(new Optimizers.AdamW(0.01f, 0.9f, 0.999f, 1e-8f, 0.01f))),
        Arguments.of(new Updater(new Optimizers.Adam(0.01f), new Schedule.Step(30, 0.5), 1e-4f, false, 0f)),
        Arguments.of(new Updater(new Optimizers.Adam(0.01f), new Schedule.Exponential(0.5, 50), 0, false, 0f)),
        Arguments.of(new Updater(new Optimizers.Sgd(0.2f), new Schedule.InverseTime(0.01), 0, false, 1f)),
        Arguments.of(new Updater(new Optimizers.Adam(0.01f), new Schedule.Cosine(75, 0), 0, false, 0f)),
        Arguments.of(new Updater(new Optimizers.Adam(0.01f), new Schedule.Warmup(10, constant), 0, true, 0f)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("updaters")
  void trainsThreeBlobsToHighHeldOutAccuracy(Updater updater) {
    NetworkSpec spec = NetworkSpec.input(6).dense(16).tanh().dense(3).softmax();
    TrainConfig cfg = new TrainConfig(5, 40, 3, updater, 0, null);
    Model m = new SparkTrainer(SparkTrainConfig.of(cfg)).fit(spec, new Losses.CategoricalCrossEntropy(), train,
        null, InputColumns.defaults());
    float[][] xy = TestData.collect(test);
    int[] predicted = m.predictClasses(xy[0], xy[1].length);
    int correct = 0;
    for (int i = 0; i < predicted.length; i++) {
      correct += predicted[i] == (int) xy[1][i] ? 1 : 0;
    }
    double accuracy = (double) correct / predicted.length;
    Optimizer o = updater.optimizer();
    assertTrue(accuracy > 0.9, Json.writeCompact(o) + " with " + Json.writeCompact(updater.schedule())
        + ": held-out accuracy " + accuracy);
  }
}
