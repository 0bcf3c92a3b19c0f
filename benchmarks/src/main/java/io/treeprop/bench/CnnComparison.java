package io.treeprop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.treeprop.core.model.Model;
import io.treeprop.jobs.data.SourceData;
import io.treeprop.jobs.score.Scoring;
import io.treeprop.spark.train.Exchange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Treeprop against PyTorch on the CNNs of {@link Nets} (issue 13, CNN half): per network, training samples/s at each
 * batch size over a bounded number of steps ({@link StepRate}; the script's {@code --probe-steps}), scoring rows/s,
 * the peak memory of each process, each side's repetitions interleaved so both are measured over the same minutes;
 * PyTorch's thread settings probed per batch size and the best used. Optionally Treeprop's per-step split with the
 * sgemm ceiling ({@link StepSplit}) and, behind {@code --accuracy-epochs}, one longer run per side for the time to
 * 0.91 test accuracy and the final accuracy.
 */
final class CnnComparison {
  private CnnComparison() {}

  /**
   * What to run.
   *
   * @param steps timed steps per throughput run (after {@link StepRate#WARM_UP})
   * @param probeSteps steps of each PyTorch thread-setting probe
   * @param scoreRows rows each side scores per repetition (the test set repeated)
   * @param accuracyEpochs epochs of the time-to-accuracy run at batch 128; 0 skips it
   */
  record Settings(List<String> nets, int[] batches, int reps, int steps, int probeSteps, int scoreRows,
      boolean split, int accuracyEpochs) {
    Settings {
      nets.forEach(Nets::of);
      atLeastOne("--repetitions", reps);
      atLeastOne("--steps", steps);
      atLeastOne("--probe-steps", probeSteps);
      atLeastOne("--score-rows", scoreRows);
      if (batches.length == 0) {
        throw new IllegalArgumentException("--batches lists no batch size; give e.g. 128,256,1024");
      }
      for (int b : batches) {
        atLeastOne("--batches", b);
      }
      if (accuracyEpochs < 0) {
        throw new IllegalArgumentException("--accuracy-epochs (" + accuracyEpochs + ") must be 0 (skip) or more");
      }
    }
  }

  private static void atLeastOne(String flag, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(flag + " (" + v + ") must be at least 1");
    }
  }

  static Map<String, Object> run(SparkSession spark, Dataset<Row> train, Dataset<Row> test, Settings s)
      throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("batches", s.batches());
    settings.put("repetitions", s.reps());
    settings.put("warm_up_steps", StepRate.WARM_UP);
    settings.put("timed_steps", s.steps());
    settings.put("probe_steps", s.probeSteps());
    settings.put("score_rows", s.scoreRows());
    settings.put("accuracy_epochs", s.accuracyEpochs());
    out.put("settings", settings);
    for (String net : s.nets()) {
      Map<String, Object> r = new LinkedHashMap<>();
      Map<Integer, int[]> best = new HashMap<>();
      Model model = null;
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int batch : s.batches()) {
        best.put(batch, PyTorchComparison.bestConfig(net, batch, s.probeSteps()));
        try (StepRate tp = new StepRate(train, Nets.of(net), batch, s.steps())) {
          rows.add(throughput(net, batch, best.get(batch), tp, s));
          model = tp.model();
        }
      }
      r.put("training", rows);
      int[] scoreThreads = best.getOrDefault(256, best.get(s.batches()[0]));
      r.put("scoring", scoring(spark, test, net, model, scoreThreads, s));
      if (s.split()) {
        List<Map<String, Object>> split = new ArrayList<>(StepSplit.of(train, Exchange.BARRIER, net, s.batches(),
            StepRate.WARM_UP + s.steps()));
        split.addAll(StepSplit.of(train, Exchange.TREE, net, s.batches(), StepRate.WARM_UP + s.steps()));
        r.put("step_split", split);
      }
      if (s.accuracyEpochs() > 0) {
        int[] threads = best.computeIfAbsent(128, b -> probe(net, b, s.probeSteps()));
        r.put("time_to_accuracy", accuracy(train, test, net, threads, s.accuracyEpochs()));
      }
      out.put(net, r);
    }
    return out;
  }

  /** Interleaved repetitions at one batch size: Treeprop's bounded run, then PyTorch's probe of as many steps. */
  private static Map<String, Object> throughput(String net, int batch, int[] threads, StepRate tp, Settings s)
      throws Exception {
    tp.run(); // JIT and Spark warm-up, not counted
    double[] tpRate = new double[s.reps()];
    double[] tpRss = new double[s.reps()];
    double[] pyRate = new double[s.reps()];
    double[] pyRss = new double[s.reps()];
    for (int i = 0; i < s.reps(); i++) {
      PeakRss.reset();
      tpRate[i] = tp.run();
      tpRss[i] = PeakRss.megabytes();
      JsonNode py = PyTorchComparison.python(threads, "--net", net, "--batch", String.valueOf(batch),
          "--probe-steps", String.valueOf(s.steps()));
      pyRate[i] = py.path("samples_per_second").asDouble();
      pyRss[i] = py.path("peak_rss_mb").asDouble();
      System.out.printf("%s batch %d run %d: treeprop %.0f samples/s, pytorch %.0f samples/s%n", net, batch, i + 1,
          tpRate[i], pyRate[i]);
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("batch_size", batch);
    row.put("treeprop", side(tpRate, tpRss, null));
    row.put("pytorch", side(pyRate, pyRss, threads));
    row.put("samples_per_second_ratio", EndToEnd.median(tpRate) / EndToEnd.median(pyRate));
    return row;
  }

  /** Inference rows/s of each side, interleaved: Treeprop through {@code Scoring.score} to the noop sink. */
  private static Map<String, Object> scoring(SparkSession spark, Dataset<Row> test, String net, Model model,
      int[] threads, Settings s) throws Exception {
    long n = test.count();
    int copies = (int) Math.max(1, s.scoreRows() / n);
    Dataset<Row> rows = spark.range(copies).toDF("copy").repartition(2).crossJoin(test);
    double[] tp = new double[s.reps()];
    double[] py = new double[s.reps()];
    Scoring.score(spark, model, new SourceData(rows, copies * n, 784, "scoring")).write().format("noop")
        .mode("overwrite").save(); // warm-up
    for (int i = 0; i < s.reps(); i++) {
      long t0 = System.nanoTime();
      Scoring.score(spark, model, new SourceData(rows, copies * n, 784, "scoring")).write().format("noop")
          .mode("overwrite").save();
      tp[i] = copies * n / ((System.nanoTime() - t0) / 1e9);
      py[i] = PyTorchComparison.python(threads, "--net", net, "--batch", "256", "--probe-steps", "1",
          "--score-rows", String.valueOf(copies * n)).path("scoring_rows_per_second").asDouble();
      System.out.printf("%s scoring run %d: treeprop %.0f rows/s, pytorch %.0f rows/s%n", net, i + 1, tp[i], py[i]);
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("rows", copies * n);
    r.put("treeprop_rows_per_second", EndToEnd.median(tp));
    r.put("treeprop_runs", tp);
    r.put("pytorch_rows_per_second", EndToEnd.median(py));
    r.put("pytorch_runs", py);
    r.put("pytorch_torch_threads", threads[0]);
    r.put("pytorch_openblas_threads", threads[1]);
    r.put("ratio", EndToEnd.median(tp) / EndToEnd.median(py));
    return r;
  }

  /** One full run per side at batch 128: seconds of training to 0.91 test accuracy, final accuracy, peak memory. */
  private static Map<String, Object> accuracy(Dataset<Row> train, Dataset<Row> test, String net, int[] threads,
      int epochs) throws Exception {
    TreepropRuns tp = new TreepropRuns(train, test, Exchange.AUTO, 1, 128, Nets.of(net), epochs, 0.91);
    tp.run(0);
    Map<String, Object> t = tp.result();
    t.remove("model");
    JsonNode py = PyTorchComparison.python(threads, "--net", net, "--batch", "128", "--epochs",
        String.valueOf(epochs), "--target", "0.91");
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("torch_threads", threads[0]);
    p.put("openblas_threads", threads[1]);
    p.put("samples_per_second", py.path("samples_per_second").asDouble());
    p.put("seconds_to_0.91", py.path("seconds_to_target").isNull() ? null : py.path("seconds_to_target").asDouble());
    p.put("final_test_accuracy", py.path("final_test_accuracy").asDouble());
    p.put("peak_rss_mb", py.path("peak_rss_mb").asDouble());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("epochs", epochs);
    r.put("batch_size", 128);
    r.put("treeprop", t);
    r.put("pytorch", p);
    return r;
  }

  private static int[] probe(String net, int batch, int steps) {
    try {
      return PyTorchComparison.bestConfig(net, batch, steps);
    } catch (Exception e) {
      throw new IllegalStateException("probing PyTorch's threads for " + net + " at batch " + batch + " failed", e);
    }
  }

  private static Map<String, Object> side(double[] rate, double[] rss, int[] threads) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (threads != null) {
      m.put("torch_threads", threads[0]);
      m.put("openblas_threads", threads[1]);
    }
    m.put("samples_per_second", EndToEnd.median(rate));
    m.put("samples_per_second_min", Arrays.stream(rate).min().orElse(0));
    m.put("samples_per_second_max", Arrays.stream(rate).max().orElse(0));
    m.put("samples_per_second_runs", rate);
    m.put("peak_rss_mb", EndToEnd.median(rss));
    return m;
  }
}
