package io.treeprop.jobs;

import io.treeprop.core.tensor.Blas;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession of a command: under {@code spark-submit} (which sets {@code spark.master}) the cluster's, with
 * nothing overridden that the user set; otherwise the embedded default, {@code local[*]} in this JVM with the UI
 * off. Either way Kryo with Treeprop's registrator and {@code OPENBLAS_NUM_THREADS=1} for the tasks, unless the
 * user chose otherwise.
 */
public final class Sessions {
  /** Master when neither spark-submit nor the config names one. */
  public static final String EMBEDDED_MASTER = "local[*]";

  private Sessions() {}

  /**
   * @param master the config's master, or null
   * @param conf extra Spark settings from the config
   */
  public static SparkSession create(String appName, String master, Map<String, String> conf) {
    SparkConf sc = new SparkConf(true);
    boolean submitted = sc.contains("spark.master");
    if (!submitted) {
      sc.setMaster(master != null && !master.isBlank() ? master : EMBEDDED_MASTER);
      sc.setIfMissing("spark.ui.enabled", "false");
      sc.setIfMissing("spark.driver.host", "127.0.0.1");
    }
    sc.setIfMissing("spark.app.name", appName);
    sc.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    sc.setIfMissing("spark.kryo.registrator", "io.treeprop.spark.serde.TreepropKryoRegistrator");
    sc.setIfMissing("spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
    conf.forEach(sc::set);
    SparkSession spark;
    try {
      spark = SparkSession.builder().config(sc).getOrCreate();
    } catch (Exception e) { // SparkException, which Scala throws unchecked
      String m = sc.get("spark.master", "");
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      throw new IllegalArgumentException("cannot start Spark with master \"" + m + "\": " + root.getMessage()
          + "; a master is local, local[N], local[*], spark://host:port, yarn or k8s://https://host:port "
          + "(--master, or spark.master in the job)", e);
    }
    // logs once, at start-up, the BLAS this driver multiplies with, its kernels and measured speed (executors log
    // their own when their first task runs)
    Blas.info();
    return spark;
  }

  /** Stops the session when this JVM created the master (embedded mode); spark-submit stops its own. */
  public static void stopIfEmbedded(SparkSession spark) {
    if (spark.sparkContext().isLocal()) {
      spark.stop();
    }
  }
}
