package io.treeprop.jobs.data;

import static io.treeprop.jobs.data.Fixtures.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.treeprop.spark.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** LIBSVM through Spark's reader: 1-based sparse indices become the dense values written; numFeatures honoured. */
@ExtendWith(LocalSpark.class)
class LibsvmSourceTest {
  private static final String TEXT = "1 1:0.5 3:-2\n0 2:4.25\n2 1:1e-3 4:7\n";

  @TempDir
  Path dir;

  @Test
  void infersTheSizeFromTheLargestIndexAndReadsTheValuesWritten(SparkSession spark) throws Exception {
    SourceData d = DataSource.read(spark, SourceSpec.libsvm(write("a.libsvm", TEXT), 0));
    assertEquals(3, d.rows());
    assertEquals(4, d.features());
    Fixtures.assertRows(new double[][] {{0.5, 0, -2, 0}, {0, 4.25, 0, 0}, {1e-3, 0, 0, 7}}, Fixtures.features(d));
    assertEquals(List.of(1.0, 0.0, 2.0), Fixtures.labels(d));
    assertEquals(List.of("label", "features"), List.of(d.input().columns()), "scores carry the file's columns");
    assertEquals("features", d.inputFeatures());
  }

  @Test
  void numFeaturesWidensTheVectors(SparkSession spark) throws Exception {
    SourceData d = DataSource.read(spark, SourceSpec.libsvm(write("b.libsvm", TEXT), 6));
    assertEquals(6, d.features());
    Fixtures.assertRows(new double[][] {{0.5, 0, -2, 0, 0, 0}, {0, 4.25, 0, 0, 0, 0}, {1e-3, 0, 0, 7, 0, 0}},
        Fixtures.features(d));
  }

  @Test
  void indexBeyondNumFeaturesIsAnError(SparkSession spark) throws Exception {
    String f = write("c.libsvm", TEXT);
    fails(() -> DataSource.read(spark, SourceSpec.libsvm(f, 3)), "libsvm data at " + f + " cannot be read",
        "out of bounds for vector of size 3", "no larger than numFeatures (3)");
  }

  @Test
  void nonNumericValueIsAnError(SparkSession spark) throws Exception {
    String f = write("d.libsvm", "1 1:0.5\n0 2:x\n");
    fails(() -> DataSource.read(spark, SourceSpec.libsvm(f, 0)), "libsvm data at " + f + " cannot be read",
        "NumberFormatException", "\"x\"", "label index:value");
  }

  @Test
  void missingPathIsNamed(SparkSession spark) {
    String nope = dir.resolve("nope.libsvm").toString();
    fails(() -> DataSource.read(spark, SourceSpec.libsvm(nope, 0)), "no such file: " + nope);
  }

  private String write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p.toString();
  }
}
