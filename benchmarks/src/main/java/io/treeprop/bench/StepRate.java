package io.treeprop.bench;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Schedule;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.spark.data.InputColumns;
import io.treeprop.spark.train.Exchange;
import io.treeprop.spark.train.SparkTrainConfig;
import io.treeprop.spark.train.SparkTrainer;
import io.treeprop.spark.train.StepReport;
import io.treeprop.spark.train.TrainingListener;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Treeprop's training throughput over a bounded number of steps, measured as {@code bench/pytorch_bench.py
 * --probe-steps} measures PyTorch's: one epoch over the first {@code (WARM_UP + steps) · batch} training rows (2
 * partitions, cached), the wall time from the end of step {@link #WARM_UP} to the end of the last step. The optimizer
 * and schedule are the full run's (Adam 2e-3, cosine over 10 epochs of 60,000), so a step costs what it would there.
 */
final class StepRate implements AutoCloseable {
  /** Untimed steps at the start of each run (the script's warm-up is the same). */
  static final int WARM_UP = 3;
  private final Dataset<Row> data;
  private final NetworkSpec net;
  private final int batch;
  private final int steps;
  private final Updater updater;
  private Model model;

  StepRate(Dataset<Row> train, NetworkSpec net, int batch, int steps) {
    this.data = train.limit((WARM_UP + steps) * batch).repartition(2).cache();
    this.net = net;
    this.batch = batch;
    this.steps = steps;
    this.updater = new Updater(new Optimizers.Adam(2e-3f), new Schedule.Cosine(10L * ((60_000 + batch - 1) / batch),
        0), 0, false, 0);
    data.count();
  }

  /** One run: samples/s over the timed steps. */
  double run() {
    long[] ends = new long[WARM_UP + steps];
    int[] n = new int[1];
    model = new SparkTrainer(SparkTrainConfig.of(new TrainConfig(1, batch, 42, updater, 0, null))
        .withExchange(Exchange.AUTO)).addListener(new TrainingListener() {
          @Override
          public void onStep(StepReport s) {
            ends[n[0]++] = System.nanoTime();
          }
        }).fit(net, new Losses.CategoricalCrossEntropy(), data, null, InputColumns.defaults());
    if (n[0] != ends.length) {
      throw new IllegalStateException("expected " + ends.length + " steps, ran " + n[0]);
    }
    return steps * (double) batch / ((ends[ends.length - 1] - ends[WARM_UP - 1]) / 1e9);
  }

  /** The last run's model (a few steps trained: for timing inference, not for its accuracy). */
  Model model() {
    return model;
  }

  @Override
  public void close() {
    data.unpersist();
  }
}
