package io.treeprop.jobs.config;

import static io.treeprop.jobs.config.ConfigFixtures.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.treeprop.spark.MiniHdfs;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A job config on HDFS (a mini-cluster) reads like a local one; its errors name the HDFS path and line. */
class HdfsConfigTest {
  @RegisterExtension
  static final MiniHdfs HDFS = new MiniHdfs();

  @Test
  void configOnHdfsParsesLikeTheSameText() throws Exception {
    String text = ConfigFixtures.MINIMAL + "training.epochs = 4\n";
    String path = put("/jobs/job.conf", text);
    JobConfig c = JobConfig.load(path, List.of("training.seed=5"), HDFS.cluster().getConfiguration(0));
    assertEquals(ConfigFixtures.parse(text, "training.seed=5"), c);
    assertEquals(4, c.training().epochs());
  }

  @Test
  void errorsInAConfigOnHdfsNameItsPathAndLine() throws Exception {
    String path = put("/jobs/bad.conf", ConfigFixtures.MINIMAL + "training {\n  epochs = x\n");
    fails(() -> JobConfig.load(path, List.of(), HDFS.cluster().getConfiguration(0)), "cannot parse " + path + " line 6");
    fails(() -> JobConfig.load(path + ".missing", List.of(), HDFS.cluster().getConfiguration(0)),
        "config file " + path + ".missing does not exist");
  }

  private static String put(String name, String text) throws Exception {
    FileSystem fs = HDFS.cluster().getFileSystem();
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(name))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return fs.getUri() + name;
  }
}
