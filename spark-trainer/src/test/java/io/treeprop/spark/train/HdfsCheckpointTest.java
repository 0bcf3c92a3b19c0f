package io.treeprop.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.spark.LocalSpark;
import io.treeprop.spark.MiniHdfs;
import io.treeprop.spark.TestData;
import io.treeprop.spark.data.InputColumns;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Checkpoints on a real HDFS (a mini-cluster with one data node) resume exactly, like local files. */
@ExtendWith(LocalSpark.class)
class HdfsCheckpointTest {
  @RegisterExtension
  static final MiniHdfs HDFS = new MiniHdfs();

  private static Model fit(SparkSession spark, int epochs, CheckpointConfig cp) {
    Dataset<Row> df = TestData.blobs(spark, 300, 6, 3, 5);
    TrainConfig cfg = new TrainConfig(epochs, 32, 9, new Updater(new Optimizers.Momentum(0.05f, 0.9f)), 0, null);
    SparkTrainConfig sc = SparkTrainConfig.of(cfg);
    return new SparkTrainer(cp == null ? sc : sc.withCheckpoints(cp, true)).fit(
        NetworkSpec.input(6).dense(12).relu().dense(3).softmax(), new Losses.CategoricalCrossEntropy(), df, null,
        InputColumns.defaults());
  }

  @Test
  void checkpointsOnHdfsResumeToTheUninterruptedWeights(SparkSession spark) throws Exception {
    String dir = "hdfs://127.0.0.1:" + HDFS.cluster().getNameNodePort() + "/runs/blobs";
    CheckpointConfig cp = new CheckpointConfig(dir, 4, true, 3);
    Model straight = fit(spark, 3, null);
    fit(spark, 1, cp);
    FileSystem fs = HDFS.cluster().getFileSystem();
    FileStatus[] written = fs.listStatus(new org.apache.hadoop.fs.Path("/runs/blobs"));
    assertTrue(written.length >= 1 && written.length <= 3, Arrays.toString(written));
    for (FileStatus s : written) {
      assertTrue(s.getPath().getName().startsWith("step-"), "only complete checkpoints remain: " + s.getPath());
      for (String f : new String[] {"model.json", "params.bin", "optimizer.bin", "run.json"}) {
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(s.getPath(), f)), s.getPath() + " has " + f);
      }
    }
    Model resumed = fit(spark, 3, cp);
    assertArrayEquals(straight.params(), resumed.params(), 0f);
    assertEquals(straight.summary().steps(), resumed.summary().steps());
  }
}
