package io.treeprop.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.treeprop.core.model.Json;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on loopback, started from the Maven jars (SPARK-NOTES): one Master and
 * {@code workers} Workers, each its own JVM; executors are further JVMs the Workers launch. Closing it kills them
 * all. The cluster tests use it, and {@code bin/benchmark --only cluster} (through this module's test jar), which
 * sets {@code treeprop.scalaBinaryVersion} as the failsafe configuration does.
 */
public final class StandaloneCluster implements AutoCloseable {
  private final Path sparkHome;
  private final List<String> sparkProps;
  private final Path work;
  private final List<Process> processes = new ArrayList<>();
  final int port;
  private final int webPort;

  public StandaloneCluster(Path sparkHome, Path work, int workers) throws Exception {
    this(sparkHome, work, workers, List.of());
  }

  /** @param sparkProps {@code -Dspark...} settings of the Master and Workers (e.g. authentication) */
  StandaloneCluster(Path sparkHome, Path work, int workers, List<String> sparkProps) throws Exception {
    this.sparkProps = List.copyOf(sparkProps);
    this.sparkHome = sparkHome;
    this.work = work;
    this.port = freePort();
    this.webPort = freePort();
    // SPARK-NOTES: without this folder (or SPARK_SCALA_VERSION) executor launch fails with "Cannot find any build
    // directories"
    Files.createDirectories(sparkHome.resolve("launcher/target/scala-" + scalaBinaryVersion()));
    start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
        String.valueOf(port), "--webui-port", String.valueOf(webPort));
    for (int i = 0; i < workers; i++) {
      Path dir = Files.createDirectories(work.resolve("worker-" + i));
      start("worker-" + i, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
          "--memory", "1g", "--webui-port", String.valueOf(freePort()), "--work-dir", dir.toString(), master());
    }
    awaitWorkers(workers, Duration.ofSeconds(90));
  }

  public String master() {
    return "spark://127.0.0.1:" + port;
  }

  private void start(String name, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx512m"));
    cmd.addAll(sparkProps);
    cmd.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*", mainClass));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(work.resolve(name + ".log").toFile());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_SCALA_VERSION", scalaBinaryVersion());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    processes.add(pb.start());
  }

  /** The Scala binary version of the Spark in {@code sparkHome} (2.12 or 2.13: the pom's Spark line). */
  static String scalaBinaryVersion() {
    return System.getProperty("treeprop.scalaBinaryVersion");
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Polls the Master's JSON status until {@code n} workers are alive (a condition with a deadline, not a sleep). */
  private void awaitWorkers(int n, Duration timeout) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException("a cluster process exited early; see the logs in " + work);
        }
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort
            + "/json/")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode status = Json.mapper().readTree(r.body());
        int alive = 0;
        for (JsonNode w : status.path("workers")) {
          alive += "ALIVE".equals(w.path("state").asText()) ? 1 : 0;
        }
        last = alive + " alive";
        if (alive >= n) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    throw new IllegalStateException("workers did not register within " + timeout + " (" + last + "); logs in "
        + work);
  }

  /** Executor JVMs launched by the workers so far: one directory per executor under each worker's work dir. */
  List<File> executorDirs() throws IOException {
    List<File> out = new ArrayList<>();
    try (var s = Files.walk(work, 3)) {
      s.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().startsWith("app-")
          && Files.exists(p.resolve("stderr"))).forEach(p -> out.add(p.toFile()));
    }
    return out;
  }

  /**
   * Kills (SIGKILL) the executor JVM that worker {@code worker} runs now, as a lost host would lose it; returns
   * its pid, or -1 when that worker runs none.
   */
  long killExecutorOf(int worker) {
    Process w = processes.get(1 + worker);
    return w.descendants().filter(ph -> ph.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
        .findFirst().map(ph -> {
          ph.destroyForcibly();
          return ph.pid();
        }).orElse(-1L);
  }

  /** Kills (SIGKILL) Worker {@code worker} and the executor it runs, as a lost host would lose them. */
  void killWorker(int worker) {
    Process w = processes.get(1 + worker);
    w.descendants().forEach(ProcessHandle::destroyForcibly);
    w.destroyForcibly();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : processes) {
      try {
        p.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
