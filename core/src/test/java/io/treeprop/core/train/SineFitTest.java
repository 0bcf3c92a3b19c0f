package io.treeprop.core.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Schedule;
import io.treeprop.core.optim.Updater;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Universal approximation in one dimension: a ReLU MLP fits sin(x) on [−π, π]. */
class SineFitTest {
  @Test
  void reluMlpFitsSineOnHeldOutPoints() {
    int n = 2000;
    SplittableRandom rng = new SplittableRandom(2);
    float[] x = new float[n];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) rng.nextDouble(-Math.PI, Math.PI);
      y[i] = (float) Math.sin(x[i]);
    }
    int epochs = 150;
    int batch = 64;
    long steps = (long) epochs * ((n + batch - 1) / batch);
    Updater updater = new Updater(new Optimizers.Adam(0.01f), new Schedule.Cosine(steps, 1e-4), 0f, false, 0f);
    Model m = new LocalTrainer(new TrainConfig(epochs, batch, 9, updater, 0, null))
        .fit(NetworkSpec.input(1).dense(32).relu().dense(32).relu().dense(1), new Losses.Mse(),
            new Dataset(x, y, n, 1, 1), null);
    // held out: an even grid, mostly points never seen in training
    int g = 1001;
    float[] grid = new float[g];
    for (int i = 0; i < g; i++) {
      grid[i] = (float) (-Math.PI + 2 * Math.PI * i / (g - 1));
    }
    float[] p = m.predict(grid, g);
    double sq = 0;
    double max = 0;
    for (int i = 0; i < g; i++) {
      double e = p[i] - Math.sin(grid[i]);
      sq += e * e;
      max = Math.max(max, Math.abs(e));
    }
    double rmse = Math.sqrt(sq / g);
    assertTrue(rmse < 0.02, "RMSE on the grid " + rmse);
    assertTrue(max < 0.1, "max error on the grid " + max);
  }
}
