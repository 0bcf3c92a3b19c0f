package io.treeprop.jobs.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.treeprop.spark.LocalSpark;
import io.treeprop.spark.MiniHdfs;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sources on a real HDFS (a mini-cluster with one data node) read like local files, errors included. */
@ExtendWith(LocalSpark.class)
class HdfsSourceTest {
  @RegisterExtension
  static final MiniHdfs HDFS = new MiniHdfs();

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
    String nope = HDFS.cluster().getURI() + "/data/nope.gz";
    Fixtures.fails(() -> DataSource.read(spark, SourceSpec.idx(nope, null)), "no such file: " + nope);
  }

  private static String put(String path, byte[] bytes) throws Exception {
    FileSystem fs = HDFS.cluster().getFileSystem();
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(path))) {
      out.write(bytes);
    }
    return HDFS.cluster().getURI() + path;
  }
}
