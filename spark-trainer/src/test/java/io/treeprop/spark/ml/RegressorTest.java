package io.treeprop.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.spark.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** NeuralNetRegressor learns a known function down to the noise level; one or several outputs. */
@ExtendWith(LocalSpark.class)
@LocalSpark.WithSparkMlStages
class RegressorTest {
  private static final double SIGMA = 0.1;

  @TempDir
  Path tmp;

  private static Dataset<Row> assemble(Dataset<Row> df) {
    return new VectorAssembler().setInputCols(new String[] {"x1", "x2", "x3"}).setOutputCol("features")
        .transform(df);
  }

  @Test
  void rmseOnHeldOutDataApproachesTheNoiseLevel(SparkSession spark) throws Exception {
    Dataset<Row> train = assemble(MlData.regression(spark, 8000, SIGMA, 1)).cache();
    Dataset<Row> test = assemble(MlData.regression(spark, 2000, SIGMA, 2)).cache();
    NeuralNetRegressor nn = new NeuralNetRegressor().setLabelCol("y").setHiddenLayers(64, 64).setMaxEpochs(40)
        .setBatchSize(256).setLearningRate(0.005).setSchedule("cosine").setSeed(7);
    NeuralNetRegressionModel model = nn.fit(train);
    Dataset<Row> scored = model.transform(test);
    double rmse = new RegressionEvaluator().setLabelCol("y").setMetricName("rmse").evaluate(scored);
    double r2 = new RegressionEvaluator().setLabelCol("y").setMetricName("r2").evaluate(scored);
    System.out.printf("regression: held-out RMSE %.4f (noise sigma %.2f), R2 %.4f%n", rmse, SIGMA, r2);
    // the best possible RMSE is the noise level (0.1); the targets' own spread is ~1.4
    assertTrue(rmse < 1.3 * SIGMA, "held-out RMSE " + rmse + " vs noise " + SIGMA);
    assertTrue(r2 > 0.99, "R² " + r2);

    model.write().overwrite().save(tmp.resolve("reg").toString());
    NeuralNetRegressionModel loaded = NeuralNetRegressionModel.load(tmp.resolve("reg").toString());
    List<Row> a = scored.select("prediction").collectAsList();
    List<Row> b = loaded.transform(test).select("prediction").collectAsList();
    assertEquals(a, b);
    assertEquals(model.predict((Vector) test.select("features").head().get(0)), a.get(0).getDouble(0), 1e-6);
    train.unpersist();
    test.unpersist();
  }

  @Test
  void aVectorLabelTrainsSeveralOutputs(SparkSession spark) {
    Dataset<Row> df = assemble(MlData.regression(spark, 3000, 0.05, 3))
        .withColumn("y2", functions.col("y").multiply(-2));
    Dataset<Row> data = new VectorAssembler().setInputCols(new String[] {"y", "y2"}).setOutputCol("targets")
        .transform(df);
    NeuralNetRegressionModel m = new NeuralNetRegressor().setLabelCol("targets").setHiddenLayers(32)
        .setMaxEpochs(15).setLearningRate(0.01).setBatchSize(64).setSeed(2).fit(data);
    assertEquals(2, m.numOutputs());
    Row r = m.transform(data).select("targets", "prediction").head();
    Vector truth = r.getAs(0);
    Vector predicted = r.getAs(1);
    assertEquals(2, predicted.size());
    assertEquals(truth.apply(0), predicted.apply(0), 0.3);
    assertEquals(truth.apply(1), predicted.apply(1), 0.6);
  }
}
