package io.treeprop.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.treeprop.core.layer.BatchNormSpec;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.model.Workspace;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.BatchStats;
import io.treeprop.core.train.Objective;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.spark.LocalSpark;
import io.treeprop.spark.TestData;
import io.treeprop.spark.data.InputColumns;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The gradient summed over N partitions equals the core gradient over the same rows. */
@ExtendWith(LocalSpark.class)
class DistributedGradientTest {
  @ParameterizedTest(name = "{0} partitions")
  @ValueSource(ints = {1, 3, 4})
  void oneFullBatchStepMatchesTheCoreGradient(int partitions, SparkSession spark) {
    int n = 300;
    Dataset<Row> df = TestData.blobs(spark, n, 6, partitions, 1).cache();
    NetworkSpec spec = NetworkSpec.input(6).dense(8).tanh().dense(3).softmax();
    // one epoch, one step over every row, plain SGD with rate 1: params1 = params0 − mean gradient
    TrainConfig cfg = new TrainConfig(1, n, 5, new Updater(new Optimizers.Sgd(1f)), 0, null);
    Model m = new SparkTrainer(SparkTrainConfig.of(cfg)).fit(spec, new Losses.CategoricalCrossEntropy(), df, null,
        InputColumns.defaults());
    assertEquals(1, m.summary().steps());

    float[][] xy = TestData.collect(df);
    Network net = spec.compile();
    Objective o = new Objective(net, new Losses.CategoricalCrossEntropy());
    float[] params = net.initParams(5);
    float[] grad = new float[params.length];
    Workspace ws = net.newWorkspace(n, false);
    System.arraycopy(xy[0], 0, ws.input(), 0, xy[0].length);
    o.accumulateGradient(ws, params, new float[0], xy[1], null, n, 0, grad, new BatchStats());
    double maxGrad = 0;
    for (int i = 0; i < params.length; i++) {
      float expected = params[i] - grad[i] / n;
      maxGrad = Math.max(maxGrad, Math.abs(grad[i] / n));
      assertEquals(expected, m.params()[i], 1e-5, "parameter " + i);
    }
    assertEquals(true, maxGrad > 1e-2, "the step must move the weights measurably, max |g| = " + maxGrad);
  }

  /**
   * Batch norm's running mean after one full-batch step: each partition's micro-batch updates it with its own mean,
   * and the count-weighted average of those is the update with the whole batch's mean. (The running variance
   * averages the partitions' variances, without the between-partition part, so only one partition reproduces it.)
   */
  @ParameterizedTest(name = "{0} partitions")
  @ValueSource(ints = {1, 3})
  void batchNormRunningMeanAveragedOverPartitionsIsTheWholeBatchMean(int partitions, SparkSession spark) {
    int n = 300;
    Dataset<Row> df = TestData.blobs(spark, n, 6, partitions, 1).cache();
    NetworkSpec spec = NetworkSpec.input(6).dense(5).add(new BatchNormSpec()).tanh().dense(3).softmax();
    TrainConfig cfg = new TrainConfig(1, n, 5, new Updater(new Optimizers.Sgd(1f)), 0, null);
    Model m = new SparkTrainer(SparkTrainConfig.of(cfg)).fit(spec, new Losses.CategoricalCrossEntropy(), df, null,
        InputColumns.defaults());

    float[][] xy = TestData.collect(df);
    Network net = spec.compile();
    Workspace ws = net.newWorkspace(n, false);
    System.arraycopy(xy[0], 0, ws.input(), 0, xy[0].length);
    net.forward(ws, net.initParams(5), net.initState(), n, true, 0L);
    float[] whole = ws.newState();
    for (int i = 0; i < (partitions == 1 ? whole.length : 5); i++) {
      assertEquals(whole[i], m.state()[i], 1e-5, "state " + i);
    }
    assertEquals(true, Math.abs(whole[0]) > 1e-3, "the running mean must move, " + whole[0]);
  }
}
