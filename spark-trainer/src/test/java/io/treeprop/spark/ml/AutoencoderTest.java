package io.treeprop.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.spark.LocalSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.feature.PCA;
import org.apache.spark.ml.feature.PCAModel;
import org.apache.spark.ml.linalg.DenseMatrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The autoencoder against Spark's PCA with the same bottleneck size, on data lying on a curved 2-D surface. */
@ExtendWith(LocalSpark.class)
@LocalSpark.WithSparkMlStages
class AutoencoderTest {
  @org.junit.jupiter.api.io.TempDir
  java.nio.file.Path tmp;

  private static final int DIMS = 12;
  private static final int BOTTLENECK = 2;

  /** Points on a curved 2-D manifold in 12-D (so PCA needs more than 2 components), plus a little noise. */
  static Dataset<Row> surface(SparkSession spark, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double u = rng.nextDouble(-1.5, 1.5);
      double v = rng.nextDouble(-1.5, 1.5);
      double[] x = new double[DIMS];
      for (int j = 0; j < DIMS; j++) {
        double a = Math.sin(0.7 * j + 1);
        double b = Math.cos(1.3 * j);
        x[j] = Math.tanh(a * u + b * v) + 0.3 * Math.sin(u * (j % 3 + 1)) * v + 0.01 * rng.nextGaussian();
      }
      rows.add(RowFactory.create(Vectors.dense(x)));
    }
    return spark.createDataFrame(rows, new StructType().add("features", SQLDataTypes.VectorType())).repartition(2);
  }

  @Test
  void heldOutReconstructionErrorBeatsPcaWithTheSameBottleneck(SparkSession spark) {
    Dataset<Row> train = surface(spark, 6000, 1).cache();
    Dataset<Row> test = surface(spark, 2000, 2).cache();

    AutoencoderModel ae = new Autoencoder().setHiddenLayers(32, BOTTLENECK).setActivation("tanh").setMaxEpochs(30)
        .setBatchSize(128).setLearningRate(0.005).setSchedule("cosine").setSeed(5).fit(train);
    assertEquals(BOTTLENECK, ae.encodingSize());
    List<Row> out = ae.transform(test).select("features", "encoding", "reconstruction").collectAsList();
    assertEquals(BOTTLENECK, ((Vector) out.get(0).get(1)).size());
    double aeError = 0;
    for (Row r : out) {
      aeError += squaredDistance(r.getAs(0), r.getAs(2));
    }
    aeError /= out.size();

    double pcaError = pcaReconstructionError(train, test);
    System.out.printf("held-out reconstruction MSE per row: autoencoder %.4f, PCA(k=%d) %.4f%n", aeError,
        BOTTLENECK, pcaError);
    assertTrue(aeError < 0.8 * pcaError, "autoencoder " + aeError + " vs PCA " + pcaError);
    train.unpersist();
    test.unpersist();
  }

  @Test
  void denoisingAutoencoderReconstructsCleanInputsFromCorruptedTraining(SparkSession spark) {
    Dataset<Row> train = surface(spark, 4000, 3);
    Dataset<Row> test = surface(spark, 1000, 4);
    Autoencoder dae = new Autoencoder().setHiddenLayers(32, 4).setActivation("tanh").setNoise("masking", 0.2)
        .setMaxEpochs(15).setBatchSize(128).setLearningRate(0.005).setSeed(5);
    AutoencoderModel m = dae.fit(train);
    assertTrue(m.coreModel().spec().layers().get(0) instanceof io.treeprop.core.layer.LayerSpec.Noise);
    double error = 0;
    double spread = 0;
    List<Row> rows = m.transform(test).select("features", "reconstruction").collectAsList();
    double[] mean = new double[DIMS];
    for (Row r : rows) {
      double[] x = ((Vector) r.get(0)).toArray();
      for (int j = 0; j < DIMS; j++) {
        mean[j] += x[j] / rows.size();
      }
    }
    for (Row r : rows) {
      error += squaredDistance(r.getAs(0), r.getAs(1));
      spread += squaredDistance(r.getAs(0), Vectors.dense(mean));
    }
    assertTrue(error < 0.2 * spread, "reconstruction error " + error + " vs total variance " + spread);
  }

  /** PCA on centred training data; reconstruction x̂ = μ + P Pᵀ (x − μ). */
  private static double pcaReconstructionError(Dataset<Row> train, Dataset<Row> test) {
    List<Row> trainRows = train.collectAsList();
    double[] mu = new double[DIMS];
    for (Row r : trainRows) {
      double[] x = ((Vector) r.get(0)).toArray();
      for (int j = 0; j < DIMS; j++) {
        mu[j] += x[j] / trainRows.size();
      }
    }
    PCAModel pca = new PCA().setInputCol("features").setOutputCol("pca").setK(BOTTLENECK).fit(train);
    DenseMatrix p = pca.pc();
    double total = 0;
    List<Row> testRows = test.collectAsList();
    for (Row r : testRows) {
      double[] x = ((Vector) r.get(0)).toArray();
      double[] c = new double[DIMS];
      for (int j = 0; j < DIMS; j++) {
        c[j] = x[j] - mu[j];
      }
      double[] z = new double[BOTTLENECK];
      for (int k = 0; k < BOTTLENECK; k++) {
        for (int j = 0; j < DIMS; j++) {
          z[k] += p.apply(j, k) * c[j];
        }
      }
      double[] rec = mu.clone();
      for (int j = 0; j < DIMS; j++) {
        for (int k = 0; k < BOTTLENECK; k++) {
          rec[j] += p.apply(j, k) * z[k];
        }
      }
      total += squaredDistance(Vectors.dense(x), Vectors.dense(rec));
    }
    return total / testRows.size();
  }

  private static double squaredDistance(Vector a, Vector b) {
    return Vectors.sqdist(a, b);
  }

  @Test
  void aNetworkSpecAutoencoderEncodesAtItsNarrowestLayerOrTheOneNamed(SparkSession spark) throws Exception {
    Dataset<Row> train = surface(spark, 600, 5);
    String spec = io.treeprop.core.model.Json.write(io.treeprop.core.model.NetworkSpec.input(DIMS).dense(8).tanh()
        .dense(3).tanh().dense(8).tanh().dense(DIMS));
    AutoencoderModel auto = new Autoencoder().setNetworkSpec(spec).setMaxEpochs(2).setSeed(1).fit(train);
    // layers: 0 dense 8, 1 tanh, 2 dense 3, 3 tanh, ...: the narrowest run ends at the tanh after dense(3)
    Row first = auto.transform(train).select("encoding").head();
    assertEquals(3, ((org.apache.spark.ml.linalg.Vector) first.get(0)).size());
    auto.write().overwrite().save(tmp.resolve("ae-spec").toString());
    AutoencoderModel loaded = AutoencoderModel.load(tmp.resolve("ae-spec").toString());
    assertEquals(auto.transform(train).select("encoding").collectAsList(),
        loaded.transform(train).select("encoding").collectAsList(), "the encoding layer travels with the model");
    AutoencoderModel named = new Autoencoder().setNetworkSpec(spec).setEncodingLayer(1).setMaxEpochs(1).setSeed(1)
        .fit(train);
    assertEquals(8, ((org.apache.spark.ml.linalg.Vector) named.transform(train).select("encoding").head().get(0))
        .size());

    String wrong = io.treeprop.core.model.Json.write(io.treeprop.core.model.NetworkSpec.input(DIMS).dense(3)
        .tanh().dense(DIMS - 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Autoencoder().setNetworkSpec(wrong).fit(train));
    assertTrue(e.getMessage().contains("reconstructs " + (DIMS - 1) + " values"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Autoencoder().setNetworkSpec(spec).setEncodingLayer(6).fit(train));
    assertTrue(e.getMessage().contains("encodingLayer (6)"), e.getMessage());
  }
}
