package io.treeprop.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.data.IdxReader;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.EpochMetrics;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Lbfgs;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.BatchStats;
import io.treeprop.core.train.Dataset;
import io.treeprop.core.train.Evaluation;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.spark.FashionMnistFrames;
import io.treeprop.spark.LocalSpark;
import io.treeprop.spark.TestData;
import io.treeprop.spark.data.InputColumns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Against Spark MLlib's {@code MultilayerPerceptronClassifier}, which trains with Breeze's L-BFGS: the same
 * 784-16-10 network (sigmoid hidden layer, softmax output, cross-entropy), the same 2,000 Fashion-MNIST training
 * rows and 1,000 test rows. Within the iterations MLlib ran, Treeprop's L-BFGS reaches MLlib's test accuracy, and
 * ends within two points of it (the binomial standard error of an accuracy near 0.8 on 1,000 rows is 1.3 points;
 * the two start from different initial weights, and more iterations on 2,000 rows can overfit).
 */
@ExtendWith(LocalSpark.class)
class LbfgsVersusMllibTest {
  private static final int TRAIN = 2000;
  private static final int TEST = 1000;
  private static final int MAX_ITER = 60;

  private static org.apache.spark.sql.Dataset<Row> fashion(SparkSession spark, boolean train, int n)
      throws IOException {
    String prefix = train ? "train" : "t10k";
    IdxReader.IdxArray x = IdxReader.read(FashionMnistFrames.DIR.resolve(prefix + "-images-idx3-ubyte.gz"));
    IdxReader.IdxArray y = IdxReader.read(FashionMnistFrames.DIR.resolve(prefix + "-labels-idx1-ubyte.gz"));
    int d = x.itemSize();
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double[] v = new double[d];
      for (int j = 0; j < d; j++) {
        v[j] = (x.data()[i * d + j] & 0xFF) / 255.0;
      }
      rows.add(RowFactory.create(Vectors.dense(v), (double) (y.data()[i] & 0xFF)));
    }
    return spark.createDataFrame(rows, TestData.SCHEMA).repartition(2);
  }

  @Test
  void reachesMllibsTestAccuracyInNoMoreIterations(SparkSession spark) throws IOException {
    org.apache.spark.sql.Dataset<Row> train = fashion(spark, true, TRAIN).cache();
    org.apache.spark.sql.Dataset<Row> test = fashion(spark, false, TEST).cache();
    MultilayerPerceptronClassificationModel mllib = new MultilayerPerceptronClassifier()
        .setLayers(new int[] {784, 16, 10}).setMaxIter(MAX_ITER).setTol(Lbfgs.DEFAULT_TOLERANCE).setSeed(1)
        .fit(train);
    int mllibIterations = mllib.summary().totalIterations();
    double mllibAccuracy = mllib.transform(test).filter("prediction = label").count() / (double) TEST;

    NetworkSpec spec = NetworkSpec.input(784).dense(16).sigmoid().dense(10).softmax();
    TrainConfig cfg = new TrainConfig(mllibIterations, TrainConfig.DEFAULT_BATCH_SIZE, 1,
        new Updater(new Lbfgs()), 0, null);
    // the test rows as validation data: the test accuracy after every iteration
    Model ours = new SparkTrainer(SparkTrainConfig.of(cfg)).fit(spec, new Losses.CategoricalCrossEntropy(), train,
        test, InputColumns.defaults());
    float[][] t = TestData.collect(test);
    BatchStats s = Evaluation.evaluate(ours, new Dataset(t[0], t[1], TEST, 784, 1));
    train.unpersist();
    test.unpersist();
    List<EpochMetrics> h = ours.summary().epochs();
    Integer within = null;
    Integer reached = null;
    for (EpochMetrics m : h) {
      if (within == null && m.validationAccuracy() >= mllibAccuracy - 0.02) {
        within = m.epoch();
      }
      if (reached == null && m.validationAccuracy() >= mllibAccuracy) {
        reached = m.epoch();
      }
    }
    System.out.printf("2,000 Fashion-MNIST rows, 784-16-10 sigmoid: MLlib %d iterations, test accuracy %.4f; "
        + "Treeprop lbfgs %d iterations (%s), test accuracy %.4f, within 2 points of MLlib's at iteration %s, at "
        + "or above it at iteration %s%n", mllibIterations, mllibAccuracy, ours.summary().steps(),
        ours.summary().stopReason(), s.accuracy(), within, reached);
    assertEquals(h.get(h.size() - 1).validationAccuracy(), s.accuracy(), 1e-9, "the last epoch's test accuracy");
    assertTrue(ours.summary().steps() <= mllibIterations);
    assertTrue(reached != null, "never reached MLlib's test accuracy " + mllibAccuracy + " in " + mllibIterations
        + " iterations");
    assertTrue(s.accuracy() >= mllibAccuracy - 0.02, "Treeprop " + s.accuracy() + " vs MLlib " + mllibAccuracy);
    assertTrue(mllibAccuracy > 0.7, "MLlib itself learned: " + mllibAccuracy);
  }
}
