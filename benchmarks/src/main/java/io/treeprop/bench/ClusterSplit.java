package io.treeprop.bench;

import io.treeprop.core.model.Json;
import io.treeprop.jobs.cluster.StandaloneCluster;
import io.treeprop.spark.train.Exchange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The exchange's share of a training step on a real standalone cluster (issue 13): a Master and two Workers started
 * from the Maven jars on loopback (the cluster tests' {@link StandaloneCluster}), two one-core executors in their own
 * JVMs fetching the shaded jobs jar, the driver in this JVM. The MLP (a whole epoch) and the small CNN (the first
 * {@code steps} batches) at batch 256, barrier and tree exchanges, {@code reps} times each, split by
 * {@link StepSplit}. The exchange is everything of a step but the tasks' compute and the driver's update:
 * scheduling, sending the weights, gathering and merging the gradients.
 *
 * <p>Run: {@code bin/benchmark --only cluster [--steps 40] [--repetitions 3]}; writes {@code cluster.json} and
 * {@code cluster.md}.
 */
final class ClusterSplit {
  private static final int BATCH = 256;
  private static final List<String> NETS = List.of("mlp", "cnn");
  private static final List<Exchange> EXCHANGES = List.of(Exchange.BARRIER, Exchange.TREE);

  private ClusterSplit() {}

  static void run(Path out, int cnnSteps, int reps) throws Exception {
    Path sparkHome = Path.of(required("treeprop.sparkHome"));
    Path jar = Path.of(required("treeprop.jobsJar"));
    if (!Files.isDirectory(sparkHome.resolve("jars")) || !Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("the cluster needs the packaged jobs module (" + jar + " and "
          + sparkHome.resolve("jars") + "); bin/benchmark builds them");
    }
    String scalaVersion = scala.util.Properties.versionNumberString();
    System.setProperty("treeprop.scalaBinaryVersion", scalaVersion.substring(0, scalaVersion.lastIndexOf('.')));
    Path work = Files.createTempDirectory("treeprop-cluster-bench");
    List<Map<String, Object>> runs = new ArrayList<>();
    Map<String, Object> machine;
    try (StandaloneCluster cluster = new StandaloneCluster(sparkHome, work, 2)) {
      SparkSession spark = EndToEnd.session(SparkSession.builder().master(cluster.master())
          .config("spark.jars", jar.toString()).config("spark.executor.cores", "1")
          .config("spark.cores.max", "2").config("spark.executor.memory", "1g"));
      try {
        machine = EndToEnd.machine();
        machine.put("master", "standalone, 2 workers x 1 core, loopback (" + cluster.master() + ")");
        Dataset<Row> train = EndToEnd.fashionMnist(spark, "train");
        System.out.printf("rows: %d train%n", train.count());
        for (int rep = 0; rep < reps; rep++) {
          for (String net : NETS) {
            for (Exchange exchange : EXCHANGES) {
              for (Map<String, Object> r : StepSplit.of(train, exchange, net, new int[] {BATCH},
                  net.equals("mlp") ? 0 : cnnSteps)) {
                r.put("repetition", rep + 1);
                runs.add(r);
              }
            }
          }
        }
      } finally {
        spark.stop();
      }
    }
    List<Map<String, Object>> summary = new ArrayList<>();
    for (String net : NETS) {
      for (Exchange exchange : EXCHANGES) {
        List<Map<String, Object>> mine = runs.stream().filter(r -> r.get("net").equals(net)
            && r.get("exchange").equals(exchange.jsonName())).toList();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("net", net);
        s.put("exchange", exchange.jsonName());
        s.put("batch_size", BATCH);
        s.put("steps_per_run", mine.get(0).get("steps"));
        for (String k : List.of("total_ms", "compute_ms", "exchange_ms", "driver_update_ms", "exchange_share")) {
          double[] v = mine.stream().mapToDouble(r -> ((Number) r.get(k)).doubleValue()).toArray();
          s.put(k, EndToEnd.median(v));
          s.put(k + "_runs", v);
        }
        summary.add(s);
      }
    }
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("machine", machine);
    results.put("date", LocalDate.now().toString());
    results.put("repetitions", reps);
    results.put("cnn_steps", cnnSteps);
    results.put("summary", summary);
    results.put("runs", runs);
    Files.createDirectories(out);
    Files.writeString(out.resolve("cluster.json"), Json.write(results));
    Files.writeString(out.resolve("cluster.md"), markdown(results, summary));
    System.out.println(markdown(results, summary));
  }

  private static String markdown(Map<String, Object> results, List<Map<String, Object>> summary) {
    StringBuilder b = new StringBuilder("# The exchange's share of a step on a standalone cluster\n\n");
    Map<?, ?> m = (Map<?, ?>) results.get("machine");
    b.append(String.format(Locale.ROOT, "Machine: %s cores, %s; %s; Spark %s, %s; BLAS %s, kernels %s. %s.%n%n",
        m.get("cores"), m.get("cpu"), m.get("java"), m.get("spark"), m.get("master"), m.get("blas"),
        m.get("blas_kernels"), results.get("date")));
    b.append(String.format(Locale.ROOT, "Batch %d, two partitions; per-step medians over each run (its first "
        + "quarter dropped), then the median (min-max) over %s runs. The MLP runs a whole epoch, the CNN its first "
        + "%s batches. Exchange = scheduling + sending the weights + gathering and merging the gradients.%n%n",
        BATCH, results.get("repetitions"), results.get("cnn_steps")));
    b.append("| net | exchange | step (ms) | compute (ms) | exchange (ms) | driver update (ms) | exchange share |\n");
    b.append("|---|---|---|---|---|---|---|\n");
    for (Map<String, Object> s : summary) {
      b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", s.get("net"), s.get("exchange"),
          cell(s, "total_ms", "%.1f", 1, ""), cell(s, "compute_ms", "%.1f", 1, ""),
          cell(s, "exchange_ms", "%.1f", 1, ""), cell(s, "driver_update_ms", "%.2f", 1, ""),
          cell(s, "exchange_share", "%.1f", 100, " %")));
    }
    return b.toString();
  }

  /** The median of {@code key}, {@code unit}, then the (min–max) of its runs; all times {@code scale}, format f. */
  private static String cell(Map<String, Object> s, String key, String f, double scale, String unit) {
    double[] v = (double[]) s.get(key + "_runs");
    return String.format(Locale.ROOT, f, scale * (double) s.get(key)) + unit + String.format(Locale.ROOT,
        " (" + f + "–" + f + ")", scale * Arrays.stream(v).min().orElse(Double.NaN),
        scale * Arrays.stream(v).max().orElse(Double.NaN));
  }

  private static String required(String property) {
    String v = System.getProperty(property);
    if (v == null) {
      throw new IllegalArgumentException("-D" + property + " is not set; run through bin/benchmark --only cluster");
    }
    return v;
  }
}
