package io.treeprop.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.spark.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Param validation, weights, validation indicator, warm start and checkpoints through the estimator API. */
@ExtendWith(LocalSpark.class)
@LocalSpark.WithSparkMlStages
class EstimatorParamsTest {
  private static Dataset<Row> data;

  @TempDir
  Path tmp;

  @BeforeAll
  static void prepare(SparkSession spark) {
    Dataset<Row> raw = MlData.trees(spark, 900, 21);
    data = new Pipeline().setStages(new PipelineStage[] {
        new StringIndexer().setInputCol("species").setOutputCol("label").setStringOrderType("alphabetAsc"),
        new VectorAssembler().setInputCols(new String[] {"a", "b", "c", "d"}).setOutputCol("raw"),
        new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true)})
        .fit(raw).transform(raw).select("features", "label").cache();
  }

  private static NeuralNetClassifier small() {
    return new NeuralNetClassifier().setHiddenLayers(8).setBatchSize(64).setLearningRate(0.02).setMaxEpochs(6)
        .setSeed(1);
  }

  @Test
  void invalidParamValuesAreRejectedWithTheirName() {
    NeuralNetClassifier nn = new NeuralNetClassifier();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> nn.setLearningRate(0));
    assertTrue(e.getMessage().contains("learningRate"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> nn.setActivation("swish"));
    assertTrue(e.getMessage().contains("activation"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> nn.setHiddenLayers(8, 0));
    assertTrue(e.getMessage().contains("hiddenLayers"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> nn.setDropout(1.0));
    assertTrue(e.getMessage().contains("dropout"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> small().setLoss("mse").fit(data));
    assertEquals(64, nn.getHiddenLayers()[0]);
    assertEquals("adam", nn.getOptimizer());
    NeuralNetClassifier copy = small().copy(new org.apache.spark.ml.param.ParamMap());
    assertEquals(0.02, copy.getLearningRate());
  }

  @Test
  void zeroWeightRowsDoNotTeach() {
    Dataset<Row> weighted = data.withColumn("w", functions.when(functions.col("label").equalTo(2), 0.0)
        .otherwise(1.0));
    NeuralNetClassificationModel m = small().setWeightCol("w").fit(weighted);
    List<Row> predictedForClass2 = m.transform(data.filter(functions.col("label").equalTo(2)))
        .filter(functions.col("prediction").equalTo(2)).collectAsList();
    long class2 = data.filter(functions.col("label").equalTo(2)).count();
    assertTrue(predictedForClass2.size() < class2 / 10, predictedForClass2.size() + " of " + class2
        + " rows of the zero-weighted class are still predicted as it");
    NeuralNetClassificationModel unweighted = small().fit(data);
    long learned = unweighted.transform(data.filter(functions.col("label").equalTo(2)))
        .filter(functions.col("prediction").equalTo(2)).count();
    assertTrue(learned > class2 * 0.8, "with weight 1 the class is learned: " + learned + " of " + class2);
  }

  @Test
  void validationIndicatorColumnGivesValidationMetricsAndEarlyStopping() {
    Dataset<Row> flagged = data.withColumn("isVal", functions.rand(3).lt(0.2));
    NeuralNetClassificationModel m = small().setValidationIndicatorCol("isVal").setEarlyStoppingPatience(2)
        .setMaxEpochs(30).fit(flagged);
    assertNotNull(m.trainingSummary().epochs().get(0).validationLoss());
    assertTrue(m.trainingSummary().epochs().size() < 30, m.trainingSummary().stopReason());
    assertTrue(m.trainingSummary().stopReason().startsWith("early stopping"), m.trainingSummary().stopReason());
  }

  @Test
  void warmStartContinuesFromASavedModelAndCheckpointsAreWritten() throws Exception {
    NeuralNetClassificationModel first = small().setMaxEpochs(3).fit(data);
    String saved = tmp.resolve("first").toString();
    first.write().save(saved);
    String cp = tmp.resolve("cp").toString();
    NeuralNetClassificationModel warm = small().setMaxEpochs(1).setInitialModelPath(saved).setCheckpointDir(cp)
        .fit(data);
    NeuralNetClassificationModel cold = small().setMaxEpochs(1).fit(data);
    double warmLoss = warm.trainingSummary().epochs().get(0).trainLoss();
    double coldLoss = cold.trainingSummary().epochs().get(0).trainLoss();
    double firstLast = first.trainingSummary().epochs().get(2).trainLoss();
    assertTrue(warmLoss < coldLoss && warmLoss <= firstLast * 1.2, "warm " + warmLoss + ", cold " + coldLoss
        + ", end of the first run " + firstLast);
    try (var files = Files.list(tmp.resolve("cp"))) {
      assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("step-")), "a checkpoint was written");
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> small().setHiddenLayers(9).setInitialModelPath(saved).fit(data));
    assertTrue(e.getMessage().contains("same layers"), e.getMessage());
  }
}
