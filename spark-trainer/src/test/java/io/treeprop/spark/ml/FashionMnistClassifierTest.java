package io.treeprop.spark.ml;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.spark.FashionMnistFrames;
import io.treeprop.spark.LocalSpark;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Fashion-MNIST through the Spark ML classifier: at least 0.885 test accuracy. About a minute on 2 cores. */
@ExtendWith(LocalSpark.class)
class FashionMnistClassifierTest {
  @Test
  void classifierReachesAtLeast885TestAccuracy(SparkSession spark) throws Exception {
    Dataset<Row> train = FashionMnistFrames.load(spark, true, 2).cache();
    Dataset<Row> test = FashionMnistFrames.load(spark, false, 2).cache();
    NeuralNetClassificationModel model = new NeuralNetClassifier().setHiddenLayers(256, 128).setMaxEpochs(10)
        .setBatchSize(256).setLearningRate(2e-3).setSchedule("cosine").setSeed(42).fit(train);
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(model.transform(test));
    System.out.printf("Fashion-MNIST through NeuralNetClassifier: test accuracy %.4f%n", accuracy);
    assertTrue(accuracy >= 0.885, "test accuracy " + accuracy);
    train.unpersist();
    test.unpersist();
  }
}
