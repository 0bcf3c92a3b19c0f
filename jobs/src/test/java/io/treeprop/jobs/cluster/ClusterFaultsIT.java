package io.treeprop.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.treeprop.core.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault drills on a real standalone cluster (a Master and two one-core Workers from the Maven jars, on loopback):
 * training data read from six files and repartitioned into two partitions, so each partition's rows come from
 * map outputs on both executors. Runs with the tree and the barrier exchange, undisturbed and with an executor
 * JVM killed mid-run, must all end with the same weights, bit for bit (issue 15).
 */
class ClusterFaultsIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final long KILL_AT_STEP = 60;

  @TempDir
  Path tmp;

  @Test
  void runsAreIdenticalWhateverTheExchangeAndWhicheverExecutorDies() throws Exception {
    Path sparkHome = Path.of(System.getProperty("treeprop.sparkHome"));
    String jar = System.getProperty("treeprop.jobsJar");
    Path data = circleFiles(tmp.resolve("train"), 6, 600);
    try (StandaloneCluster cluster = new StandaloneCluster(sparkHome, Files.createDirectories(tmp.resolve("cluster")),
        2)) {
      ClusterJobs jobs = new ClusterJobs(cluster, sparkHome, jar, tmp, REPO);
      byte[] tree = train(jobs, "tree", "tree", data, null);
      byte[] barrier = train(jobs, "barrier", "barrier", data, null);
      assertArrayEquals(tree, barrier, "two cluster runs, tree and barrier exchange: the same weights");
      byte[] treeKilled = train(jobs, "tree-killed", "tree", data, cluster);
      assertArrayEquals(tree, treeKilled, "an executor killed under the tree exchange changes nothing");
      byte[] barrierKilled = train(jobs, "barrier-killed", "barrier", data, cluster);
      assertArrayEquals(tree, barrierKilled, "an executor killed under the barrier exchange changes nothing");
      // last: a whole Worker lost for good leaves one task slot for two barrier tasks
      byte[] workerLost = train(jobs, "worker-lost", "barrier", data, cluster, true);
      assertArrayEquals(tree, workerLost, "a Worker lost under the barrier exchange changes nothing");
      String log = Files.readString(tmp.resolve("worker-lost.log"));
      assertTrue(log.contains("continuing with the tree exchange"), "the log says what happened at once");
    }
  }

  @Test
  void onAClusterWithAuthenticationAndEncryptionTheBarrierExchangeRunsSealed() throws Exception {
    Path sparkHome = Path.of(System.getProperty("treeprop.sparkHome"));
    String jar = System.getProperty("treeprop.jobsJar");
    String secret = "cluster-secret-" + Long.toHexString(new java.util.Random(3).nextLong());
    Path data = circleFiles(tmp.resolve("train-secure"), 2, 600);
    try (StandaloneCluster cluster = new StandaloneCluster(sparkHome,
        Files.createDirectories(tmp.resolve("secure-cluster")), 2,
        List.of("-Dspark.authenticate=true", "-Dspark.authenticate.secret=" + secret))) {
      ClusterJobs jobs = new ClusterJobs(cluster, sparkHome, jar, tmp, REPO, List.of("spark.authenticate=true",
          "spark.authenticate.secret=" + secret, "spark.network.crypto.enabled=true"));
      byte[] tree = train(jobs, "secure-tree", "tree", data, null);
      // exchange = barrier fails rather than falling back: this run went through the sealed channel
      byte[] barrier = train(jobs, "secure-barrier", "barrier", data, null);
      assertArrayEquals(tree, barrier, "sealed barrier exchange and tree exchange: the same weights");
      assertTrue(Files.readString(tmp.resolve("secure-barrier.log")).contains("using the barrier exchange"));
    }
  }

  private byte[] train(ClusterJobs jobs, String name, String exchange, Path data, StandaloneCluster killer)
      throws Exception {
    return train(jobs, name, exchange, data, killer, false);
  }

  /**
   * Trains {@code conf/binary.conf} on the data; with a cluster, kills worker 0's executor (or the whole Worker)
   * mid-run.
   */
  private byte[] train(ClusterJobs jobs, String name, String exchange, Path data, StandaloneCluster killer,
      boolean wholeWorker) throws Exception {
    Path model = tmp.resolve(name + "-model");
    Path metrics = tmp.resolve(name + "-metrics.jsonl");
    Process p = jobs.start(name, "train", "conf/binary.conf", "--set", "data.train.path=" + data,
        "--set", "training.epochs=3", "--set", "training.partitions=2", "--set", "training.exchange=" + exchange,
        "--set", "output.model=" + model, "--set", "output.report=" + tmp.resolve(name + "-report"),
        "--set", "output.metrics=" + metrics, "--set", "training.checkpoints.dir=" + tmp.resolve(name + "-cp"));
    if (killer != null) {
      awaitStep(p, metrics, KILL_AT_STEP, name);
      long killedAt = System.nanoTime();
      long pid = killer.killExecutorOf(0);
      assertTrue(pid > 0, "worker 0 runs an executor to kill");
      if (wholeWorker) {
        killer.killWorker(0);
      }
      long before = lastStep(metrics);
      awaitStep(p, metrics, before + 1, name);
      System.out.printf(Locale.ROOT, "%s: executor %d killed after step %d; training went on %.1f s later%n", name,
          pid, before, (System.nanoTime() - killedAt) / 1e9);
    }
    assertEquals(0, jobs.await(p, name), name + " exit code; see " + tmp.resolve(name + ".log"));
    return Files.readAllBytes(model.resolve("params.bin"));
  }

  private static void awaitStep(Process p, Path metrics, long step, String name) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (lastStep(metrics) < step) {
      assertTrue(p.isAlive(), name + " ended before step " + step);
      assertTrue(System.nanoTime() < deadline, name + " did not reach step " + step);
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /** The last step reported in a metrics file (complete lines only), 0 before any. */
  private static long lastStep(Path metrics) throws Exception {
    if (!Files.exists(metrics)) {
      return 0;
    }
    String text = Files.readString(metrics);
    long last = 0;
    for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n = Json.mapper().readTree(line);
      if ("step".equals(n.path("event").asText())) {
        last = Math.max(last, n.path("report").path("step").asLong());
      }
    }
    return last;
  }

  /** {@code files} LIBSVM files of a 2-D task: is (x, y) inside the circle of radius 0.6? */
  static Path circleFiles(Path dir, int files, int rowsPerFile) throws Exception {
    Files.createDirectories(dir);
    SplittableRandom rng = new SplittableRandom(17);
    for (int f = 0; f < files; f++) {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < rowsPerFile; i++) {
        double x = rng.nextDouble(-1, 1);
        double y = rng.nextDouble(-1, 1);
        lines.add(String.format(Locale.ROOT, "%d 1:%.5f 2:%.5f", x * x + y * y < 0.36 ? 1 : 0, x, y));
      }
      Files.write(dir.resolve("part-" + f + ".libsvm"), lines);
    }
    return dir;
  }
}
