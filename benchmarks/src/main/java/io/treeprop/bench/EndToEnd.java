package io.treeprop.bench;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * split|training|scoring|pytorch|pytorch-cnn|pytorch-all|cluster]}; the CNN comparison ({@link CnnComparison})
 * and the split take {@code --nets cnn,cnn_bn,resnet --batches 128,256,1024 --steps N}, the comparison also
 * {@code --probe-steps N --score-rows N --accuracy-epochs N --no-split}; {@code pytorch-all} runs the MLP and CNN
 * comparisons and then the cluster ({@link ClusterSplit}, {@code --cluster-steps N}). Not part of the tests.
 */
public final class EndToEnd {
  private static final String DIR = "/usr/share/datasets/fashion-mnist/";
  private static final int[] LAYERS = {784, 256, 128, 10};

  private EndToEnd() {}

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bin/benchmark: " + e.getMessage());
      System.exit(2);
    }
  }

  private static void run(String[] args) throws Exception {
    Path out = Path.of(arg(args, "--out", "bench/results"));
    String only = arg(args, "--only", "");
    if (!List.of("", "training", "scoring", "pytorch", "pytorch-cnn", "pytorch-all", "split", "cluster")
        .contains(only)) {
      throw new IllegalArgumentException("--only " + only + ": choose training, scoring, split, pytorch, "
          + "pytorch-cnn, pytorch-all or cluster");
    }
    if (only.equals("cluster")) {
      ClusterSplit.run(out, intArg(args, "--steps", 40), intArg(args, "--repetitions", 3));
      return;
    }
    CnnComparison.Settings cnn = new CnnComparison.Settings(List.of(arg(args, "--nets", "cnn,cnn_bn,resnet")
        .split(",")), ints(arg(args, "--batches", "128,256,1024")), intArg(args, "--repetitions", 3),
        intArg(args, "--steps", 20), intArg(args, "--probe-steps", 10), intArg(args, "--score-rows", 20_000),
        !Arrays.asList(args).contains("--no-split"), intArg(args, "--accuracy-epochs", 0));
    int mllibIterations = Integer.parseInt(arg(args, "--mllib-iterations", "300"));
    SparkSession spark = session(SparkSession.builder().master("local[2]"));
    Dataset<Row> trainDf = fashionMnist(spark, "train");
    Dataset<Row> testDf = fashionMnist(spark, "t10k");
    System.out.printf("rows: %d train, %d test%n", trainDf.count(), testDf.count());

    if (only.equals("training")) {
      treeprop(trainDf, testDf, Exchange.AUTO, Integer.parseInt(arg(args, "--repetitions", "3")));
      spark.stop();
      return;
    }
    if (only.equals("scoring")) {
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
    boolean peers = only.equals("pytorch-all");
    if (only.equals("pytorch") || peers) {
      Map<String, Object> results = new LinkedHashMap<>();
      results.put("machine", machine());
      results.put("mlp", PyTorchComparison.mlp(trainDf, testDf, Integer.parseInt(arg(args, "--repetitions", "3"))));
      Files.createDirectories(out);
      Files.writeString(out.resolve("pytorch.json"), Json.write(results));
      System.out.println(Json.write(results));
    }
    if (only.equals("pytorch-cnn") || peers) {
      Map<String, Object> results = new LinkedHashMap<>();
      results.put("machine", machine());
      results.put("cnn", CnnComparison.run(spark, trainDf, testDf, cnn));
      Files.createDirectories(out);
      Files.writeString(out.resolve("pytorch-cnn.json"), Json.write(results));
      Files.writeString(out.resolve("pytorch-cnn.md"), CnnMarkdown.of(results));
      System.out.println(CnnMarkdown.of(results));
    }
    if (only.equals("pytorch") || only.equals("pytorch-cnn") || peers) {
      spark.stop();
      if (peers) {
        // the cluster's driver is a new session in this JVM: one SparkContext at a time
        ClusterSplit.run(out, intArg(args, "--cluster-steps", 40), intArg(args, "--repetitions", 3));
      }
      return;
    }
    if (only.equals("split")) {
      // the MLP over whole epochs by default; --nets cnn,... --steps N for the CNNs over N-step epochs
      int[] batches = ints(arg(args, "--batches", "128,256,1024,4096"));
      for (String net : arg(args, "--nets", "mlp").split(",")) {
        StepSplit.of(trainDf, Exchange.BARRIER, net, batches, intArg(args, "--steps", 0));
        StepSplit.of(trainDf, Exchange.TREE, net, batches, intArg(args, "--steps", 0));
      }
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
    int[] splitBatches = {128, 256, 1024, 4096};
    List<Map<String, Object>> split = new ArrayList<>(StepSplit.of(trainDf, Exchange.BARRIER, "mlp", splitBatches,
        0));
    split.addAll(StepSplit.of(trainDf, Exchange.TREE, "mlp", splitBatches, 0));
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

  /** The benchmark's Spark settings (Kryo with Treeprop's registrator, one OpenBLAS thread per executor). */
  static SparkSession session(SparkSession.Builder builder) {
    SparkSession spark = builder.appName("treeprop-bench")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.kryo.registrator", "io.treeprop.spark.serde.TreepropKryoRegistrator")
        .config("spark.executorEnv.OPENBLAS_NUM_THREADS", "1").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /** Fashion-MNIST's {@code train} or {@code t10k} split, pixels scaled to [0, 1], cached (train in 2 partitions). */
  static Dataset<Row> fashionMnist(SparkSession spark, String split) {
    SourceData d = new Scaling.Factor(1.0 / 255).apply(DataSource.read(spark, SourceSpec.idx(
        DIR + split + "-images-idx3-ubyte.gz", DIR + split + "-labels-idx1-ubyte.gz")));
    return split.equals("train") ? d.frame().repartition(2).cache() : d.frame().cache();
  }

  static Double finiteOrNull(double d) {
    return Double.isFinite(d) ? d : null;
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

  private static int intArg(String[] args, String name, int def) {
    String v = arg(args, name, String.valueOf(def));
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " (" + v + ") must be an integer");
    }
  }

  private static int[] ints(String list) {
    String[] parts = list.split(",");
    int[] r = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        r[i] = Integer.parseInt(parts[i].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--batches (" + list + ") must be integers separated by commas");
      }
    }
    return r;
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
