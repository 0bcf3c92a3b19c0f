package io.treeprop.jobs.report;

import static io.treeprop.jobs.report.ClassificationReportTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.treeprop.spark.MiniHdfs;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A report on a real HDFS (a mini-cluster with one data node) is written, replaced and read like a local one. */
class ReportHdfsTest {
  @RegisterExtension
  static final MiniHdfs HDFS = new MiniHdfs();

  @Test
  void reportOnHdfsHoldsItsFilesAndIsReplacedOnlyWhenAllowed() throws Exception {
    Configuration conf = HDFS.cluster().getConfiguration(0);
    Path dir = new Path(HDFS.cluster().getURI() + "/reports/animals");
    Report r = ReportFixtures.animals(ReportFixtures.tenEpochs(true));
    assertEquals(dir, r.write(dir, conf, false));
    FileSystem fs = HDFS.cluster().getFileSystem();
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
