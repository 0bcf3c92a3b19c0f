package io.treeprop.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.spark.LocalSpark;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar on a real standalone cluster (a Master and two Workers from the Maven jars, on loopback):
 * {@code train} then {@code score} through {@code SparkSubmit}, with executors in their own JVMs. Runs in
 * {@code mvn verify} after packaging (failsafe); about a minute.
 */
@ExtendWith(LocalSpark.class)
class ClusterIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @TempDir
  Path tmp;

  @Test
  void trainThenScoreThroughSparkSubmitOnAStandaloneCluster(SparkSession local) throws Exception {
    Path sparkHome = Path.of(System.getProperty("treeprop.sparkHome"));
    String jar = System.getProperty("treeprop.jobsJar");
    assertTrue(Files.exists(Path.of(jar)), "the shaded jar is built before integration tests: " + jar);
    try (StandaloneCluster cluster = new StandaloneCluster(sparkHome, Files.createDirectories(tmp.resolve("cluster")),
        2)) {
      ClusterJobs jobs = new ClusterJobs(cluster, sparkHome, jar, tmp, REPO);
      String model = tmp.resolve("model").toString();
      String report = tmp.resolve("report").toString();
      // the barrier exchange over TCP: executors in other JVMs connect back to the driver
      int train = jobs.run("train", "train", "conf/binary.conf",
          "--set", "training.epochs=4", "--set", "training.exchange=barrier", "--set", "output.model=" + model,
          "--set", "output.report=" + report, "--set", "output.metrics=" + tmp.resolve("metrics.jsonl"),
          "--set", "training.checkpoints.dir=" + tmp.resolve("checkpoints"));
      assertEquals(0, train, "train exit code; see " + tmp.resolve("train.log"));
      String trainLog = Files.readString(tmp.resolve("train.log"));
      assertTrue(trainLog.contains("test accuracy"), trainLog);
      assertTrue(trainLog.contains("using the barrier exchange"), trainLog);
      // the same run with a Spark job per step gives the same weights, bit for bit
      String treeModel = tmp.resolve("tree-model").toString();
      int tree = jobs.run("train-tree", "train", "conf/binary.conf",
          "--set", "training.epochs=4", "--set", "training.exchange=tree", "--set", "output.model=" + treeModel,
          "--set", "output.report=" + tmp.resolve("tree-report"),
          "--set", "output.metrics=" + tmp.resolve("tree-metrics.jsonl"),
          "--set", "training.checkpoints.dir=" + tmp.resolve("tree-checkpoints"));
      assertEquals(0, tree, "train exit code; see " + tmp.resolve("train-tree.log"));
      assertArrayEquals(Files.readAllBytes(Path.of(model, "params.bin")),
          Files.readAllBytes(Path.of(treeModel, "params.bin")), "barrier and tree exchanges give the same weights");
      assertTrue(Files.exists(Path.of(model, "model.json")) && Files.exists(Path.of(model, "params.bin")));
      assertTrue(Files.exists(Path.of(report, "metrics.json")));
      List<File> executorsAfterTrain = cluster.executorDirs();
      assertTrue(executorsAfterTrain.size() >= 2, "executors ran as their own JVMs under both workers: "
          + executorsAfterTrain);

      String scores = tmp.resolve("scores").toString();
      int score = jobs.run("score", "score", "--model", model, "--input",
          "conf/data/binary-test.libsvm", "--output", scores);
      assertEquals(0, score, "score exit code; see " + tmp.resolve("score.log"));
      assertEquals(100, local.read().parquet(scores).count(), "one prediction per input row");
      assertEquals(100, local.read().parquet(scores).filter("prediction = 0.0 OR prediction = 1.0").count());
      assertTrue(cluster.executorDirs().size() > executorsAfterTrain.size(), "score ran on new executors too");
    }
  }
}
