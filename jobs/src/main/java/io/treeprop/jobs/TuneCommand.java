package io.treeprop.jobs;

import io.treeprop.jobs.config.JobConfig;
import io.treeprop.jobs.config.TuneConfig;
import io.treeprop.jobs.report.TuneChart;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code treeprop tune job.conf}: cross-validates every trial of the job's {@code tune} section, records each as it
 * finishes, and writes the results table and chart and the best configuration as a job file; optionally trains it.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
    description = "Try the values a job's tune section lists, score each trial by k-fold cross-validation or a "
        + "held-out split, and write the results table, a chart and the best configuration as a job file.")
final class TuneCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "CONF", description = "Job config (HOCON) with a tune section, a local or "
      + "Hadoop path.")
  String conf;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key, e.g. "
      + "--set tune.folds=5 (repeatable; later ones win).")
  List<String> overrides = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Phases phases = new Phases();
    Configuration hadoop = new Configuration();
    TuneConfig tune = TuneConfig.load(conf, overrides, hadoop);
    JobConfig.warnings(conf, hadoop).forEach(w -> System.err.println("treeprop: warning: " + w));
    JobConfig first = tune.trials().get(0).job();
    TuneResults results = TuneResults.check(tune, first.output().overwrite(), hadoop);
    if (tune.tune().trainBest()) {
      Outputs.requireWritable("output.model", first.output().model(), first.output().overwrite(), hadoop);
    }
    phases.next("Spark", "starting Spark" + (first.spark().master() == null ? "" : " (" + first.spark().master()
        + ")"));
    SparkSession spark = Sessions.create("treeprop tune " + conf, first.spark().master(), first.spark().conf());
    try {
      run(spark, tune, results, phases);
      phases.end();
    } finally {
      Sessions.stopIfEmbedded(spark);
    }
    return 0;
  }

  private static void run(SparkSession spark, TuneConfig tune, TuneResults results, Phases phases)
      throws Exception {
    results.start();
    List<TuneConfig.Trial> todo = tune.trials().stream().filter(t -> !results.done(t.number())).toList();
    int done = tune.trials().size() - todo.size();
    System.out.printf("tune: %d trials, %s, by %s (%s is better)%s; results in %s%n", tune.trials().size(),
        tune.folds() > 1 ? tune.folds() + "-fold cross-validation" : "one held-out split", tune.metric().jsonName(),
        tune.maximize() ? "higher" : "lower", done == 0 ? "" : "; resuming: " + done + " finished before",
        tune.dir());
    phases.next("trials", "running " + todo.size() + " trials, " + tune.tune().parallelism() + " at a time");
    runTrials(new Trials(spark, tune), tune, todo, results);
    TuneResults.Row best = results.best();
    if (best == null) {
      throw new IllegalStateException("every trial diverged; see " + tune.dir() + "/" + TuneResults.RESULTS_CSV
          + " and lower the learning rates");
    }
    TuneConfig.Trial trial = tune.trials().get(best.trial() - 1);
    String summary = String.format(Locale.ROOT, "best: trial %d (%s): %s %.4f ± %.4f", best.trial(),
        trial.describe(), tune.metric().jsonName(), best.mean(), best.std());
    results.write(TuneResults.BEST_CONF, TuneConfig.jobFile(trial, List.of("The best trial of treeprop tune: "
        + summary.substring("best: ".length()), "Train it with: treeprop train " + tune.dir() + "/"
        + TuneResults.BEST_CONF)).getBytes(StandardCharsets.UTF_8));
    List<TuneChart.Point> points = results.rows().stream().filter(TuneResults.Row::ok)
        .map(r -> new TuneChart.Point(r.trial(), r.mean(), r.std())).toList();
    results.write(TuneResults.CHART_PNG, TuneChart.png(points, tune.metric().jsonName(), tune.folds(),
        best.trial()));
    System.out.println(summary);
    System.out.println("results: " + tune.dir() + "/" + TuneResults.RESULTS_CSV + ", chart: " + tune.dir() + "/"
        + TuneResults.CHART_PNG);
    System.out.println("best config: " + tune.dir() + "/" + TuneResults.BEST_CONF);
    if (tune.tune().trainBest()) {
      phases.next("best", "training the best configuration on all of data.train");
      TrainCommand.run(spark, trial.job(), phases);
    }
    results.markFinished();
  }

  /** Runs the trials, {@code tune.parallelism} at a time, recording each as it finishes; the first error stops all. */
  private static void runTrials(Trials trials, TuneConfig tune, List<TuneConfig.Trial> todo, TuneResults results)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tune.tune().parallelism(), r -> {
      Thread t = new Thread(r, "treeprop-tune-trial");
      t.setDaemon(true);
      return t;
    });
    ExecutorCompletionService<Trials.Outcome> running = new ExecutorCompletionService<>(pool);
    try {
      todo.forEach(t -> running.submit(() -> trials.run(t)));
      for (int i = 0; i < todo.size(); i++) {
        Trials.Outcome o;
        try {
          o = running.take().get();
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception ex ? ex : e;
        }
        TuneResults.Row r = results.record(o);
        TuneConfig.Trial t = tune.trials().get(o.trial() - 1);
        System.out.println(String.format(Locale.ROOT, "trial %d/%d (%s): ", o.trial(), tune.trials().size(),
            t.describe()) + (r.ok() ? String.format(Locale.ROOT, "%s %.4f ± %.4f in %.1f s",
                tune.metric().jsonName(), r.mean(), r.std(), r.seconds()) : r.error()));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
