package io.treeprop.spark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.loss.Loss;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.EarlyStopping;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.spark.LocalSpark;
import io.treeprop.spark.TestData;
import io.treeprop.spark.train.CheckpointConfig;
import io.treeprop.spark.train.SparkTrainConfig;
import io.treeprop.spark.train.SparkTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad data and bad settings fail {@code fit} with an IllegalArgumentException that names the column, the
 * partition and row, the value and the rule, before any training step, and leave nothing cached or written.
 * Frames are coalesced to one partition so the bad row's position is known: it is always row {@link #BAD}.
 */
@ExtendWith(LocalSpark.class)
class BadInputTest {
  private static final int BAD = 2;
  private static final NetworkSpec NET = NetworkSpec.input(6).dense(4).tanh().dense(3).softmax();
  private static final Loss CCE = new Losses.CategoricalCrossEntropy();
  private static final TrainConfig CFG = new TrainConfig(1, 4, 7, new Updater(new Optimizers.Sgd(0.1f)), 0, null);
  private static final StructType WEIGHTED = schema(SQLDataTypes.VectorType(), DataTypes.DoubleType, true);

  /** A test that found something left cached has already failed; drop it so the next test starts clean. */
  @AfterEach
  void dropLeftovers(SparkSession spark) {
    JavaSparkContext.fromSparkContext(spark.sparkContext()).getPersistentRDDs().values()
        .forEach(rdd -> rdd.unpersist(true));
  }

  @Test
  void featureVectorOfTheWrongSizeNamesBothSizes(SparkSession spark) {
    String m = failsOnRow(spark, RowFactory.create(Vectors.dense(1, 2, 3, 4, 5), 0.0));
    assertContains(m, "training data: partition 0, row 2, column \"features\" has 5 values; the network takes 6");
  }

  @Test
  void nanFeatureNamesTheFeatureIndexAndTheRule(SparkSession spark) {
    String m = failsOnRow(spark, RowFactory.create(Vectors.dense(0, 0, 0, Double.NaN, 0, 0), 1.0));
    assertContains(m, "partition 0, row 2, column \"features\", feature 3 is NaN");
    assertContains(m, "features must be finite");
  }

  @Test
  void infiniteFeatureNamesTheFeatureIndexAndTheRule(SparkSession spark) {
    String m = failsOnRow(spark, RowFactory.create(Vectors.dense(Double.NEGATIVE_INFINITY, 0, 0, 0, 0, 0), 1.0));
    assertContains(m, "partition 0, row 2, column \"features\", feature 0 is -Infinity");
    assertContains(m, "features must be finite");
  }

  @Test
  void featureBeyondTheFloat32RangeSaysSo(SparkSession spark) {
    String m = failsOnRow(spark, RowFactory.create(Vectors.dense(0, 1e39, 0, 0, 0, 0), 1.0));
    assertContains(m, "partition 0, row 2, column \"features\", feature 1 is 1.0E39");
    assertContains(m, "float32");
  }

  @Test
  void nullFeaturesCellNamesTheRowAndTheRule(SparkSession spark) {
    String m = failsOnRow(spark, RowFactory.create(null, 1.0));
    assertContains(m, "partition 0, row 2, column \"features\" is null");
    assertContains(m, "must not be null");
  }

  @Test
  void classLabelEqualToTheClassCountIsOutOfRange(SparkSession spark) {
    String m = failsOnRow(spark, RowFactory.create(Vectors.dense(1, 1, 1, 1, 1, 1), 3.0));
    assertContains(m, "partition 0, row 2, column \"label\" is 3.0: class labels must be integers in [0, 2]");
  }

  @Test
  void fractionalClassLabelIsRejected(SparkSession spark) {
    String m = failsOnRow(spark, RowFactory.create(Vectors.dense(1, 1, 1, 1, 1, 1), 1.5));
    assertContains(m, "partition 0, row 2, column \"label\" is 1.5: class labels must be integers in [0, 2]");
  }

  @Test
  void binaryLabelOfTwoIsRejectedByBinaryCrossEntropy(SparkSession spark) {
    NetworkSpec binary = NetworkSpec.input(6).dense(1).sigmoid();
    Dataset<Row> df = frame(spark, TestData.SCHEMA, RowFactory.create(Vectors.dense(1, 1, 1, 1, 1, 1), 2.0));
    String m = fails(() -> new SparkTrainer(SparkTrainConfig.of(CFG)).fit(binary, new Losses.BinaryCrossEntropy(),
        df, null, InputColumns.defaults()));
    assertContains(m, "partition 0, row 2, column \"label\" is 2.0: binary labels must be 0 or 1");
  }

  @Test
  void negativeWeightNamesTheWeightColumn(SparkSession spark) {
    String m = weightFails(spark, -0.5);
    assertContains(m, "partition 0, row 2, column \"w\" is -0.5; weights must be finite");
    assertContains(m, ">= 0");
  }

  @Test
  void weightBeyondTheFloat32RangeIsRejectedInsteadOfDivergingLater(SparkSession spark) {
    String m = weightFails(spark, 1e39);
    assertContains(m, "partition 0, row 2, column \"w\" is 1.0E39");
    assertContains(m, "float32");
  }

  @Test
  void emptyDataFrameIsRejected(SparkSession spark) {
    Dataset<Row> empty = spark.createDataFrame(List.of(), TestData.SCHEMA);
    String m = fails(() -> fit(empty, CFG, InputColumns.defaults()));
    assertContains(m, "training data is empty: training needs at least one row");
    assertNothingCached(spark);
  }

  @Test
  void missingFeaturesColumnListsTheColumnsThatExist(SparkSession spark) {
    Dataset<Row> df = frame(spark, TestData.SCHEMA, RowFactory.create(Vectors.dense(1, 1, 1, 1, 1, 1), 0.0));
    String m = fails(() -> fit(df, CFG, new InputColumns("pixels", "label", null)));
    assertContains(m, "the features column \"pixels\" does not exist; the columns are [features, label]");
  }

  @Test
  void featuresColumnOfTypeDoubleMustBeAVector(SparkSession spark) {
    StructType s = schema(DataTypes.DoubleType, DataTypes.DoubleType, false);
    Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(1.0, 0.0)), s);
    String m = fails(() -> fit(df, CFG, InputColumns.defaults()));
    assertContains(m, "the features column \"features\" has type double; it must be a vector");
    assertContains(m, "VectorAssembler");
  }

  @Test
  void stringLabelColumnSuggestsStringIndexer(SparkSession spark) {
    StructType s = schema(SQLDataTypes.VectorType(), DataTypes.StringType, false);
    Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 1, 1, 1, 1, 1), "cat")), s);
    String m = fails(() -> fit(df, CFG, InputColumns.defaults()));
    assertContains(m, "the label column \"label\" has type string; it must be numeric");
    assertContains(m, "StringIndexer");
  }

  @Test
  void earlyStoppingOnValidationLossWithoutValidationDataIsRejected(SparkSession spark) {
    Dataset<Row> df = TestData.blobs(spark, 30, 6, 2, 1);
    TrainConfig es = CFG.withValidation(0, EarlyStopping.onValidationLoss(2));
    String m = fails(() -> fit(df, es, InputColumns.defaults()));
    assertContains(m, "earlyStopping.monitor validation_loss needs validation data");
    assertContains(m, "validationFraction above 0");
  }

  @Test
  void validationFractionThatHoldsOutNoRowIsRejectedAndUnCachesTheTrainingData(SparkSession spark) {
    Dataset<Row> df = TestData.blobs(spark, 30, 6, 2, 1);
    String m = fails(() -> fit(df, CFG.withValidation(1e-9, null), InputColumns.defaults()));
    assertContains(m, "validationFraction 1.0E-9 of 30 rows held out no row; raise it or give a validation "
        + "DataFrame");
    assertNothingCached(spark);
  }

  @Test
  void badRowInOnePartitionUnCachesTheBlocksPackedFromTheOthers(SparkSession spark) {
    // partition 0 packs cleanly (and is cached), partition 1 has the bad row
    List<Row> rows = goodRows(8);
    rows.set(6, RowFactory.create(Vectors.dense(0, 0, Double.NaN, 0, 0, 0), 0.0));
    Dataset<Row> two = spark.createDataFrame(rows.subList(0, 4), TestData.SCHEMA).coalesce(1)
        .union(spark.createDataFrame(rows.subList(4, 8), TestData.SCHEMA).coalesce(1));
    assertEquals(2, two.rdd().getNumPartitions());
    String m = fails(() -> fit(two, CFG, InputColumns.defaults()));
    assertContains(m, "partition 1, row 2, column \"features\", feature 2 is NaN");
    assertNothingCached(spark);
  }

  @Test
  void badValidationDataFrameUnCachesThePackedTrainingData(SparkSession spark) {
    Dataset<Row> train = TestData.blobs(spark, 30, 6, 2, 1);
    Dataset<Row> validation = frame(spark, TestData.SCHEMA, RowFactory.create(Vectors.dense(1, 1, 1, 1, 1, 1), 7.0));
    String m = fails(() -> new SparkTrainer(SparkTrainConfig.of(CFG)).fit(NET, CCE, train, validation,
        InputColumns.defaults()));
    assertContains(m, "validation data: partition 0, row 2, column \"label\" is 7.0");
    assertNothingCached(spark);
  }

  @Test
  void failedPackJobUnCachesItsBlocks(SparkSession spark) {
    // not a bad value the packer can report but an error inside the input's own computation
    UDF1<Double, Double> explode = y -> {
      if (y == 2.0) {
        throw new IllegalStateException("input pipeline failed on label " + y);
      }
      return y;
    };
    Dataset<Row> df = TestData.blobs(spark, 30, 6, 2, 1);
    Dataset<Row> failing = df.withColumn("label", functions.udf(explode, DataTypes.DoubleType).apply(df.col("label")));
    Exception e = assertThrows(Exception.class, () -> fit(failing, CFG, InputColumns.defaults()));
    assertContains(String.valueOf(e.getMessage()), "input pipeline failed on label 2.0");
    assertNothingCached(spark);
  }

  @Test
  void badInputCreatesNoCheckpointFolder(SparkSession spark, @TempDir Path tmp) {
    Path dir = tmp.resolve("checkpoints");
    SparkTrainConfig c = SparkTrainConfig.of(CFG).withCheckpoints(CheckpointConfig.everyEpoch("file:" + dir), true);
    Dataset<Row> df = frame(spark, TestData.SCHEMA, RowFactory.create(Vectors.dense(1, 1, 1, 1, 1, 1), -1.0));
    String m = fails(() -> new SparkTrainer(c).fit(NET, CCE, df, null, InputColumns.defaults()));
    assertContains(m, "column \"label\" is -1.0");
    assertFalse(Files.exists(dir), "a failed fit must not create " + dir);
    assertNothingCached(spark);
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static Object fit(Dataset<Row> df, TrainConfig cfg, InputColumns cols) {
    return new SparkTrainer(SparkTrainConfig.of(cfg)).fit(NET, CCE, df, null, cols);
  }

  /** Fits the default network on good rows with {@code bad} at row {@link #BAD}; returns the error message. */
  private static String failsOnRow(SparkSession spark, Row bad) {
    Dataset<Row> df = frame(spark, TestData.SCHEMA, bad);
    String m = fails(() -> fit(df, CFG, InputColumns.defaults()));
    assertNothingCached(spark);
    return m;
  }

  private static String weightFails(SparkSession spark, double weight) {
    List<Row> rows = new ArrayList<>();
    for (Row r : goodRows(5)) {
      rows.add(RowFactory.create(r.get(0), r.get(1), rows.size() == BAD ? weight : 1.0));
    }
    Dataset<Row> df = spark.createDataFrame(rows, WEIGHTED).coalesce(1);
    return fails(() -> fit(df, CFG, new InputColumns("features", "label", "w")));
  }

  /** Five good rows with {@code bad} at index {@link #BAD}, in one partition. */
  private static Dataset<Row> frame(SparkSession spark, StructType schema, Row bad) {
    List<Row> rows = goodRows(5);
    rows.set(BAD, bad);
    return spark.createDataFrame(rows, schema).coalesce(1);
  }

  private static List<Row> goodRows(int n) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(RowFactory.create(Vectors.dense(i, 0, 1, 0, 1, 0), (double) (i % 3)));
    }
    return rows;
  }

  private static StructType schema(DataType features, DataType label, boolean weighted) {
    List<StructField> f = new ArrayList<>(List.of(new StructField("features", features, true, Metadata.empty()),
        new StructField("label", label, true, Metadata.empty())));
    if (weighted) {
      f.add(new StructField("w", DataTypes.DoubleType, true, Metadata.empty()));
    }
    return new StructType(f.toArray(new StructField[0]));
  }

  private static String fails(Executable fit) {
    return assertThrows(IllegalArgumentException.class, fit).getMessage();
  }

  private static void assertContains(String message, String expected) {
    assertTrue(message.contains(expected), () -> "expected the message to contain\n  " + expected + "\nbut was\n  "
        + message);
  }

  private static void assertNothingCached(SparkSession spark) {
    assertTrue(spark.sparkContext().getPersistentRDDs().isEmpty(),
        () -> "cached RDDs left behind: " + spark.sparkContext().getPersistentRDDs());
  }
}
