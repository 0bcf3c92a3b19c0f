package io.treeprop.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.spark.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** NeuralNetClassifier inside a Spark ML Pipeline: fit, evaluate, save, load in place of the original. */
@ExtendWith(LocalSpark.class)
@LocalSpark.WithSparkMlStages
class ClassifierPipelineTest {
  @TempDir
  Path tmp;

  private static Pipeline pipeline(NeuralNetClassifier nn) {
    return new Pipeline().setStages(new PipelineStage[] {
        new StringIndexer().setInputCol("species").setOutputCol("label"),
        new VectorAssembler().setInputCols(new String[] {"a", "b", "c", "d"}).setOutputCol("raw"),
        new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true),
        nn});
  }

  @Test
  void pipelineFitsEvaluatesAndRoundTripsThroughSaveAndLoad(SparkSession spark) throws Exception {
    Dataset<Row> train = MlData.trees(spark, 1200, 1);
    Dataset<Row> test = MlData.trees(spark, 600, 2);
    NeuralNetClassifier nn = new NeuralNetClassifier().setHiddenLayers(16, 8).setMaxEpochs(15).setBatchSize(64)
        .setLearningRate(0.01).setSeed(3).setValidationFraction(0.1);
    PipelineModel model = pipeline(nn).fit(train);
    Dataset<Row> scored = model.transform(test).cache();

    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
    double f1 = new MulticlassClassificationEvaluator().setMetricName("f1").evaluate(scored);
    assertTrue(accuracy > 0.9, "held-out accuracy " + accuracy);
    assertTrue(f1 > 0.9, "held-out F1 " + f1);
    Row first = scored.select("rawPrediction", "probability", "prediction").head();
    Vector prob = first.getAs(1);
    assertEquals(3, prob.size());
    assertEquals(1.0, prob.toArray()[0] + prob.toArray()[1] + prob.toArray()[2], 1e-9);
    assertEquals((double) prob.argmax(), first.getDouble(2));

    NeuralNetClassificationModel nnModel = (NeuralNetClassificationModel) model.stages()[3];
    assertEquals(15, nnModel.trainingSummary().epochs().size());
    // the single-row API agrees with the block-wise transform
    Row one = scored.select("features", "probability").head();
    org.junit.jupiter.api.Assertions.assertArrayEquals(((Vector) one.get(1)).toArray(),
        nnModel.predictProbability((Vector) one.get(0)).toArray(), 1e-6);
    assertTrue(nnModel.trainingSummary().epochs().get(14).validationLoss() != null);

    String path = tmp.resolve("pipeline").toString();
    model.write().overwrite().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    List<Row> before = scored.select("probability", "prediction").collectAsList();
    List<Row> after = loaded.transform(test).select("probability", "prediction").collectAsList();
    assertEquals(before, after, "identical predictions after save and load");
    NeuralNetClassificationModel reloaded = (NeuralNetClassificationModel) loaded.stages()[3];
    assertEquals(nnModel.getLearningRate(), reloaded.getLearningRate());
    assertEquals(nnModel.uid(), reloaded.uid());

    nn.write().overwrite().save(tmp.resolve("estimator").toString());
    NeuralNetClassifier nn2 = NeuralNetClassifier.load(tmp.resolve("estimator").toString());
    assertEquals(16, nn2.getHiddenLayers()[0]);
    assertEquals(0.01, nn2.getLearningRate());
    scored.unpersist();
  }

  @Test
  void binaryClassificationOutputsFitTheBinaryEvaluator(SparkSession spark) {
    Dataset<Row> data = MlData.trees(spark, 1200, 4).filter(functions.col("species").notEqual("pine"));
    NeuralNetClassifier nn = new NeuralNetClassifier().setHiddenLayers(8).setMaxEpochs(10).setBatchSize(64)
        .setLearningRate(0.01).setSeed(1);
    Dataset<Row>[] split = data.randomSplit(new double[] {0.7, 0.3}, 5);
    Dataset<Row> scored = pipeline(nn).fit(split[0]).transform(split[1]);
    double auc = new BinaryClassificationEvaluator().setMetricName("areaUnderROC").evaluate(scored);
    assertTrue(auc > 0.95, "area under ROC " + auc);
  }
}
