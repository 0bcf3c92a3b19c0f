package io.treeprop.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.layer.ActivationFunction;
import io.treeprop.core.layer.Conv2dSpec;
import io.treeprop.core.layer.Conv2dTransposeSpec;
import io.treeprop.core.layer.LayerSpec;
import io.treeprop.core.layer.Padding;
import io.treeprop.core.layer.Size2;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.tensor.Shape;
import io.treeprop.spark.FashionMnistFrames;
import io.treeprop.spark.LocalSpark;
import java.util.List;
import org.apache.spark.ml.feature.PCA;
import org.apache.spark.ml.feature.PCAModel;
import org.apache.spark.ml.linalg.DenseMatrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A convolutional autoencoder with a 32-number bottleneck (a [2, 4, 4] feature map: strided convolutions down,
 * transposed convolutions up) reconstructs held-out Fashion-MNIST images better than Spark's PCA with 32 components.
 */
@ExtendWith(LocalSpark.class)
@LocalSpark.WithSparkMlStages
class ConvAutoencoderTest {
  private static final int K = 32;

  static NetworkSpec network() {
    LayerSpec relu = new LayerSpec.Activation(ActivationFunction.RELU);
    Size2 three = Size2.of(3);
    Size2 two = Size2.of(2);
    Padding one = new Padding(Size2.of(1));
    return new NetworkSpec(Shape.image(1, 28, 28), List.of(
        new Conv2dSpec(32, three, two, one, null, null), relu,                            // [32, 14, 14]
        new Conv2dSpec(64, three, two, one, null, null), relu,                            // [64, 7, 7]
        new Conv2dSpec(2, three, two, one, null, null),                                   // [2, 4, 4]: 32 numbers
        new Conv2dTransposeSpec(64, three, two, Size2.of(1), null, null, null), relu,      // [64, 7, 7]
        new Conv2dTransposeSpec(32, three, two, Size2.of(1), Size2.of(1), null, null), relu, // [32, 14, 14]
        new Conv2dTransposeSpec(1, three, two, Size2.of(1), Size2.of(1), null, null),      // [1, 28, 28]
        new LayerSpec.Activation(ActivationFunction.SIGMOID)));
  }

  @Test
  void aConvolutionalAutoencoderWith32NumbersBeatsPcaWith32Components(SparkSession spark) throws Exception {
    Dataset<Row> train = FashionMnistFrames.load(spark, true, 2, 6000).select("features").cache();
    Dataset<Row> test = FashionMnistFrames.load(spark, false, 2, 1000).select("features").cache();
    AutoencoderModel ae = new Autoencoder().setNetworkSpec(network()).setEncodingLayer(4).setMaxEpochs(20)
        .setBatchSize(64).setLearningRate(4e-3).setSchedule("cosine").setSeed(3).fit(train);
    assertEquals(K, ae.encodingSize());

    double aeError = 0;
    List<Row> out = ae.transform(test).select("features", "encoding", "reconstruction").collectAsList();
    assertEquals(K, ((Vector) out.get(0).get(1)).size());
    for (Row r : out) {
      aeError += org.apache.spark.ml.linalg.Vectors.sqdist(r.getAs(0), r.getAs(2)) / 784;
    }
    aeError /= out.size();
    double pcaError = pcaError(train, test);
    System.out.printf("held-out reconstruction MSE per pixel: conv autoencoder %.5f, PCA(k=%d) %.5f%n", aeError, K,
        pcaError);
    assertTrue(aeError < pcaError, "conv autoencoder " + aeError + " vs PCA(32) " + pcaError);
    train.unpersist();
    test.unpersist();
  }

  /** Per-pixel MSE of PCA's reconstruction μ + P Pᵀ (x − μ) on {@code test}, fitted on {@code train}. */
  private static double pcaError(Dataset<Row> train, Dataset<Row> test) {
    List<Row> rows = train.collectAsList();
    int d = 784;
    double[] mu = new double[d];
    for (Row r : rows) {
      double[] x = ((Vector) r.get(0)).toArray();
      for (int j = 0; j < d; j++) {
        mu[j] += x[j] / rows.size();
      }
    }
    PCAModel pca = new PCA().setInputCol("features").setOutputCol("pca").setK(K).fit(train);
    DenseMatrix p = pca.pc();
    double total = 0;
    List<Row> testRows = test.collectAsList();
    for (Row r : testRows) {
      double[] x = ((Vector) r.get(0)).toArray();
      double[] z = new double[K];
      for (int k = 0; k < K; k++) {
        for (int j = 0; j < d; j++) {
          z[k] += p.apply(j, k) * (x[j] - mu[j]);
        }
      }
      for (int j = 0; j < d; j++) {
        double rec = mu[j];
        for (int k = 0; k < K; k++) {
          rec += p.apply(j, k) * z[k];
        }
        total += (x[j] - rec) * (x[j] - rec);
      }
    }
    return total / testRows.size() / d;
  }
}
