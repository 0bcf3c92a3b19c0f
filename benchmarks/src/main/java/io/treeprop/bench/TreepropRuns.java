package io.treeprop.bench;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.EpochMetrics;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Repetitions of one Treeprop training through {@link SparkTrainer} on the session's master (run -1 is the uncounted
 * JIT warm-up), and their medians: Adam at 2e-3 with cosine decay over the run, seed 42, the test set validated
 * after each epoch. The network is any {@link NetworkSpec} (the MLP, the CNNs of {@link Nets}).
 */
final class TreepropRuns {
  private static final int MLP_EPOCHS = 10;
  private final NetworkSpec net;
  private final int epochs;
  private final int batch;
  private final Dataset<Row> train;
  private final Dataset<Row> test;
  private final Exchange exchange;
  private final int reps;
  private final double[] targets;
  private final Updater updater;
  private final double[] rate;
  private final double[] wall;
  private final double[] epochSeconds;
  private final double[][] toTarget;
  private final double[] accuracy;
  private final double[] epochOverhead;
  private final double[] stepMedian;
  private final double[] stepMean;
  private final double[] firstStep;
  private final double[] peakRss;
  private Model first;

  /** The 784-256-128-10 MLP at batch 256, 10 epochs, times to 0.85 and 0.88. */
  TreepropRuns(Dataset<Row> train, Dataset<Row> test, Exchange exchange, int reps) {
    this(train, test, exchange, reps, 256);
  }

  /** The 784-256-128-10 MLP, 10 epochs, times to 0.85 and 0.88. */
  TreepropRuns(Dataset<Row> train, Dataset<Row> test, Exchange exchange, int reps, int batch) {
    this(train, test, exchange, reps, batch, Nets.of("mlp"), MLP_EPOCHS, 0.85, 0.88);
  }

  TreepropRuns(Dataset<Row> train, Dataset<Row> test, Exchange exchange, int reps, int batch, NetworkSpec net,
      int epochs, double... targets) {
    this.net = net;
    this.epochs = epochs;
    this.batch = batch;
    this.train = train;
    this.test = test;
    this.exchange = exchange;
    this.reps = reps;
    this.targets = targets.clone();
    long steps = epochs * ((60_000L + batch - 1) / batch);
    this.updater = new Updater(new Optimizers.Adam(2e-3f), new Schedule.Cosine(steps, 0), 0, false, 0);
    rate = new double[reps];
    wall = new double[reps];
    epochSeconds = new double[reps];
    toTarget = new double[targets.length][reps];
    accuracy = new double[reps];
    epochOverhead = new double[reps];
    stepMedian = new double[reps];
    stepMean = new double[reps];
    firstStep = new double[reps];
    peakRss = new double[reps];
  }

  /** Repetition {@code i}; -1 is the warm-up, not counted. */
  void run(int i) {
    PeakRss.reset();
    long t0 = System.nanoTime();
    double[] stepMs = new double[1];
    List<Double> firsts = new ArrayList<>();
    List<Double> all = new ArrayList<>();
    Model m = new SparkTrainer(SparkTrainConfig.of(new TrainConfig(epochs, batch, 42, updater, 0, null))
        .withExchange(exchange)).addListener(new TrainingListener() {
          @Override
          public void onStep(StepReport s) {
            stepMs[0] += s.timing().total();
            (s.stepInEpoch() == 0 ? firsts : all).add(s.timing().total());
          }
        }).fit(net, new Losses.CategoricalCrossEntropy(), train, test, InputColumns.defaults());
    if (i < 0) {
      return;
    }
    wall[i] = (System.nanoTime() - t0) / 1e9;
    peakRss[i] = PeakRss.megabytes();
    List<EpochMetrics> h = m.summary().epochs();
    double trainSeconds = h.stream().mapToDouble(EpochMetrics::seconds).sum();
    rate[i] = 60_000.0 * epochs / trainSeconds;
    epochSeconds[i] = EndToEnd.median(h.stream().mapToDouble(EpochMetrics::seconds).toArray());
    epochOverhead[i] = (trainSeconds - stepMs[0] / 1e3) / epochs;
    double[] a = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    stepMedian[i] = EndToEnd.median(a);
    stepMean[i] = Arrays.stream(a).average().orElse(0);
    firstStep[i] = firsts.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    System.out.printf("  steps: median %.2f ms, mean %.2f, p90 %.2f, p99 %.2f, max %.1f; first of epoch: mean "
        + "%.1f ms%n", EndToEnd.median(a), stepMean[i], a[a.length * 9 / 10], a[a.length * 99 / 100],
        a[a.length - 1], firstStep[i]);
    for (int t = 0; t < targets.length; t++) {
      toTarget[t][i] = orInfinity(timeTo(h, targets[t]));
    }
    accuracy[i] = h.get(h.size() - 1).validationAccuracy();
    System.out.printf("treeprop (%s exchange) run %d: %.0f samples/s, test accuracy %.4f, %.3f s per epoch "
        + "outside the steps, peak RSS %.0f MB%n", exchange.jsonName(), i + 1, rate[i], accuracy[i],
        epochOverhead[i], peakRss[i]);
    first = first == null ? m : first;
  }

  Map<String, Object> result() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("exchange", exchange.jsonName());
    r.put("epochs", epochs);
    r.put("batch_size", batch);
    r.put("repetitions", reps);
    r.put("warm_up_runs", 1);
    r.put("wall_seconds_including_packing", EndToEnd.median(wall));
    r.put("samples_per_second", EndToEnd.median(rate));
    r.put("samples_per_second_runs", rate);
    r.put("median_epoch_seconds", EndToEnd.median(epochSeconds));
    r.put("epoch_seconds_outside_steps", EndToEnd.median(epochOverhead));
    r.put("step_ms_median", EndToEnd.median(stepMedian));
    r.put("step_ms_mean", EndToEnd.median(stepMean));
    r.put("first_step_of_epoch_ms", EndToEnd.median(firstStep));
    for (int t = 0; t < targets.length; t++) {
      r.put("seconds_to_" + targets[t], EndToEnd.finiteOrNull(EndToEnd.median(toTarget[t])));
    }
    r.put("final_test_accuracy", EndToEnd.median(accuracy));
    r.put("peak_rss_mb", EndToEnd.median(peakRss));
    r.put("model", first);
    return r;
  }

  private static double orInfinity(Double d) {
    return d == null ? Double.POSITIVE_INFINITY : d;
  }

  private static Double timeTo(List<EpochMetrics> h, double target) {
    double t = 0;
    for (EpochMetrics e : h) {
      t += e.seconds();
      if (e.validationAccuracy() != null && e.validationAccuracy() >= target) {
        return t;
      }
    }
    return null;
  }
}
