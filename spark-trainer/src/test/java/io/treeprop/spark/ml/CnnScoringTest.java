package io.treeprop.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.data.IdxReader;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.Dataset;
import io.treeprop.core.train.LocalTrainer;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.spark.FashionMnistFrames;
import io.treeprop.spark.LocalSpark;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import scala.reflect.ClassTag$;

/**
 * A small CNN scores 100,000 Fashion-MNIST rows (the 10,000 test images ten times) through {@code transform}, in
 * blocks, and gives the core model's predictions: the logits ({@code rawPrediction}) bit for bit, the class
 * exactly, the probabilities to float rounding (the core model's softmax runs in float, the transform's in double
 * on the same logits).
 */
@ExtendWith(LocalSpark.class)
@LocalSpark.WithSparkMlStages
class CnnScoringTest {
  private static final int ROWS = 100_000;
  private static final int D = 784;

  /** The core model: the small CNN of {@link CnnClassifierTest} after one epoch over 3,000 training images. */
  private static Model trained() throws Exception {
    IdxReader.IdxArray images = IdxReader.read(FashionMnistFrames.DIR.resolve("train-images-idx3-ubyte.gz"));
    IdxReader.IdxArray labels = IdxReader.read(FashionMnistFrames.DIR.resolve("train-labels-idx1-ubyte.gz"));
    int n = 3000;
    float[] x = new float[n * D];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < D; j++) {
        x[i * D + j] = pixel(images.data()[i * D + j]);
      }
      y[i] = labels.data()[i] & 0xFF;
    }
    NetworkSpec spec = cnn();
    return new LocalTrainer(new TrainConfig(1, 64, 5, new Updater(new Optimizers.Adam(3e-3f)), 0, null))
        .fit(spec, new Losses.CategoricalCrossEntropy(), new Dataset(x, y, n, D, 1), null);
  }

  private static NetworkSpec cnn() {
    NetworkSpec layers = Json.read(CnnClassifierTest.CNN, LayersOnly.class, "spec").spec();
    return layers;
  }

  /** Reads the layers of a spec without an input onto {@code [1, 28, 28]}. */
  private record LayersOnly(List<io.treeprop.core.layer.LayerSpec> layers) {
    NetworkSpec spec() {
      return new NetworkSpec(io.treeprop.core.tensor.Shape.image(1, 28, 28), layers);
    }
  }

  /** A pixel as the scorer sees it: the double {@code b / 255} of the DataFrame, narrowed to float. */
  private static float pixel(byte b) {
    return (float) ((b & 0xFF) / 255.0);
  }

  @Test
  void scoresAHundredThousandImagesLikeTheCoreModel(SparkSession spark) throws Exception {
    Model core = trained();
    byte[] test = IdxReader.read(FashionMnistFrames.DIR.resolve("t10k-images-idx3-ubyte.gz")).data();
    int images = test.length / D;
    Broadcast<byte[]> bc = spark.sparkContext().broadcast(test, ClassTag$.MODULE$.apply(byte[].class));
    StructType schema = new StructType().add("id", DataTypes.LongType, false)
        .add("features", SQLDataTypes.VectorType(), false);
    org.apache.spark.sql.Dataset<Row> frame = spark.range(0, ROWS, 1, 4).map((MapFunction<Long, Row>) id -> {
      byte[] px = bc.value();
      int o = (int) (id % images) * D;
      double[] v = new double[D];
      for (int j = 0; j < D; j++) {
        v[j] = (px[o + j] & 0xFF) / 255.0;
      }
      return RowFactory.create(id, Vectors.dense(v));
    }, Encoders.row(schema));

    NeuralNetClassificationModel model = new NeuralNetClassificationModel(core);
    long t0 = System.nanoTime();
    List<Row> scored = model.transform(frame).select("id", "rawPrediction", "probability", "prediction")
        .collectAsList();
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("small CNN: scored %,d rows of %d features through transform in %.1f s (%,.0f rows/s)%n",
        ROWS, D, seconds, ROWS / seconds);
    assertEquals(ROWS, scored.size());

    // the core model on every 50th test image, and the same network without its softmax for the logits
    int sample = images / 50;
    float[] x = new float[sample * D];
    for (int s = 0; s < sample; s++) {
      for (int j = 0; j < D; j++) {
        x[s * D + j] = pixel(test[s * 50 * D + j]);
      }
    }
    float[] probs = core.predict(x, sample);
    int[] classes = core.predictClasses(x, sample);
    NetworkSpec spec = core.spec();
    Model logitsModel = new Model(new NetworkSpec(spec.input(), spec.layers().subList(0, spec.layers().size() - 1)),
        core.params(), core.state(), null, List.of(), null, java.util.Map.of());
    float[] logits = logitsModel.predict(x, sample);

    boolean[] seen = new boolean[ROWS];
    int[] perClass = new int[10];
    int compared = 0;
    for (Row r : scored) {
      int id = (int) r.getLong(0);
      assertFalse(seen[id], "row " + id + " scored twice");
      seen[id] = true;
      int predicted = (int) r.getDouble(3);
      perClass[predicted]++;
      int image = id % images;
      if (image % 50 != 0) {
        continue;
      }
      int s = image / 50;
      compared++;
      assertEquals(classes[s], predicted, "prediction of row " + id);
      double[] raw = ((Vector) r.get(1)).toArray();
      double[] prob = ((Vector) r.get(2)).toArray();
      for (int c = 0; c < 10; c++) {
        assertEquals((double) logits[s * 10 + c], raw[c], "logit " + c + " of row " + id + " (bit for bit)");
        assertEquals(probs[s * 10 + c], prob[c], 1e-6, "probability " + c + " of row " + id);
      }
    }
    assertEquals(ROWS / 50, compared);
    for (int c = 0; c < 10; c++) {
      assertTrue(perClass[c] > ROWS / 100, "every class is predicted: " + java.util.Arrays.toString(perClass));
    }
  }
}
