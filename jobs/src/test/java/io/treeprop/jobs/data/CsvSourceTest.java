package io.treeprop.jobs.data;

import static io.treeprop.jobs.data.Fixtures.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.treeprop.spark.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** CSV: round trips with and without a header, column choice, and each malformed input's message. */
@ExtendWith(LocalSpark.class)
class CsvSourceTest {
  private static final double[][] X = {{0.5, -2, 1e-3}, {3.25, 0, 1e6}, {-0.125, 7, 42}};

  @TempDir
  Path dir;

  @Test
  void withHeaderReadsTheValuesWrittenAndKeepsStringLabels(SparkSession spark) throws Exception {
    String f = write("h.csv", "a,label,b,c\n0.5,cat,-2,0.001\n3.25,dog,0,1000000\n-0.125,cat,7,42\n");
    SourceData d = DataSource.read(spark, SourceSpec.csv(f, "label", null, true, null));
    assertEquals(3, d.rows());
    assertEquals(3, d.features());
    Fixtures.assertRows(X, Fixtures.features(d));
    assertEquals(List.of("cat", "dog", "cat"), Fixtures.labels(d));
  }

  @Test
  void aRegressionTargetThatIsNotANumberIsNamedWithItsFile(SparkSession spark) throws Exception {
    String f = write("r.csv", "a,y\n0.5,1.5\n0.25,n/a\n");
    SourceData d = DataSource.read(spark, SourceSpec.csv(f, "y", null, true, null));
    fails(() -> DataSource.numericLabels(d), "the label \"n/a\" is not a number (in file ", "r.csv",
        "regression targets must be numbers");
  }

  @Test
  void withoutHeaderColumnsAreNamedLikeSparkAndTheDelimiterIsHonoured(SparkSession spark) throws Exception {
    String f = write("n.csv", "1;0.5;-2;0.001\n0;3.25;0;1e6\n1;-0.125;7;42\n");
    SourceData d = DataSource.read(spark, SourceSpec.csv(f, "_c0", null, false, ";"));
    Fixtures.assertRows(X, Fixtures.features(d));
    assertEquals(List.of("1", "0", "1"), Fixtures.labels(d));
    assertEquals(List.of(1.0, 0.0, 1.0), Fixtures.labels(DataSource.numericLabels(d)));
  }

  @Test
  void featureColumnsAreTakenInTheOrderGivenAndOthersIgnored(SparkSession spark) throws Exception {
    String f = write("o.csv", "id,c,y,a,b\nr1,0.001,1.5,0.5,-2\nr2,1e6,-3,3.25,0\nr3,42,0,-0.125,7\n");
    SourceData d = DataSource.read(spark, SourceSpec.csv(f, "y", List.of("a", "b", "c"), true, null));
    Fixtures.assertRows(X, Fixtures.features(d));
    assertEquals(List.of(1.5, -3.0, 0.0), Fixtures.labels(DataSource.numericLabels(d)));
  }

  @Test
  void unlabelledCsvHasOnlyFeatures(SparkSession spark) throws Exception {
    String f = write("u.csv", "a,b,c\n0.5,-2,0.001\n3.25,0,1e6\n-0.125,7,42\n");
    SourceData d = DataSource.read(spark, SourceSpec.csv(f, null, null, true, null));
    assertFalse(d.labeled());
    Fixtures.assertRows(X, Fixtures.features(d));
  }

  @Test
  void raggedRowNamesFileLineAndFieldCounts(SparkSession spark) throws Exception {
    String f = write("r.csv", "y,a,b\n1,2,3\n0,4,5\n1,5\n0,6,7\n");
    fails(() -> DataSource.read(spark, SourceSpec.csv(f, "y", null, true, null)), "csv data at " + f,
        "file file:" + f + ", line 4 has 2 field(s) but the header has 3: \"1,5\"", "one value per column");
  }

  @Test
  void rowWithTooManyFieldsIsRaggedToo(SparkSession spark) throws Exception {
    String f = write("r2.csv", "1,2,3\n0,4,5,9\n");
    fails(() -> DataSource.read(spark, SourceSpec.csv(f, "_c0", null, false, null)),
        ", line 2 has 4 field(s) but the first line has 3: \"0,4,5,9\"");
  }

  @Test
  void nonNumericValueNamesFileLineColumnAndValue(SparkSession spark) throws Exception {
    String f = write("x.csv", "y,a,b\n1,2,3\n0,4,five\n");
    fails(() -> DataSource.read(spark, SourceSpec.csv(f, "y", null, true, null)),
        "file file:" + f + ", line 3, column \"b\" is \"five\", which is not a number", "(row: \"0,4,five\")");
  }

  @Test
  void emptyFeatureValueNamesTheColumnAndTheRow(SparkSession spark) throws Exception {
    String f = write("e.csv", "y,a,b\n1,2,3\n0,,5\n1,,6\n");
    fails(() -> DataSource.read(spark, SourceSpec.csv(f, "y", null, true, null)),
        "the feature column \"a\" is empty (null) in 2 row(s), e.g. in file file:" + f + " the row [y=0, a=null, b=5.0]",
        "fill or drop");
  }

  @Test
  void nanFeatureIsAnError(SparkSession spark) throws Exception {
    String f = write("nan.csv", "y,a\n1,NaN\n");
    fails(() -> DataSource.read(spark, SourceSpec.csv(f, "y", null, true, null)),
        "the feature column \"a\" is NaN in 1 row(s)");
  }

  @Test
  void emptyLabelIsAnError(SparkSession spark) throws Exception {
    String f = write("el.csv", "y,a\n1,2\n,3\n");
    fails(() -> DataSource.read(spark, SourceSpec.csv(f, "y", null, true, null)),
        "the label column \"y\" is empty (null) in 1 row(s)", "[y=null, a=3.0]");
  }

  @Test
  void missingColumnsListTheColumnsThereAre(SparkSession spark) throws Exception {
    String f = write("m.csv", "y,a,b\n1,2,3\n");
    fails(() -> DataSource.read(spark, SourceSpec.csv(f, "label", null, true, null)),
        "the label column \"label\" does not exist; the columns are [y, a, b]");
    fails(() -> DataSource.read(spark, SourceSpec.csv(f, "y", List.of("a", "z"), true, null)),
        "the feature column \"z\" does not exist; the columns are [y, a, b]");
  }

  @Test
  void nonNumericRegressionTargetIsNamed(SparkSession spark) throws Exception {
    String f = write("t.csv", "y,a\n1.5,2\nbig,3\n");
    SourceData d = DataSource.read(spark, SourceSpec.csv(f, "y", null, true, null));
    fails(() -> DataSource.numericLabels(d), "the label \"big\" is not a number");
  }

  @Test
  void missingPathAndEmptyFileAreNamed(SparkSession spark) throws Exception {
    String nope = dir.resolve("nope.csv").toString();
    fails(() -> DataSource.read(spark, SourceSpec.csv(nope, "y", null, true, null)), "no such file: " + nope);
    String empty = write("empty.csv", "");
    fails(() -> DataSource.read(spark, SourceSpec.csv(empty, "y", null, true, null)), "has no columns");
    String headerOnly = write("header-only.csv", "y,a\n");
    fails(() -> DataSource.read(spark, SourceSpec.csv(headerOnly, "y", null, true, null)), "has no rows");
  }

  private String write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p.toString();
  }
}
