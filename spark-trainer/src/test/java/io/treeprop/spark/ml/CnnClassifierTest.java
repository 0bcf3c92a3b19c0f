package io.treeprop.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.spark.FashionMnistFrames;
import io.treeprop.spark.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small CNN through {@link NeuralNetClassifier} on Fashion-MNIST, in a Pipeline with a StringIndexer and a
 * VectorAssembler and under CrossValidator; the fitted PipelineModel saves and loads to identical probabilities.
 * Images come as plain 784-number vectors; {@code inputShape} makes them {@code [1, 28, 28]}.
 */
@ExtendWith(LocalSpark.class)
@LocalSpark.WithSparkMlStages
class CnnClassifierTest {
  private static final String[] CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
      "Shirt", "Sneaker", "Bag", "Ankle boot"};
  /** conv2d 8 3×3 → batch norm → relu → max pool 2 → flatten → dense 10 → softmax; the input is inputShape. */
  static final String CNN = "{\"layers\": [{\"type\": \"conv2d\", \"filters\": 8, \"kernel\": 3}, "
      + "{\"type\": \"batch_norm\"}, {\"type\": \"activation\", \"function\": \"relu\"}, "
      + "{\"type\": \"max_pool2d\", \"kernel\": 2}, {\"type\": \"flatten\"}, {\"type\": \"dense\", \"units\": 10}, "
      + "{\"type\": \"activation\", \"function\": \"softmax\"}]}";

  private static Dataset<Row> train;
  private static Dataset<Row> test;

  @TempDir
  Path tmp;

  /** {@code pixels} (a vector of 784), {@code item} (the class name), {@code id}. */
  private static Dataset<Row> items(SparkSession spark, boolean train, int rows) throws Exception {
    Column[] names = java.util.Arrays.stream(CLASSES).map(functions::lit).toArray(Column[]::new);
    return FashionMnistFrames.load(spark, train, 2, rows)
        .withColumn("item", functions.element_at(functions.array(names), functions.col("label").cast("int").plus(1)))
        .select(functions.col("features").as("pixels"), functions.col("item"))
        .withColumn("id", functions.monotonically_increasing_id()).cache();
  }

  @BeforeAll
  static void prepare(SparkSession spark) throws Exception {
    train = items(spark, true, 4000);
    test = items(spark, false, 2000);
  }

  @AfterAll
  static void release() {
    train.unpersist();
    test.unpersist();
  }

  private static NeuralNetClassifier cnn() {
    return new NeuralNetClassifier().setNetworkSpec(CNN).setInputShape(1, 28, 28).setBatchSize(64)
        .setLearningRate(3e-3).setMaxEpochs(2).setSeed(7);
  }

  private static Pipeline pipeline(NeuralNetClassifier nn) {
    return new Pipeline().setStages(new PipelineStage[] {
        new StringIndexer().setInputCol("item").setOutputCol("label"),
        new VectorAssembler().setInputCols(new String[] {"pixels"}).setOutputCol("features"),
        nn});
  }

  private static double accuracy(Dataset<Row> scored) {
    return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
  }

  @Test
  void aCnnInAPipelineLearnsAndSavesAndLoadsToIdenticalProbabilities() throws Exception {
    PipelineModel model = pipeline(cnn()).fit(train);
    Dataset<Row> scored = model.transform(test).cache();
    double accuracy = accuracy(scored);
    System.out.printf("small CNN, 4,000 rows, 2 epochs, through a Pipeline: held-out accuracy %.4f%n", accuracy);
    assertTrue(accuracy > 0.75, "held-out accuracy " + accuracy);
    NeuralNetClassificationModel nn = (NeuralNetClassificationModel) model.stages()[2];
    assertEquals("[1, 28, 28]", nn.coreModel().network().inputShape().toString());

    String path = tmp.resolve("cnn-pipeline").toString();
    model.write().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    List<Row> before = scored.orderBy("id").select("id", "probability", "prediction").collectAsList();
    List<Row> after = loaded.transform(test).orderBy("id").select("id", "probability", "prediction")
        .collectAsList();
    assertEquals(2000, before.size());
    assertEquals(before, after, "identical probability vectors and predictions after save and load");
    NeuralNetClassificationModel back = (NeuralNetClassificationModel) loaded.stages()[2];
    assertEquals(nn.getNetworkSpec(), back.getNetworkSpec());
    assertEquals("[1, 28, 28]", java.util.Arrays.toString(back.getInputShape()));
    scored.unpersist();
  }

  @Test
  void crossValidatorPicksTheLearningRateThatLearns() {
    NeuralNetClassifier nn = cnn().setMaxEpochs(1);
    ParamMap[] grid = new ParamGridBuilder().addGrid(nn.learningRate(), new double[] {1e-6, 3e-3}).build();
    CrossValidatorModel cv = new CrossValidator().setEstimator(pipeline(nn)).setEstimatorParamMaps(grid)
        .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy")).setNumFolds(2).setSeed(3)
        .fit(train);
    double[] metrics = cv.avgMetrics();
    System.out.printf("small CNN under CrossValidator, 2 folds: mean accuracies %s%n",
        java.util.Arrays.toString(metrics));
    NeuralNetClassificationModel best = (NeuralNetClassificationModel) ((PipelineModel) cv.bestModel()).stages()[2];
    assertEquals(3e-3, best.getLearningRate());
    assertTrue(metrics[1] > 0.65 && metrics[0] < metrics[1] - 0.1, java.util.Arrays.toString(metrics));
    assertTrue(accuracy(cv.transform(test)) > 0.65);
  }
}
