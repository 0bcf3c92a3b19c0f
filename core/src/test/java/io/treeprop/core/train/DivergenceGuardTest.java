package io.treeprop.core.train;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Updater;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DivergenceGuardTest {
  @Test
  void aLossThatGrowsAThousandfoldFromItsStartIsDivergence() {
    DivergenceGuard g = new DivergenceGuard();
    for (int i = 0; i < 10; i++) {
      assertNull(g.record(2.3));
    }
    String why = null;
    double loss = 2.3;
    for (int i = 0; i < 100 && why == null; i++) {
      loss *= 3;
      why = g.record(loss);
    }
    assertTrue(why != null && why.contains("over 1000×"), String.valueOf(why));
  }

  @Test
  void noisyOrFallingLossesAndSpikesAreNot() {
    DivergenceGuard g = new DivergenceGuard();
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < 10_000; i++) {
      // decaying, noisy, with a spike of 200× the start every ~1000 steps
      double loss = 2.3 * Math.exp(-i / 2000.0) * (1 + 0.5 * rng.nextDouble()) + (i % 997 == 5 ? 460 : 0);
      assertNull(g.record(loss), "step " + i);
    }
  }

  @Test
  void aRunStartingNearZeroLossIsJudgedAgainstTheFloor() {
    DivergenceGuard g = new DivergenceGuard();
    g.record(1e-9);
    for (int i = 0; i < 20; i++) {
      assertNull(g.record(0.5), "0.5 is below 1000 × the 1e-3 floor");
    }
    for (int i = 0; i < 20; i++) {
      g.record(5);
    }
    assertTrue(g.record(5) != null);
  }

  @Test
  void theLocalTrainerStopsAFiniteExplosion() {
    SplittableRandom rng = new SplittableRandom(3);
    int n = 600;
    float[] x = new float[n * 4];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      int c = rng.nextInt(3);
      y[i] = c;
      for (int j = 0; j < 4; j++) {
        x[i * 4 + j] = (float) ((j == c ? 2 : 0) + rng.nextGaussian());
      }
    }
    Dataset data = new Dataset(x, y, n, 4, 1);
    TrainConfig wild = new TrainConfig(50, 20, 1, new Updater(new Optimizers.Adam(1e6f)), 0, null);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new LocalTrainer(wild).fit(
        NetworkSpec.input(4).dense(16).relu().dense(3).softmax(), new Losses.CategoricalCrossEntropy(), data, null));
    assertTrue(e.getMessage().startsWith("training diverged: "), e.getMessage());
  }
}
