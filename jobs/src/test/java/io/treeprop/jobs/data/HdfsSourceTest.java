package io.treeprop.jobs.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.treeprop.spark.LocalSpark;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Sources on a real HDFS (a mini-cluster with one data node) read like local files, errors included. */
@ExtendWith(LocalSpark.class)
class HdfsSourceTest {
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
  void gzippedIdxOnHdfsReadsTheBytesWritten(SparkSession spark) throws Exception {
    String img = put("/data/img.gz", Fixtures.idx(new int[] {2, 2, 2}, new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) 250},
        true));
    String lab = put("/data/lab.gz", Fixtures.idx(new int[] {2}, new byte[] {3, 1}, true));
    SourceData d = DataSource.read(spark, SourceSpec.idx(img, lab));
    Fixtures.assertRows(new double[][] {{1, 2, 3, 4}, {5, 6, 7, 250}}, Fixtures.features(d));
    assertEquals(List.of(3.0, 1.0), Fixtures.labels(d));
  }

  @Test
  void csvOnHdfsReadsTheValuesWrittenAndNamesItsBadRow(SparkSession spark) throws Exception {
    String ok = put("/data/ok.csv", "y,a,b\nx,0.5,-1\nz,2,3e2\n".getBytes(StandardCharsets.UTF_8));
    SourceData d = DataSource.read(spark, SourceSpec.csv(ok, "y", null, true, null));
    Fixtures.assertRows(new double[][] {{0.5, -1}, {2, 300}}, Fixtures.features(d));
    assertEquals(List.of("x", "z"), Fixtures.labels(d));
    String bad = put("/data/bad.csv", "y,a,b\nx,0.5,-1\nz,two,3\n".getBytes(StandardCharsets.UTF_8));
    Fixtures.fails(() -> DataSource.read(spark, SourceSpec.csv(bad, "y", null, true, null)),
        "file " + bad + ", line 3, column \"a\" is \"two\"");
  }

  @Test
  void missingHdfsFileIsNamed(SparkSession spark) {
    String nope = hdfs.getURI() + "/data/nope.gz";
    Fixtures.fails(() -> DataSource.read(spark, SourceSpec.idx(nope, null)), "no such file: " + nope);
  }

  private static String put(String path, byte[] bytes) throws Exception {
    FileSystem fs = hdfs.getFileSystem();
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(path))) {
      out.write(bytes);
    }
    return hdfs.getURI() + path;
  }
}
