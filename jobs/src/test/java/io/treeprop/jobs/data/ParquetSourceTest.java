package io.treeprop.jobs.data;

import static io.treeprop.jobs.data.Fixtures.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.treeprop.spark.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Parquet written by Spark: numeric columns of every width, a vector column, an array column; schema errors. */
@ExtendWith(LocalSpark.class)
class ParquetSourceTest {
  @TempDir
  Path dir;

  @Test
  void numericColumnsOfAnyTypeAreAssembledInOrder(SparkSession spark) {
    StructType schema = new StructType().add("i", DataTypes.IntegerType).add("y", DataTypes.LongType)
        .add("f", DataTypes.FloatType).add("d", DataTypes.DoubleType).add("s", DataTypes.ShortType);
    String p = write(spark.createDataFrame(List.of(RowFactory.create(1, 7L, 0.5f, -2.25, (short) 3),
        RowFactory.create(-4, 0L, 1.5f, 1e-3, (short) 0)), schema), "numeric");
    SourceData d = DataSource.read(spark, SourceSpec.parquet(p, "y", null));
    assertEquals(4, d.features());
    Fixtures.assertRows(new double[][] {{1, 0.5, -2.25, 3}, {-4, 1.5, 1e-3, 0}}, Fixtures.features(d));
    assertEquals(List.of(7.0, 0.0), Fixtures.labels(d));
    SourceData picked = DataSource.read(spark, SourceSpec.parquet(p, "y", List.of("d", "i")));
    Fixtures.assertRows(new double[][] {{-2.25, 1}, {1e-3, -4}}, Fixtures.features(picked));
  }

  @Test
  void columnsOfEveryOtherParquetTypeCanSitBesideTheFeatures(SparkSession spark) {
    StructType schema = new StructType().add("y", DataTypes.ByteType).add("x", DataTypes.DoubleType)
        .add("flag", DataTypes.BooleanType).add("blob", DataTypes.BinaryType).add("at", DataTypes.TimestampType)
        .add("tags", DataTypes.createMapType(DataTypes.StringType, DataTypes.ShortType))
        .add("m", SQLDataTypes.MatrixType());
    String p = write(spark.createDataFrame(List.of(RowFactory.create((byte) 2, 0.75, true, new byte[] {1},
        java.sql.Timestamp.valueOf("2024-01-02 03:04:05"), java.util.Map.of("a", (short) 1),
        org.apache.spark.ml.linalg.Matrices.eye(2))), schema), "types");
    SourceData d = DataSource.read(spark, SourceSpec.parquet(p, "y", List.of("x")));
    Fixtures.assertRows(new double[][] {{0.75}}, Fixtures.features(d));
    assertEquals(List.of(2.0), Fixtures.labels(d));
  }

  @Test
  void vectorColumnIsReadAsItIsWithStringLabels(SparkSession spark) {
    StructType schema = new StructType().add("v", SQLDataTypes.VectorType()).add("name", DataTypes.StringType);
    String p = write(spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, -2, 3.5), "cat"),
        RowFactory.create(Vectors.sparse(3, new int[] {1}, new double[] {9}), "dog")), schema), "vector");
    SourceData d = DataSource.read(spark, SourceSpec.parquetVector(p, "name", "v"));
    assertEquals(3, d.features());
    Fixtures.assertRows(new double[][] {{1, -2, 3.5}, {0, 9, 0}}, Fixtures.features(d));
    assertEquals(List.of("cat", "dog"), Fixtures.labels(d));
    assertEquals(List.of("v", "name"), List.of(d.input().columns()), "the file's columns, for scores to carry");
    assertEquals("v", d.inputFeatures());
  }

  @Test
  void arrayColumnBecomesAVector(SparkSession spark) {
    StructType schema = new StructType().add("a", DataTypes.createArrayType(DataTypes.FloatType))
        .add("y", DataTypes.IntegerType);
    String p = write(spark.createDataFrame(List.of(RowFactory.create(new float[] {0.5f, 2}, 1),
        RowFactory.create(new float[] {-1, 0.25f}, 0)), schema), "array");
    SourceData d = DataSource.read(spark, SourceSpec.parquetVector(p, "y", "a"));
    Fixtures.assertRows(new double[][] {{0.5, 2}, {-1, 0.25}}, Fixtures.features(d));
    assertEquals(List.of(1.0, 0.0), Fixtures.labels(d));
    assertEquals(List.of("a", "y", SourceData.HIDDEN_FEATURES), List.of(d.input().columns()),
        "the array column is kept as it is; the vector the scorer reads is added beside it");
  }

  @Test
  void vectorsOfDifferentSizesAreAnError(SparkSession spark) {
    StructType schema = new StructType().add("v", SQLDataTypes.VectorType()).add("y", DataTypes.DoubleType);
    String p = write(spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2, 3), 0.0),
        RowFactory.create(Vectors.dense(1, 2), 1.0)), schema), "ragged");
    fails(() -> DataSource.read(spark, SourceSpec.parquetVector(p, "y", "v")),
        "the feature vectors have different sizes, from 2 to 3 values", "every row needs the same number");
  }

  @Test
  void nonNumericFeatureColumnNamesItsType(SparkSession spark) {
    StructType schema = new StructType().add("y", DataTypes.DoubleType).add("a", DataTypes.DoubleType)
        .add("color", DataTypes.StringType);
    String p = write(spark.createDataFrame(List.of(RowFactory.create(1.0, 2.0, "red")), schema), "string");
    fails(() -> DataSource.read(spark, SourceSpec.parquet(p, "y", null)),
        "the feature column \"color\" has type string; features must be numeric");
  }

  @Test
  void missingColumnsListTheColumnsThereAre(SparkSession spark) {
    StructType schema = new StructType().add("y", DataTypes.DoubleType).add("a", DataTypes.DoubleType);
    String p = write(spark.createDataFrame(List.of(RowFactory.create(1.0, 2.0)), schema), "cols");
    fails(() -> DataSource.read(spark, SourceSpec.parquet(p, "label", null)),
        "the label column \"label\" does not exist; the columns are [y, a]");
    fails(() -> DataSource.read(spark, SourceSpec.parquetVector(p, "y", "features")),
        "the features column \"features\" does not exist; the columns are [y, a]");
    fails(() -> DataSource.read(spark, SourceSpec.parquetVector(p, "y", "a")),
        "the features column \"a\" has type double; it must be a vector or an array of numbers");
  }

  @Test
  void nullFeatureIsAnErrorNamingTheFile(SparkSession spark) {
    StructType schema = new StructType().add("y", DataTypes.DoubleType).add("a", DataTypes.DoubleType);
    String p = write(spark.createDataFrame(List.of(RowFactory.create(1.0, 2.0), RowFactory.create(0.0, null)),
        schema), "nulls");
    fails(() -> DataSource.read(spark, SourceSpec.parquet(p, "y", null)),
        "the feature column \"a\" is empty (null) in 1 row(s), e.g. in file file:" + p + "/part-", "[y=0.0, a=null]");
  }

  private String write(Dataset<Row> df, String name) {
    String p = dir.resolve(name).toString();
    df.coalesce(1).write().parquet(p);
    return p;
  }
}
