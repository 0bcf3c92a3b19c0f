package io.treeprop.spark.ml;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.spark.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The README's Spark ML example, compiled and run; the README must show exactly this code. */
@ExtendWith(LocalSpark.class)
@LocalSpark.WithSparkMlStages
class ReadmeMlExampleTest {
  @TempDir
  Path tmp;

  @Test
  void readmeExampleRunsAndLearns(SparkSession spark) throws Exception {
    Dataset<Row> data = MlData.trees(spark, 1500, 11);
    Dataset<Row>[] split = data.randomSplit(new double[] {0.8, 0.2}, 1);
    Dataset<Row> train = split[0];
    Dataset<Row> test = split[1];
    String path = tmp.resolve("species-model").toString();

    // README-ML:begin
    NeuralNetClassifier nn = new NeuralNetClassifier()
        .setHiddenLayers(32, 16).setActivation("relu").setDropout(0.1)
        .setOptimizer("adam").setLearningRate(0.01).setSchedule("cosine")
        .setBatchSize(64).setMaxEpochs(20).setValidationFraction(0.1).setEarlyStoppingPatience(3).setSeed(42);

    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new StringIndexer().setInputCol("species").setOutputCol("label"),
        new VectorAssembler().setInputCols(new String[] {"a", "b", "c", "d"}).setOutputCol("raw"),
        new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true),
        nn});
    PipelineModel model = pipeline.fit(train);

    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(model.transform(test));
    NeuralNetClassificationModel trained = (NeuralNetClassificationModel) model.stages()[3];
    System.out.println(trained.trainingSummary().stopReason() + "; test accuracy " + accuracy);
    model.write().overwrite().save(path);
    // README-ML:end

    assertTrue(accuracy > 0.9, "accuracy " + accuracy);
    assertTrue(PipelineModel.load(path).stages()[3] instanceof NeuralNetClassificationModel);
  }

  @Test
  void readmeShowsTheExampleVerbatim() throws Exception {
    String test = Files.readString(Path.of("src/test/java/io/treeprop/spark/ml/ReadmeMlExampleTest.java"));
    String snippet = test.substring(test.indexOf("// README-ML:begin") + "// README-ML:begin".length(),
        test.indexOf("    // README-ML:end"));
    String readme = Files.readString(Path.of("../README.md"));
    String normalized = readme.lines().map(String::strip).reduce("", (a, b) -> a + "\n" + b);
    String wanted = snippet.strip().lines().map(String::strip).reduce("", (a, b) -> a + "\n" + b);
    assertTrue(normalized.contains(wanted), "README.md must contain the example of ReadmeMlExampleTest:\n" + snippet);
  }
}
