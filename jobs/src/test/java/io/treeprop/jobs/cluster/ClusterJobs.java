package io.treeprop.jobs.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code treeprop} command from the shaded jar through {@code SparkSubmit} (client mode) on a
 * {@link StandaloneCluster}, one driver JVM per command, its output in {@code <logs>/<name>.log}.
 */
final class ClusterJobs {
  private final StandaloneCluster cluster;
  private final Path sparkHome;
  private final String jar;
  private final Path logs;
  private final Path workDir;
  private final List<String> sparkConf;

  ClusterJobs(StandaloneCluster cluster, Path sparkHome, String jar, Path logs, Path workDir) {
    this(cluster, sparkHome, jar, logs, workDir, List.of());
  }

  /** @param sparkConf {@code key=value} Spark settings every command is submitted with */
  ClusterJobs(StandaloneCluster cluster, Path sparkHome, String jar, Path logs, Path workDir, List<String> sparkConf) {
    this.sparkConf = List.copyOf(sparkConf);
    this.cluster = cluster;
    this.sparkHome = sparkHome;
    this.jar = jar;
    this.logs = logs;
    this.workDir = workDir;
  }

  /** Starts {@code treeprop <args>} on the cluster: two one-core executors. */
  Process start(String name, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(StandaloneCluster.javaBin());
    cmd.add("-Xmx1g");
    cmd.addAll(List.of(System.getProperty("treeprop.jvmFlags").trim().split("\\s+")));
    cmd.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*", "org.apache.spark.deploy.SparkSubmit",
        "--master", cluster.master(), "--deploy-mode", "client", "--class", "io.treeprop.jobs.Main",
        "--conf", "spark.executor.memory=768m", "--conf", "spark.executor.cores=1", "--conf", "spark.cores.max=2",
        "--conf", "spark.executorEnv.OPENBLAS_NUM_THREADS=1"));
    for (String c : sparkConf) {
      cmd.addAll(List.of("--conf", c));
    }
    cmd.add(jar);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(logs.resolve(name + ".log").toFile());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_SCALA_VERSION", StandaloneCluster.scalaBinaryVersion());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb.start();
  }

  /** Waits (at most 5 minutes) for a command to end; its exit code. */
  int await(Process p, String name) throws Exception {
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(name + " did not finish in 5 minutes; see " + logs.resolve(name + ".log"));
    }
    return p.exitValue();
  }

  /** Runs a command to its end; its exit code. */
  int run(String name, String... args) throws Exception {
    return await(start(name, args), name);
  }
}
