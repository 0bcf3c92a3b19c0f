package io.treeprop.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.treeprop.core.layer.BatchNormSpec;
import io.treeprop.core.layer.Conv2dSpec;
import io.treeprop.core.layer.PoolSpec;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.Dataset;
import io.treeprop.core.train.LocalTrainer;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.jobs.data.SourceData;
import io.treeprop.spark.FashionMnistFrames;
import io.treeprop.spark.LocalSpark;
import io.treeprop.spark.ml.NeuralNetClassificationModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The score job scores a CNN (conv, batch norm with running statistics, pooling) in blocks, as the Spark ML model's
 * {@code transform} does: the same predictions and probability vectors, and the core model's classes.
 */
@ExtendWith(LocalSpark.class)
class CnnScoringTest {
  private static final int D = 784;

  @Test
  void theJobScoresACnnAsTheSparkMlModelAndTheCoreModelDo(SparkSession spark) throws Exception {
    org.apache.spark.sql.Dataset<Row> train = FashionMnistFrames.load(spark, true, 1, 1000);
    float[] x = new float[1000 * D];
    float[] y = new float[1000];
    List<Row> rows = train.collectAsList();
    for (int i = 0; i < rows.size(); i++) {
      double[] v = ((Vector) rows.get(i).get(0)).toArray();
      for (int j = 0; j < D; j++) {
        x[i * D + j] = (float) v[j];
      }
      y[i] = (float) rows.get(i).getDouble(1);
    }
    NetworkSpec spec = NetworkSpec.input(1, 28, 28).add(new Conv2dSpec(4, 3)).add(new BatchNormSpec()).relu()
        .add(new PoolSpec.MaxPool2d(2)).add(new PoolSpec.Flatten()).dense(10).softmax();
    Model core = new LocalTrainer(new TrainConfig(1, 50, 9, new Updater(new Optimizers.Adam(3e-3f)), 0, null))
        .fit(spec, new Losses.CategoricalCrossEntropy(), new Dataset(x, y, 1000, D, 1), null);

    org.apache.spark.sql.Dataset<Row> test = FashionMnistFrames.load(spark, false, 2, 3000)
        .withColumn("id", functions.monotonically_increasing_id()).cache();
    Map<Long, Row> job = new HashMap<>();
    for (Row r : Scoring.score(spark, core, new SourceData(test, 3000, D, "Fashion-MNIST test images"))
        .select("id", Scoring.PREDICTION, Scoring.PROBABILITY, "features").collectAsList()) {
      job.put(r.getLong(0), r);
    }
    List<Row> ml = new NeuralNetClassificationModel(core).transform(test).select("id", "prediction", "probability")
        .collectAsList();
    assertEquals(3000, ml.size());
    assertEquals(3000, job.size());
    float[] features = new float[3000 * D];
    for (int i = 0; i < ml.size(); i++) {
      Row r = ml.get(i);
      Row j = job.get(r.getLong(0));
      assertEquals(r.getDouble(1), j.getDouble(1), "prediction of row " + r.getLong(0));
      assertEquals(r.get(2), j.get(2), "probabilities of row " + r.getLong(0));
      double[] v = ((Vector) j.get(3)).toArray();
      for (int k = 0; k < D; k++) {
        features[i * D + k] = (float) v[k];
      }
    }
    int[] classes = core.predictClasses(features, 3000);
    for (int i = 0; i < ml.size(); i++) {
      assertEquals(classes[i], (int) ml.get(i).getDouble(1), "the core model's class, row " + ml.get(i).getLong(0));
    }
    test.unpersist();
  }
}
