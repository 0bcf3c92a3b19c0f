package io.treeprop.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.spark.LocalSpark;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Model selection with Spark's CrossValidator and TrainValidationSplit over Treeprop params. */
@ExtendWith(LocalSpark.class)
@LocalSpark.WithSparkMlStages
class TuningTest {
  private static Dataset<Row> data;

  @BeforeAll
  static void prepare(SparkSession spark) {
    Dataset<Row> raw = MlData.trees(spark, 900, 8);
    data = new Pipeline().setStages(new PipelineStage[] {
        new StringIndexer().setInputCol("species").setOutputCol("label"),
        new VectorAssembler().setInputCols(new String[] {"a", "b", "c", "d"}).setOutputCol("raw"),
        new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true)})
        .fit(raw).transform(raw).select("features", "label").cache();
  }

  /** A grid where one corner cannot learn: a tiny learning rate for a single epoch. */
  private static ParamMap[] grid(NeuralNetClassifier nn) {
    return new ParamGridBuilder()
        .addGrid(nn.learningRate(), new double[] {1e-6, 0.02})
        .addGrid(nn.maxEpochs(), new int[] {1, 8})
        .build();
  }

  @Test
  void crossValidatorPicksTheParamsThatLearn() {
    NeuralNetClassifier nn = new NeuralNetClassifier().setHiddenLayers(8).setBatchSize(64).setSeed(1);
    CrossValidatorModel cv = new CrossValidator().setEstimator(nn).setEstimatorParamMaps(grid(nn))
        .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy")).setNumFolds(3)
        .setSeed(2).fit(data);
    assertEquals(4, cv.avgMetrics().length);
    NeuralNetClassificationModel best = (NeuralNetClassificationModel) cv.bestModel();
    assertEquals(0.02, best.getLearningRate());
    assertEquals(8, best.getMaxEpochs());
    double bestMetric = java.util.Arrays.stream(cv.avgMetrics()).max().orElseThrow();
    double worstMetric = java.util.Arrays.stream(cv.avgMetrics()).min().orElseThrow();
    assertTrue(bestMetric > 0.9 && worstMetric < 0.7, java.util.Arrays.toString(cv.avgMetrics()));
  }

  @Test
  void trainValidationSplitPicksTheParamsThatLearn() {
    NeuralNetClassifier nn = new NeuralNetClassifier().setHiddenLayers(8).setBatchSize(64).setSeed(1);
    TrainValidationSplitModel tvs = new TrainValidationSplit().setEstimator(nn).setEstimatorParamMaps(grid(nn))
        .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy")).setTrainRatio(0.75)
        .setSeed(2).fit(data);
    assertEquals(4, tvs.validationMetrics().length);
    NeuralNetClassificationModel best = (NeuralNetClassificationModel) tvs.bestModel();
    assertEquals(0.02, best.getLearningRate());
    assertEquals(8, best.getMaxEpochs());
  }
}
