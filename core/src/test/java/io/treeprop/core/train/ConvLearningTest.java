package io.treeprop.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.layer.ActivationFunction;
import io.treeprop.core.layer.BatchNormSpec;
import io.treeprop.core.layer.Conv2dSpec;
import io.treeprop.core.layer.LayerSpec;
import io.treeprop.core.layer.Padding;
import io.treeprop.core.layer.PoolSpec;
import io.treeprop.core.layer.ResidualSpec;
import io.treeprop.core.layer.Size2;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.ModelFiles;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small CNN with batch norm and a residual block learns a toy image task with the local trainer (8×8 images: a horizontal bar, a
 * vertical bar, or none, at a random place under noise), and the trained model, running statistics included,
 * round-trips through the model files.
 */
class ConvLearningTest {
  static Dataset bars(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[n * 64];
    float[] y = new float[n];
    for (int r = 0; r < n; r++) {
      int cls = rng.nextInt(3);
      y[r] = cls;
      for (int i = 0; i < 64; i++) {
        x[r * 64 + i] = (float) (0.3 * rng.nextGaussian());
      }
      int at = rng.nextInt(8);
      int from = rng.nextInt(4);
      for (int k = from; k < from + 4; k++) {
        if (cls == 1) {
          x[r * 64 + at * 8 + k] += 1f;
        } else if (cls == 2) {
          x[r * 64 + k * 8 + at] += 1f;
        }
      }
    }
    return new Dataset(x, y, n, 64, 1);
  }

  @Test
  void cnnWithBatchNormAndResidualBlockLearnsBarsAndRoundTrips(@TempDir Path dir) throws Exception {
    NetworkSpec spec = new NetworkSpec(Shape.image(1, 8, 8), List.of(
        new Conv2dSpec(6, Size2.of(3), null, Padding.SAME, null, null), new BatchNormSpec(),
        new LayerSpec.Activation(ActivationFunction.RELU), new PoolSpec.MaxPool2d(2),
        new ResidualSpec(List.of(new Conv2dSpec(6, Size2.of(3), null, Padding.SAME, null, null),
            new BatchNormSpec()), ActivationFunction.RELU),
        new Conv2dSpec(8, 3), new LayerSpec.Activation(ActivationFunction.RELU), new PoolSpec.Flatten(),
        new LayerSpec.Dense(3), new LayerSpec.Activation(ActivationFunction.SOFTMAX)));
    TrainConfig cfg = new TrainConfig(10, 32, 7, new Updater(new Optimizers.Adam(3e-3f)), 0, null);
    Model m = new LocalTrainer(cfg).fit(spec, new Losses.CategoricalCrossEntropy(), bars(1200, 1), null);

    Dataset test = bars(300, 2);
    double acc = Evaluation.evaluate(m, test).accuracy();
    // chance is 1/3; a broken convolution, pooling or batch norm leaves the bars unseen
    assertTrue(acc >= 0.9, "test accuracy " + acc + ", history " + m.summary().epochs());
    float[] initial = spec.compile().initState();
    assertFalse(Arrays.equals(initial, m.state()), "running statistics never updated");

    ModelFiles.save(m, dir.resolve("cnn"), false);
    Model loaded = ModelFiles.load(dir.resolve("cnn"));
    assertArrayEquals(m.state(), loaded.state(), 0f);
    assertArrayEquals(m.predict(test.x(), 300), loaded.predict(test.x(), 300), 0f);
    String json = Files.readString(dir.resolve("cnn/model.json"));
    assertTrue(json.contains("\"batch_norm\"") && json.contains("\"residual\""), json);
  }
}
