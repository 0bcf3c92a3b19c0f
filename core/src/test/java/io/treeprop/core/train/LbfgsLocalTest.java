package io.treeprop.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.layer.ActivationFunction;
import io.treeprop.core.layer.LayerSpec;
import io.treeprop.core.layer.ResidualSpec;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Lbfgs;
import io.treeprop.core.optim.Schedule;
import io.treeprop.core.optim.Updater;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The local trainer with {@code lbfgs}: one full-batch iteration per epoch. */
class LbfgsLocalTest {
  private static final int N = 500;
  private static final int D = 4;

  /** y = Xβ + c + noise. */
  private static Dataset linearData() {
    SplittableRandom rng = new SplittableRandom(5);
    float[] x = new float[N * D];
    float[] y = new float[N];
    double[] beta = {1.5, -2, 0.5, 3};
    for (int r = 0; r < N; r++) {
      double t = 0.7;
      for (int j = 0; j < D; j++) {
        x[r * D + j] = (float) rng.nextDouble(-1, 1);
        t += beta[j] * x[r * D + j];
      }
      y[r] = (float) (t + 0.3 * rng.nextGaussian());
    }
    return new Dataset(x, y, N, D, 1);
  }

  /** The least-squares fit with intercept, from the normal equations in double (Gauss–Jordan). */
  private static double[] ordinaryLeastSquares(Dataset d) {
    int k = D + 1;
    double[][] m = new double[k][k + 1];
    for (int r = 0; r < N; r++) {
      double[] row = new double[k];
      for (int j = 0; j < D; j++) {
        row[j] = d.x()[r * D + j];
      }
      row[D] = 1;
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          m[i][j] += row[i] * row[j];
        }
        m[i][k] += row[i] * d.y()[r];
      }
    }
    for (int c = 0; c < k; c++) {
      for (int r = 0; r < k; r++) {
        if (r != c) {
          double f = m[r][c] / m[c][c];
          for (int j = c; j <= k; j++) {
            m[r][j] -= f * m[c][j];
          }
        }
      }
    }
    double[] beta = new double[k];
    for (int i = 0; i < k; i++) {
      beta[i] = m[i][k] / m[i][i];
    }
    return beta;
  }

  private static TrainConfig lbfgs(int iterations, double tolerance) {
    return new TrainConfig(iterations, TrainConfig.DEFAULT_BATCH_SIZE, 3, new Updater(new Lbfgs(10, tolerance)), 0,
        null);
  }

  @Test
  void linearRegressionReachesTheLeastSquaresSolutionAndStopsWhenConverged() {
    Dataset data = linearData();
    double[] ols = ordinaryLeastSquares(data);
    Model m = new LocalTrainer(lbfgs(100, Lbfgs.DEFAULT_TOLERANCE)).fit(NetworkSpec.input(D).dense(1),
        new Losses.Mse(), data, null);
    float[] probe = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0};
    float[] p = m.predict(probe, 5);
    for (int j = 0; j < D; j++) {
      assertEquals(ols[j] + ols[D], p[j], 1e-4, "prediction at unit vector " + j);
    }
    assertEquals(ols[D], p[D], 1e-4, "intercept");
    String stop = m.summary().stopReason();
    assertTrue(stop.startsWith("converged"), stop);
    int iterations = m.summary().epochs().size();
    assertTrue(iterations < 30, iterations + " iterations");
    assertEquals(iterations, m.summary().steps(), "one step per epoch");
    // the loss reported per epoch never rises: every accepted step lowers it
    List<Double> losses = m.summary().epochs().stream().map(e -> e.trainLoss()).toList();
    for (int i = 1; i < losses.size(); i++) {
      assertTrue(losses.get(i) <= losses.get(i - 1), "epoch " + (i + 1) + ": " + losses);
    }
  }

  @Test
  void l2IsPartOfTheObjectiveAndShrinksTheWeightsAsRidgeRegressionDoes() {
    Dataset data = linearData();
    Updater ridge = new Updater(new Lbfgs(10, 1e-10), new Schedule.Constant(), 0.5f, false, 0f);
    Model m = new LocalTrainer(lbfgs(100, 1e-10).withUpdater(ridge))
        .fit(NetworkSpec.input(D).dense(1), new Losses.Mse(), data, null);
    Model plain = new LocalTrainer(lbfgs(100, 1e-10))
        .fit(NetworkSpec.input(D).dense(1), new Losses.Mse(), data, null);
    // at the minimum of mean loss + ½λ‖W‖², the data gradient balances λW exactly: check it row by row
    float[] w = m.params();
    double[] grad = new double[D];
    float[] pred = m.predict(data.x(), N);
    double lossScale = 2.0 / N; // d/dŷ of the mean of (ŷ − y)²
    for (int r = 0; r < N; r++) {
      for (int j = 0; j < D; j++) {
        grad[j] += lossScale * (pred[r] - data.y()[r]) * data.x()[r * D + j];
      }
    }
    for (int j = 0; j < D; j++) {
      assertEquals(-0.5 * w[j], grad[j], 2e-4, "stationarity of weight " + j);
      assertTrue(Math.abs(w[j]) < Math.abs(plain.params()[j]), "ridge shrinks weight " + j);
    }
  }

  @Test
  void refusesDropoutAndNoiseLayersNamingThem() {
    Dataset data = linearData();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LocalTrainer(lbfgs(5, 1e-6)).fit(NetworkSpec.input(D).dense(8).relu().dropout(0.2f).dense(1),
            new Losses.Mse(), data, null));
    assertTrue(e.getMessage().startsWith("network.layers[2] is a dropout layer"), e.getMessage());
    NetworkSpec nested = NetworkSpec.input(D).dense(8).add(new ResidualSpec(List.of(new LayerSpec.Dense(8, null,
        null), new LayerSpec.Noise(io.treeprop.core.layer.NoiseLayer.Kind.GAUSSIAN, 0.1f)),
        ActivationFunction.RELU)).dense(1);
    IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
        () -> new LocalTrainer(lbfgs(5, 1e-6)).fit(nested, new Losses.Mse(), data, null));
    assertTrue(n.getMessage().startsWith("network.layers[1].layers[1] is a noise layer"), n.getMessage());
  }

  @Test
  void refusesAScheduleWhichTheLineSearchReplaces() {
    Updater cosine = new Updater(new Lbfgs(), new Schedule.Cosine(100, 0), 0f, false, 0f);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LocalTrainer(lbfgs(5, 1e-6).withUpdater(cosine)).fit(NetworkSpec.input(D).dense(1),
            new Losses.Mse(), linearData(), null));
    assertTrue(e.getMessage().contains("does not apply to lbfgs"), e.getMessage());
  }

  @Test
  void batchSizeDoesNotChangeTheRun() {
    Dataset data = linearData();
    NetworkSpec spec = NetworkSpec.input(D).dense(6).tanh().dense(1);
    Model a = new LocalTrainer(lbfgs(8, 0).withBatchSize(7)).fit(spec, new Losses.Mse(), data, null);
    Model b = new LocalTrainer(lbfgs(8, 0).withBatchSize(100_000)).fit(spec, new Losses.Mse(), data, null);
    org.junit.jupiter.api.Assertions.assertArrayEquals(a.params(), b.params());
  }
}
