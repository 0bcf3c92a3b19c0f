package io.treeprop.jobs;

import io.treeprop.core.loss.Loss;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.jobs.config.JobConfig;
import io.treeprop.jobs.config.TuneConfig;
import io.treeprop.jobs.config.TuneSection;
import io.treeprop.jobs.data.DataSource;
import io.treeprop.jobs.data.LabelMapping;
import io.treeprop.jobs.data.Scaling;
import io.treeprop.jobs.data.SourceData;
import io.treeprop.jobs.data.SourceSpec;
import io.treeprop.jobs.data.TrainingSource;
import io.treeprop.jobs.report.ClassificationReport;
import io.treeprop.jobs.report.RegressionReport;
import io.treeprop.jobs.report.ReportMetrics;
import io.treeprop.spark.data.InputColumns;
import io.treeprop.spark.train.SparkTrainConfig;
import io.treeprop.spark.train.SparkTrainer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the trials of a tune: each trial trains its job once per fold on the other folds of {@code data.train}
 * (or once on the rows a held-out split keeps) and evaluates the model on the fold's rows, as
 * {@code treeprop evaluate} would. Each trial is the job {@code treeprop train} would run, except that it keeps no
 * checkpoints (a tune resumes by whole trials) and, when {@code training.partitions} is 0, trains on
 * {@code slots / tune.parallelism} partitions so the trials running at once share the application's task slots.
 *
 * <p>Safe to call from several threads: the splits of each training source are made once and shared.
 */
final class Trials {
  /** The prefix of the messages with which training gives up on a diverging run: a result, not a failure. */
  static final String DIVERGED = "training diverged";

  private final SparkSession spark;
  private final TuneConfig tune;
  private final Map<SourceSpec, Folds> folds = new HashMap<>();

  Trials(SparkSession spark, TuneConfig tune) {
    this.spark = spark;
    this.tune = tune;
  }

  /**
   * What a trial gave.
   *
   * @param metrics the metric on each fold; empty when training diverged
   * @param error why the trial has no metrics (training diverged), else null
   */
  record Outcome(int trial, double[] metrics, double seconds, Instant started, String error) {}

  /** Trains and evaluates {@code trial} on every fold. */
  Outcome run(TuneConfig.Trial trial) {
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    JobConfig cfg = trial.job();
    Folds f = folds(cfg.data().train());
    Loss loss = cfg.model().loss();
    NetworkSpec network = cfg.network(f.all.features(), f.all.shape());
    LabelMapping mapping = loss.task() == Loss.Task.REGRESSION ? null : f.mapping();
    if (mapping != null) {
      Preflight.classes(mapping, loss, network.compile().outputShape().size(), f.all, System.err);
    }
    SourceData validation = cfg.data().validation() == null ? null : Preflight.sameAsTraining("data.validation",
        DataSource.read(spark, cfg.data().validation()), f.all, mapping);
    double[] metrics = new double[f.count()];
    try {
      for (int i = 0; i < metrics.length; i++) {
        SourceData train = f.training(i);
        Scaling scaling = cfg.data().scaling().fit(train);
        SparkTrainConfig stc = cfg.toSparkTrainConfig(train.rows());
        int partitions = stc.partitions() > 0 ? stc.partitions()
            : (int) Math.max(1, Math.min(train.rows(), TrainCommand.slots(spark) / tune.tune().parallelism()));
        stc = new SparkTrainConfig(stc.train(), partitions, stc.treeDepth(), null, false, stc.exchange());
        Model m = new SparkTrainer(stc).fit(network, loss, TrainCommand.prepare(train, scaling, mapping, false).frame(),
            validation == null ? null : scaling.apply(validation).frame(), InputColumns.defaults());
        m = TrainCommand.withMetadata(m, cfg, scaling, mapping, TrainingSource.of(cfg.data().train(), f.all));
        Evaluation.Result r = Evaluation.evaluate(spark, m, f.heldOut(i), "tune trial " + trial.number(), false);
        metrics[i] = value(r.report().metrics(), tune.metric());
      }
    } catch (IllegalStateException e) {
      if (e.getMessage() == null || !e.getMessage().startsWith(DIVERGED)) {
        throw e;
      }
      return new Outcome(trial.number(), new double[0], (System.nanoTime() - t0) / 1e9, started, e.getMessage());
    }
    return new Outcome(trial.number(), metrics, (System.nanoTime() - t0) / 1e9, started, null);
  }

  /** The metric from an evaluation's report. */
  static double value(ReportMetrics m, TuneSection.Metric metric) {
    ClassificationReport c = m.classification();
    RegressionReport r = m.regression();
    return switch (metric) {
      case ACCURACY -> c.accuracy();
      case MACRO_F1 -> c.macroAverage().f1();
      case RMSE -> r.rmse();
      case MSE -> r.mse();
      case MAE -> r.mae();
      case R2 -> r.r2();
    };
  }

  private synchronized Folds folds(SourceSpec spec) {
    return folds.computeIfAbsent(spec, s -> new Folds(DataSource.read(spark, s), tune));
  }

  /**
   * One training source split into folds with {@code tune.seed} ({@link Dataset#randomSplit}, which gives every
   * row to exactly one part), the parts counted once.
   */
  private static final class Folds {
    final SourceData all;
    private final Dataset<Row>[] parts;
    private final long[] rows;
    private final boolean heldOutSplit;
    private LabelMapping mapping;

    Folds(SourceData all, TuneConfig tune) {
      this.all = all;
      double fraction = tune.tune().validationFraction();
      heldOutSplit = fraction > 0;
      double[] weights = new double[heldOutSplit ? 2 : tune.folds()];
      Arrays.fill(weights, 1);
      if (heldOutSplit) {
        weights = new double[] {1 - fraction, fraction};
      }
      parts = all.frame().randomSplit(weights, tune.tune().seed());
      rows = Arrays.stream(parts).mapToLong(Dataset::count).toArray();
      for (int i = 0; i < rows.length; i++) {
        if (rows[i] == 0) {
          throw new IllegalArgumentException(heldOutSplit
              ? "tune.validationFraction " + fraction + " of the " + all.rows() + " rows of " + all.description()
                  + " leaves " + (i == 0 ? "no training row" : "no held-out row") + "; change it"
              : "fold " + (i + 1) + " of " + tune.folds() + " of the " + all.rows() + " rows of " + all.description()
                  + " holds no row; lower tune.folds");
        }
      }
    }

    /** The class labels of the whole source, so every fold's model knows every class. */
    synchronized LabelMapping mapping() {
      if (mapping == null) {
        mapping = LabelMapping.fit(all);
      }
      return mapping;
    }

    int count() {
      return heldOutSplit ? 1 : parts.length;
    }

    /** The rows fold {@code i} trains on: every other fold, or the split's kept rows. */
    SourceData training(int i) {
      if (heldOutSplit) {
        return part(parts[0], rows[0], "kept rows");
      }
      Dataset<Row> frame = null;
      long n = 0;
      for (int j = 0; j < parts.length; j++) {
        if (j != i) {
          frame = frame == null ? parts[j] : frame.union(parts[j]);
          n += rows[j];
        }
      }
      return part(frame, n, "all but fold " + (i + 1));
    }

    /** The rows fold {@code i} is evaluated on. */
    SourceData heldOut(int i) {
      return heldOutSplit ? part(parts[1], rows[1], "held-out rows") : part(parts[i], rows[i], "fold " + (i + 1));
    }

    private SourceData part(Dataset<Row> frame, long n, String which) {
      return new SourceData(frame, n, all.features(), all.description() + ", " + which, all.featureColumns(), null,
          null, all.shape());
    }
  }
}
