package io.treeprop.jobs.config;

import static io.treeprop.jobs.config.ConfigFixtures.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job config on HDFS (a mini-cluster) reads like a local one; its errors name the HDFS path and line. */
class HdfsConfigTest {
  @TempDir
  static Path base;

  private static MiniDFSCluster hdfs;

  @BeforeAll
  static void startHdfs() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(base.toFile(), "hdfs").getAbsolutePath());
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    hdfs.waitActive();
  }

  @AfterAll
  static void stopHdfs() {
    if (hdfs != null) {
      hdfs.shutdown();
    }
  }

  @Test
  void configOnHdfsParsesLikeTheSameText() throws Exception {
    String text = ConfigFixtures.MINIMAL + "training.epochs = 4\n";
    String path = put("/jobs/job.conf", text);
    JobConfig c = JobConfig.load(path, List.of("training.seed=5"), hdfs.getConfiguration(0));
    assertEquals(ConfigFixtures.parse(text, "training.seed=5"), c);
    assertEquals(4, c.training().epochs());
  }

  @Test
  void errorsInAConfigOnHdfsNameItsPathAndLine() throws Exception {
    String path = put("/jobs/bad.conf", ConfigFixtures.MINIMAL + "training {\n  epochs = x\n");
    fails(() -> JobConfig.load(path, List.of(), hdfs.getConfiguration(0)), "cannot parse " + path + " line 6");
    fails(() -> JobConfig.load(path + ".missing", List.of(), hdfs.getConfiguration(0)),
        "config file " + path + ".missing does not exist");
  }

  private static String put(String name, String text) throws Exception {
    FileSystem fs = hdfs.getFileSystem();
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(name))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return fs.getUri() + name;
  }
}
