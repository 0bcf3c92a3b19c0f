package io.treeprop.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Updater;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Randomness is derived from the seed: same seed, same model; bad data and divergence give clear errors. */
class DeterminismTest {
  private static final NetworkSpec SPEC = NetworkSpec.input(3).dense(8).relu().dropout(0.3f).dense(2).softmax();

  private static Dataset data(int n) {
    SplittableRandom rng = new SplittableRandom(3);
    float[] x = new float[3 * n];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 3; j++) {
        x[3 * i + j] = (float) rng.nextGaussian();
      }
      y[i] = x[3 * i] + x[3 * i + 1] > 0 ? 1 : 0;
    }
    return new Dataset(x, y, n, 3, 1);
  }

  private static Model train(long seed) {
    TrainConfig cfg = new TrainConfig(3, 16, seed, new Updater(new Optimizers.Adam()), 0.25,
        EarlyStopping.onValidationLoss(2));
    return new LocalTrainer(cfg).fit(SPEC, new Losses.CategoricalCrossEntropy(), data(200), null);
  }

  @Test
  void sameSeedGivesIdenticalWeightsAndAnotherSeedDoesNot() {
    float[] a = train(7).params();
    assertArrayEquals(a, train(7).params(), 0f);
    assertFalse(Arrays.equals(a, train(8).params()));
  }

  @Test
  void badRowsAreNamedBeforeTraining() {
    Dataset d = data(10);
    d.x()[3 * 4 + 2] = Float.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LocalTrainer(TrainConfig.defaults()).fit(SPEC, new Losses.CategoricalCrossEntropy(), d, null));
    assertTrue(e.getMessage().contains("row 4, feature 2 is NaN"), e.getMessage());

    Dataset labels = data(10);
    labels.y()[6] = 2;
    e = assertThrows(IllegalArgumentException.class, () -> new LocalTrainer(TrainConfig.defaults())
        .fit(SPEC, new Losses.CategoricalCrossEntropy(), labels, null));
    assertTrue(e.getMessage().contains("row 6, label is 2.0: class labels must be integers in [0, 1]"),
        e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> new LocalTrainer(TrainConfig.defaults())
        .fit(NetworkSpec.input(4).dense(2).softmax(), new Losses.CategoricalCrossEntropy(), data(10), null));
    assertTrue(e.getMessage().contains("takes 4 features") && e.getMessage().contains("has 3"), e.getMessage());
  }

  @Test
  void divergenceStopsWithAClearError() {
    Dataset d = data(50);
    for (int i = 0; i < d.x().length; i++) {
      d.x()[i] *= 1e18f;
    }
    TrainConfig cfg = new TrainConfig(5, 10, 1, new Updater(new Optimizers.Sgd(10f)), 0, null);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new LocalTrainer(cfg).fit(NetworkSpec.input(3).dense(2), new Losses.Mse(),
            new Dataset(d.x(), new float[100], 50, 3, 2), null));
    assertTrue(e.getMessage().contains("training diverged"), e.getMessage());
  }
}
