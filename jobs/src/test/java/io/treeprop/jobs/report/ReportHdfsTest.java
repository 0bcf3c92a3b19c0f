package io.treeprop.jobs.report;

import static io.treeprop.jobs.report.ClassificationReportTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report on a real HDFS (a mini-cluster with one data node) is written, replaced and read like a local one. */
class ReportHdfsTest {
  @TempDir
  static java.nio.file.Path base;

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
  void reportOnHdfsHoldsItsFilesAndIsReplacedOnlyWhenAllowed() throws Exception {
    Configuration conf = hdfs.getConfiguration(0);
    Path dir = new Path(hdfs.getURI() + "/reports/animals");
    Report r = ReportFixtures.animals(ReportFixtures.tenEpochs(true));
    assertEquals(dir, r.write(dir, conf, false));
    FileSystem fs = hdfs.getFileSystem();
    assertEquals(List.of("confusion-matrix.png", "learning-curves.png", "metrics.json", "summary.txt"),
        names(fs, dir));
    assertEquals(List.of("animals"), names(fs, dir.getParent()));
    assertEquals(r.metrics(), Report.read(dir, conf));
    try (InputStream in = fs.open(new Path(dir, Report.CONFUSION_MATRIX_PNG))) {
      ReportFixtures.assertNotBlank(ReportFixtures.decode(in.readAllBytes()));
    }

    Report other = ReportFixtures.regression(null);
    assertMessage(assertThrows(IllegalArgumentException.class, () -> other.write(dir, conf, false)),
        "already exists");
    assertEquals(r.metrics(), Report.read(dir, conf));
    other.write(dir, conf, true);
    assertEquals(other.metrics(), Report.read(dir, conf));
    assertEquals(List.of("metrics.json", "summary.txt"), names(fs, dir));
    assertEquals(List.of("animals"), names(fs, dir.getParent()));
  }

  private static List<String> names(FileSystem fs, Path dir) throws Exception {
    FileStatus[] st = fs.listStatus(dir);
    return Arrays.stream(st).map(s -> s.getPath().getName()).sorted().toList();
  }
}
