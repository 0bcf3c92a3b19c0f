package io.treeprop.bench;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.EpochMetrics;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Schedule;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.tensor.Blas;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.jobs.data.DataSource;
import io.treeprop.jobs.data.Scaling;
import io.treeprop.jobs.data.SourceData;
import io.treeprop.jobs.data.SourceSpec;
import io.treeprop.jobs.score.Scoring;
import io.treeprop.spark.data.InputColumns;
import io.treeprop.spark.train.Exchange;
import io.treeprop.spark.train.SparkTrainConfig;
import io.treeprop.spark.train.SparkTrainer;
import io.treeprop.spark.train.StepReport;
import io.treeprop.spark.train.StepTiming;
import io.treeprop.spark.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The end-to-end benchmark (issue 6): Treeprop against Spark MLlib's MultilayerPerceptronClassifier on
 * Fashion-MNIST in one run on local[2] — training throughput and time to accuracy, scoring 1,000,000 rows, and
 * Treeprop's per-step time split at several batch sizes. Writes {@code results.json} and {@code results.md}.
 *
 * <p>Run: {@code bin/benchmark [--out DIR] [--mllib-iterations N] [--repetitions N] [--only
 * split|training|scoring|pytorch]}. Not part
 * of the tests.
 */
public final class EndToEnd {
  private static final String DIR = "/usr/share/datasets/fashion-mnist/";
  private static final int[] LAYERS = {784, 256, 128, 10};

  private EndToEnd() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(arg(args, "--out", "bench/results"));
    int mllibIterations = Integer.parseInt(arg(args, "--mllib-iterations", "300"));
    SparkSession spark = SparkSession.builder().master("local[2]").appName("treeprop-bench")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.kryo.registrator", "io.treeprop.spark.serde.TreepropKryoRegistrator")
        .config("spark.executorEnv.OPENBLAS_NUM_THREADS", "1").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Scaling scale = new Scaling.Factor(1.0 / 255);
    SourceData train = scale.apply(DataSource.read(spark, SourceSpec.idx(DIR + "train-images-idx3-ubyte.gz",
        DIR + "train-labels-idx1-ubyte.gz")));
    SourceData test = scale.apply(DataSource.read(spark, SourceSpec.idx(DIR + "t10k-images-idx3-ubyte.gz",
        DIR + "t10k-labels-idx1-ubyte.gz")));
    Dataset<Row> trainDf = train.frame().repartition(2).cache();
    Dataset<Row> testDf = test.frame().cache();
    System.out.printf("rows: %d train, %d test%n", trainDf.count(), testDf.count());

    if (arg(args, "--only", "").equals("training")) {
      treeprop(trainDf, testDf, Exchange.AUTO, Integer.parseInt(arg(args, "--repetitions", "3")));
      spark.stop();
      return;
    }
    if (arg(args, "--only", "").equals("scoring")) {
      Model tp = new SparkTrainer(SparkTrainConfig.of(new TrainConfig(1, 256, 42,
          new Updater(new Optimizers.Adam(2e-3f)), 0, null))).fit(NetworkSpec.input(784).dense(256).relu()
          .dense(128).relu().dense(10).softmax(), new Losses.CategoricalCrossEntropy(), trainDf, null,
          InputColumns.defaults());
      MultilayerPerceptronClassificationModel ml = new MultilayerPerceptronClassifier().setLayers(LAYERS)
          .setSolver("l-bfgs").setMaxIter(5).setSeed(42).fit(trainDf);
      System.out.println("scoring " + scoring(spark, testDf, tp, ml));
      spark.stop();
      return;
    }
    if (arg(args, "--only", "").equals("pytorch")) {
      Map<String, Object> results = new LinkedHashMap<>();
      results.put("machine", machine());
      results.put("mlp", PyTorchComparison.mlp(trainDf, testDf, Integer.parseInt(arg(args, "--repetitions", "3"))));
      Files.createDirectories(out);
      Files.writeString(out.resolve("pytorch.json"), Json.write(results));
      System.out.println(Json.write(results));
      spark.stop();
      return;
    }
    if (arg(args, "--only", "").equals("split")) {
      split(trainDf, Exchange.BARRIER);
      split(trainDf, Exchange.TREE);
      spark.stop();
      return;
    }
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("machine", machine());
    int reps = Integer.parseInt(arg(args, "--repetitions", "3"));
    // Treeprop's repetitions interleaved with MLlib's chunks: both measured over the same minutes
    TreepropRuns runs = new TreepropRuns(trainDf, testDf, Exchange.AUTO, reps);
    runs.run(-1);
    Map<String, Object> ml = mllib(trainDf, testDf, mllibIterations, reps, runs::run);
    Map<String, Object> tp = runs.result();
    results.put("treeprop_training", tp);
    Map<String, Object> tpTree = treeprop(trainDf, testDf, Exchange.TREE, reps);
    tpTree.remove("model");
    results.put("treeprop_training_tree_exchange", tpTree);
    results.put("mllib_training", ml);
    results.put("scoring", scoring(spark, testDf, (Model) tp.remove("model"),
        (MultilayerPerceptronClassificationModel) ml.remove("model")));
    List<Map<String, Object>> split = new ArrayList<>(split(trainDf, Exchange.BARRIER));
    split.addAll(split(trainDf, Exchange.TREE));
    results.put("step_split", split);
    Files.createDirectories(out);
    Files.writeString(out.resolve("results.json"), Json.write(results));
    Files.writeString(out.resolve("results.md"), Markdown.of(results));
    System.out.println(Markdown.of(results));
    spark.stop();
  }

  /** Treeprop, 10 epochs at batch 256, {@code reps} times after a warm-up run; medians over the repetitions. */
  private static Map<String, Object> treeprop(Dataset<Row> train, Dataset<Row> test, Exchange exchange, int reps) {
    TreepropRuns runs = new TreepropRuns(train, test, exchange, reps);
    for (int i = -1; i < reps; i++) {
      runs.run(i);
    }
    return runs.result();
  }

  /** Repetitions of one Treeprop training (run -1 is the uncounted JIT warm-up), and their medians. */
  static final class TreepropRuns {
    private static final int EPOCHS = 10;
    private final int batch;
    private final Dataset<Row> train;
    private final Dataset<Row> test;
    private final Exchange exchange;
    private final int reps;
    private final Updater updater;
    private final double[] rate;
    private final double[] wall;
    private final double[] epochSeconds;
    private final double[] to85;
    private final double[] to88;
    private final double[] accuracy;
    private final double[] epochOverhead;
    private final double[] stepMedian;
    private final double[] stepMean;
    private final double[] firstStep;
    private Model first;

    TreepropRuns(Dataset<Row> train, Dataset<Row> test, Exchange exchange, int reps) {
      this(train, test, exchange, reps, 256);
    }

    TreepropRuns(Dataset<Row> train, Dataset<Row> test, Exchange exchange, int reps, int batch) {
      this.batch = batch;
      this.train = train;
      this.test = test;
      this.exchange = exchange;
      this.reps = reps;
      long steps = EPOCHS * ((60_000L + batch - 1) / batch);
      this.updater = new Updater(new Optimizers.Adam(2e-3f), new Schedule.Cosine(steps, 0), 0, false, 0);
      rate = new double[reps];
      wall = new double[reps];
      epochSeconds = new double[reps];
      to85 = new double[reps];
      to88 = new double[reps];
      accuracy = new double[reps];
      epochOverhead = new double[reps];
      stepMedian = new double[reps];
      stepMean = new double[reps];
      firstStep = new double[reps];
    }

    /** Repetition {@code i}; -1 is the warm-up, not counted. */
    void run(int i) {
      long t0 = System.nanoTime();
      double[] stepMs = new double[1];
      List<Double> firsts = new ArrayList<>();
      List<Double> all = new ArrayList<>();
      Model m = new SparkTrainer(SparkTrainConfig.of(new TrainConfig(EPOCHS, batch, 42, updater, 0, null))
          .withExchange(exchange)).addListener(new TrainingListener() {
            @Override
            public void onStep(StepReport s) {
              stepMs[0] += s.timing().total();
              (s.stepInEpoch() == 0 ? firsts : all).add(s.timing().total());
            }
          })
          .fit(NetworkSpec.input(784).dense(256).relu().dense(128).relu().dense(10).softmax(),
              new Losses.CategoricalCrossEntropy(), train, test, InputColumns.defaults());
      if (i < 0) {
        return;
      }
      wall[i] = (System.nanoTime() - t0) / 1e9;
      List<EpochMetrics> h = m.summary().epochs();
      double trainSeconds = h.stream().mapToDouble(EpochMetrics::seconds).sum();
      rate[i] = 60_000.0 * EPOCHS / trainSeconds;
      epochSeconds[i] = median(h.stream().mapToDouble(EpochMetrics::seconds).toArray());
      epochOverhead[i] = (trainSeconds - stepMs[0] / 1e3) / EPOCHS;
      double[] a = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      stepMedian[i] = median(a);
      stepMean[i] = Arrays.stream(a).average().orElse(0);
      firstStep[i] = firsts.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      System.out.printf("  steps: median %.2f ms, mean %.2f, p90 %.2f, p99 %.2f, max %.1f; first of epoch: mean "
          + "%.1f ms%n", median(a), Arrays.stream(a).average().orElse(0), a[a.length * 9 / 10],
          a[a.length * 99 / 100], a[a.length - 1], firstStep[i]);
      to85[i] = orInfinity(timeTo(h, 0.85));
      to88[i] = orInfinity(timeTo(h, 0.88));
      accuracy[i] = h.get(h.size() - 1).validationAccuracy();
      System.out.printf("treeprop (%s exchange) run %d: %.0f samples/s, test accuracy %.4f, %.3f s per epoch "
          + "outside the steps%n", exchange.jsonName(), i + 1, rate[i], accuracy[i], epochOverhead[i]);
      first = first == null ? m : first;
    }

    Map<String, Object> result() {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("exchange", exchange.jsonName());
      r.put("epochs", EPOCHS);
      r.put("batch_size", batch);
      r.put("repetitions", reps);
      r.put("warm_up_runs", 1);
      r.put("wall_seconds_including_packing", median(wall));
      r.put("samples_per_second", median(rate));
      r.put("samples_per_second_runs", rate);
      r.put("median_epoch_seconds", median(epochSeconds));
      r.put("epoch_seconds_outside_steps", median(epochOverhead));
      r.put("step_ms_median", median(stepMedian));
      r.put("step_ms_mean", median(stepMean));
      r.put("first_step_of_epoch_ms", median(firstStep));
      r.put("seconds_to_0.85", finiteOrNull(median(to85)));
      r.put("seconds_to_0.88", finiteOrNull(median(to88)));
      r.put("final_test_accuracy", median(accuracy));
      r.put("model", first);
      return r;
    }
  }

  private static double orInfinity(Double d) {
    return d == null ? Double.POSITIVE_INFINITY : d;
  }

  static Double finiteOrNull(double d) {
    return Double.isFinite(d) ? d : null;
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

  /**
   * MLlib's MLP with L-BFGS (its best solver), in chunks of iterations warm-started from the last weights. Before
   * every {@code chunks / slots}-th chunk, {@code between} runs slot 0, 1, ... (the Treeprop repetitions), so both
   * are measured over the same stretch of time on a machine whose speed drifts.
   */
  private static Map<String, Object> mllib(Dataset<Row> train, Dataset<Row> test, int iterations, int slots,
      java.util.function.IntConsumer between) {
    // Warm-started chunks reset L-BFGS's curvature history (10 corrections); 25 iterations per chunk keeps that
    // small next to the iterations it helps, and bounds the time-to-accuracy resolution.
    int chunk = 25;
    MulticlassClassificationEvaluator acc = new MulticlassClassificationEvaluator().setMetricName("accuracy");
    MultilayerPerceptronClassificationModel model = null;
    double seconds = 0;
    Double to85 = null;
    Double to88 = null;
    List<Double> perIteration = new ArrayList<>();
    double accuracy = 0;
    new MultilayerPerceptronClassifier().setLayers(LAYERS).setSolver("l-bfgs").setMaxIter(5).setSeed(42).fit(train);
    int chunks = (iterations + chunk - 1) / chunk;
    int slot = 0;
    for (int done = 0; done < iterations; done += chunk) {
      if (slot < slots && done / chunk == slot * chunks / slots) {
        between.accept(slot++);
      }
      MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier().setLayers(LAYERS).setSolver("l-bfgs")
          .setMaxIter(chunk).setSeed(42).setTol(0);
      if (model != null) {
        mlp.setInitialWeights(model.weights());
      }
      long t0 = System.nanoTime();
      model = mlp.fit(train);
      double s = (System.nanoTime() - t0) / 1e9;
      seconds += s;
      perIteration.add(s / chunk);
      accuracy = acc.evaluate(model.transform(test));
      System.out.printf("mllib: %d iterations, %.1f s, test accuracy %.4f%n", done + chunk, seconds, accuracy);
      if (to85 == null && accuracy >= 0.85) {
        to85 = seconds;
      }
      if (to88 == null && accuracy >= 0.88) {
        to88 = seconds;
      }
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("solver", "l-bfgs");
    r.put("iterations", iterations);
    r.put("train_seconds", seconds);
    r.put("samples_per_second", 60_000.0 * iterations / seconds);
    r.put("median_iteration_seconds", median(perIteration.stream().mapToDouble(Double::doubleValue).toArray()));
    r.put("seconds_to_0.85", to85);
    r.put("seconds_to_0.88", to88);
    r.put("final_test_accuracy", accuracy);
    r.put("model", model);
    while (slot < slots) {
      between.accept(slot++);
    }
    return r;
  }

  /** 1,000,000 rows (the test set 100 times), scored by both, results materialized with the noop sink. */
  private static Map<String, Object> scoring(SparkSession spark, Dataset<Row> test, Model tp,
      MultilayerPerceptronClassificationModel ml) {
    // streamed, not cached: a million rows of 784 doubles would not fit in the heap
    Dataset<Row> million = spark.range(100).toDF("copy").repartition(2).crossJoin(test);
    long n = 100 * test.count();
    double[] tpRuns = new double[3];
    double[] mlRuns = new double[3];
    double[] inputRuns = new double[3];
    for (int i = 0; i < 3; i++) {
      // the floor both pay: producing the million rows and discarding them
      long t00 = System.nanoTime();
      million.write().format("noop").mode("overwrite").save();
      inputRuns[i] = n / ((System.nanoTime() - t00) / 1e9);
      long t0 = System.nanoTime();
      Scoring.score(spark, tp, new SourceData(million, n, 784, "1M rows")).write().format("noop").mode("overwrite")
          .save();
      tpRuns[i] = n / ((System.nanoTime() - t0) / 1e9);
      t0 = System.nanoTime();
      ml.transform(million).write().format("noop").mode("overwrite").save();
      mlRuns[i] = n / ((System.nanoTime() - t0) / 1e9);
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("rows", n);
    r.put("treeprop_rows_per_second", median(tpRuns));
    r.put("mllib_rows_per_second", median(mlRuns));
    r.put("ratio", median(tpRuns) / median(mlRuns));
    r.put("input_only_rows_per_second", median(inputRuns));
    return r;
  }

  /** Treeprop's per-step time split (medians over one epoch, first quarter dropped) and the sgemm ceiling. */
  private static List<Map<String, Object>> split(Dataset<Row> train, Exchange exchange) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int b : new int[] {128, 256, 1024, 4096}) {
      List<StepTiming> t = new ArrayList<>();
      TrainConfig cfg = new TrainConfig(1, b, 42, new Updater(new Optimizers.Adam(1e-3f)), 0, null);
      new SparkTrainer(SparkTrainConfig.of(cfg).withExchange(exchange)).addListener(new TrainingListener() {
        @Override
        public void onStep(StepReport s) {
          t.add(s.timing());
        }
      }).fit(NetworkSpec.input(784).dense(256).relu().dense(128).relu().dense(10).softmax(),
          new Losses.CategoricalCrossEntropy(), train, null, InputColumns.defaults());
      List<StepTiming> w = t.subList(t.size() / 4, t.size());
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("exchange", exchange.jsonName());
      r.put("batch_size", b);
      r.put("steps", t.size());
      r.put("scheduling_ms", median(w, StepTiming::scheduling));
      r.put("broadcast_ms", median(w, StepTiming::broadcast));
      r.put("compute_ms", median(w, StepTiming::compute));
      r.put("aggregate_ms", median(w, StepTiming::aggregate));
      r.put("driver_update_ms", median(w, StepTiming::driverUpdate));
      double total = median(w, StepTiming::total);
      r.put("total_ms", total);
      double[] totals = w.stream().mapToDouble(StepTiming::total).sorted().toArray();
      r.put("total_p10_ms", totals[totals.length / 10]);
      r.put("total_p90_ms", totals[totals.length * 9 / 10]);
      r.put("compute_share", median(w, StepTiming::compute) / total);
      double ceiling = Ceiling.gflops(b / 2);
      double flops = Ceiling.flopsPerStep(b / 2);
      r.put("sgemm_gflops_ceiling_per_partition", ceiling);
      r.put("compute_at_ceiling_ms", flops / ceiling / 1e6);
      r.put("compute_vs_ceiling", flops / ceiling / 1e6 / median(w, StepTiming::compute));
      rows.add(r);
      System.out.println("split " + r);
    }
    return rows;
  }

  private static double median(List<StepTiming> l, ToDoubleFunction<StepTiming> f) {
    return median(l.stream().mapToDouble(f).toArray());
  }

  static double median(double[] a) {
    double[] s = a.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static Map<String, Object> machine() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("cpu", Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    Blas.Info blas = Blas.info();
    m.put("blas", blas.implementation());
    m.put("blas_kernels", blas.kernels() == null ? "n/a" : blas.kernels());
    m.put("blas_kernels_choice", blas.kernelsChoice());
    m.put("sgemm_gflops_1_thread", blas.sgemmGflops());
    m.put("cpu_features", blas.cpu());
    m.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
    m.put("master", "local[2]");
    return m;
  }

  private static String arg(String[] args, String name, String def) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return def;
  }
}
