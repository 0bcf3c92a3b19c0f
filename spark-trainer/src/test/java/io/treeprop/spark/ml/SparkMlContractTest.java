package io.treeprop.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.spark.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark ML conventions MLlib's own suites check on every model: output-column metadata, scoring streaming
 * DataFrames, and numeric columns of any type (issue 18).
 */
@ExtendWith(LocalSpark.class)
@LocalSpark.WithSparkMlStages
class SparkMlContractTest {
  @TempDir
  Path tmp;

  /** Three classes in 4 features, numeric label 0..2 and an integer weight 1..3 as a double. */
  private static Dataset<Row> data(SparkSession spark, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int c = rng.nextInt(3);
      double[] x = new double[4];
      for (int j = 0; j < 4; j++) {
        x[j] = (j == c ? 2.0 : 0.0) + rng.nextGaussian();
      }
      rows.add(RowFactory.create(i, Vectors.dense(x), (double) c, (double) (1 + rng.nextInt(3))));
    }
    StructType schema = new StructType().add("id", DataTypes.IntegerType)
        .add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType)
        .add("w", DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema);
  }

  private static NeuralNetClassifier classifier() {
    return new NeuralNetClassifier().setHiddenLayers(8).setMaxEpochs(3).setBatchSize(32).setLearningRate(0.01)
        .setSeed(5);
  }

  @Test
  void outputColumnsCarryTheirSizesAndClassCount(SparkSession spark) {
    Dataset<Row> df = data(spark, 300, 1);
    Dataset<Row> scored = classifier().fit(df).transform(df);
    StructType s = scored.schema();
    assertEquals(3, AttributeGroup.fromStructField(s.apply("rawPrediction")).size());
    assertEquals(3, AttributeGroup.fromStructField(s.apply("probability")).size());
    Attribute pred = Attribute.fromStructField(s.apply("prediction"));
    assertTrue(pred instanceof NominalAttribute, pred.toString());
    assertEquals(3, (int) ((NominalAttribute) pred).getNumValues().get());
    // what failed before: VectorAssembler with handleInvalid = keep needs every vector input's size
    Dataset<Row> assembled = new VectorAssembler().setInputCols(new String[] {"probability", "rawPrediction"})
        .setOutputCol("stacked").setHandleInvalid("keep").transform(scored);
    assertEquals(6, AttributeGroup.fromStructField(assembled.schema().apply("stacked")).size());
    assertEquals(300, assembled.count());

    Dataset<Row> twoTargets = new VectorAssembler().setInputCols(new String[] {"label", "w"}).setOutputCol("y")
        .transform(df);
    NeuralNetRegressionModel reg = new NeuralNetRegressor().setLabelCol("y").setHiddenLayers(8).setMaxEpochs(2)
        .setSeed(3).fit(twoTargets);
    assertEquals(2, AttributeGroup.fromStructField(reg.transform(df).schema().apply("prediction"))
        .size());

    AutoencoderModel ae = new Autoencoder().setHiddenLayers(6, 2).setMaxEpochs(2).setSeed(3).fit(df);
    StructType aes = ae.transform(df).schema();
    assertEquals(2, AttributeGroup.fromStructField(aes.apply("encoding")).size());
    assertEquals(4, AttributeGroup.fromStructField(aes.apply("reconstruction")).size());
  }

  @Test
  void everyModelScoresAStreamAsItScoresTheSameRowsInBatch(SparkSession spark) throws Exception {
    Dataset<Row> df = data(spark, 1200, 2);
    String dir = tmp.resolve("in").toString();
    df.repartition(3).write().parquet(dir);
    Dataset<Row> batch = spark.read().parquet(dir);
    List<Model<?>> models = List.of(classifier().fit(df),
        new NeuralNetRegressor().setLabelCol("w").setHiddenLayers(8).setMaxEpochs(2).setSeed(3).fit(df),
        new Autoencoder().setHiddenLayers(6, 2).setMaxEpochs(2).setSeed(3).fit(df));
    int q = 0;
    for (Model<?> model : models) {
      Dataset<Row> stream = spark.readStream().schema(batch.schema()).option("maxFilesPerTrigger", 1).parquet(dir);
      assertTrue(stream.isStreaming());
      String name = "scored" + q++;
      Dataset<Row> scoredStream = model.transform(stream);
      String what = model.getClass().getSimpleName();
      // the output columns' metadata as in batch (the memory sink's table below keeps only names and types)
      assertEquals(model.transform(batch).schema().json(), scoredStream.schema().json(), what);
      StreamingQuery query = scoredStream.writeStream().format("memory").queryName(name)
          .trigger(Trigger.AvailableNow()).start();
      query.awaitTermination();
      assertTrue(query.exception().isEmpty(), () -> query.exception().get().toString());
      Dataset<Row> expected = model.transform(batch).orderBy("id");
      Dataset<Row> streamed = spark.table(name).orderBy("id");
      assertEquals(expected.schema().fieldNames().length, streamed.schema().fieldNames().length, what);
      List<Row> want = expected.collectAsList();
      List<Row> got = streamed.collectAsList();
      assertEquals(1200, got.size());
      for (int i = 0; i < want.size(); i++) {
        assertEquals(want.get(i), got.get(i), what + ", row " + i);
      }
    }
  }

  @Test
  void theWeightColumnsTypeDoesNotChangeTheModel(SparkSession spark) {
    // as read from a file: no repartition of our own before the estimator's (whose plan the cast would change)
    Dataset<Row> df = data(spark, 400, 3);
    NeuralNetClassifier nn = classifier().setWeightCol("w").setPartitions(2);
    List<Row> reference = nn.fit(df).transform(df).select("probability").collectAsList();
    for (String type : List.of("int", "bigint", "smallint", "tinyint", "decimal(10,2)", "float")) {
      Dataset<Row> typed = df.withColumn("w", functions.col("w").cast(type));
      List<Row> got = nn.fit(typed).transform(df).select("probability").collectAsList();
      assertTrue(reference.equals(got), "weights as " + type + " give other probabilities, e.g. row 0: "
          + got.get(0) + " vs " + reference.get(0));
    }
    // labels too: an integer label column trains the same model as the same values as doubles
    Dataset<Row> intLabels = df.withColumn("label", functions.col("label").cast("int"));
    assertTrue(reference.equals(nn.fit(intLabels).transform(df).select("probability").collectAsList()),
        "int labels give other probabilities");
  }

  @Test
  void theAutoencoderRoundTripsFittedAndUnfittedAndTheRegressorTakesAnyNumericLabel(SparkSession spark)
      throws Exception {
    Dataset<Row> df = data(spark, 300, 4);
    Autoencoder est = new Autoencoder().setHiddenLayers(6, 2).setMaxEpochs(2).setSeed(3).setEncodingCol("code");
    est.write().overwrite().save(tmp.resolve("ae-est").toString());
    Autoencoder est2 = Autoencoder.load(tmp.resolve("ae-est").toString());
    assertEquals("code", est2.getEncodingCol());
    AutoencoderModel ae = est2.fit(df);
    ae.write().overwrite().save(tmp.resolve("ae").toString());
    AutoencoderModel loaded = AutoencoderModel.load(tmp.resolve("ae").toString());
    assertEquals(ae.transform(df).select("code", "reconstruction").collectAsList(),
        loaded.transform(df).select("code", "reconstruction").collectAsList());

    NeuralNetRegressor reg = new NeuralNetRegressor().setLabelCol("y").setHiddenLayers(8).setMaxEpochs(2)
        .setSeed(3).setPartitions(2);
    Dataset<Row> doubles = df.withColumn("y", functions.col("w"));
    List<Row> reference = reg.fit(doubles).transform(df).select("prediction").collectAsList();
    for (String type : List.of("int", "bigint", "smallint", "tinyint", "decimal(10,2)", "float")) {
      List<Row> got = reg.fit(df.withColumn("y", functions.col("w").cast(type))).transform(df)
          .select("prediction").collectAsList();
      assertTrue(reference.equals(got), "labels as " + type + " give other predictions, e.g. row 0: " + got.get(0)
          + " vs " + reference.get(0));
    }
    Dataset<Row> strings = df.withColumn("y", functions.col("w").cast("string"));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> reg.fit(strings));
    // Spark's Predictor check, as for its own regressors: names the column and the rule
    assertTrue(e.getMessage().contains("Column y") && e.getMessage().contains("numeric"), e.getMessage());
  }
}
