package io.treeprop.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.data.FashionMnist;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Schedule;
import io.treeprop.core.optim.Updater;
import org.junit.jupiter.api.Test;

/**
 * The local trainer on real data: a 784-256-128-10 ReLU MLP on Fashion-MNIST reaches at least 0.88 test accuracy
 * within 10 epochs. Takes about 10 s on 2 cores with native OpenBLAS (~60,000 samples/s).
 */
class FashionMnistLocalTest {
  @Test
  void reluMlpReaches88PercentTestAccuracyWithin10Epochs() throws Exception {
    Dataset train = FashionMnist.load(true);
    Dataset test = FashionMnist.load(false);
    assertEquals(60_000, train.rows());
    assertEquals(10_000, test.rows());
    NetworkSpec spec = NetworkSpec.input(784).dense(256).relu().dense(128).relu().dense(10).softmax();
    // Adam with cosine decay to 0 over the 10 epochs: at a constant rate the last epochs bounce around the
    // minimum (0.883-0.889 over seeds 1-3); annealed, seeds 1-3 land at 0.893-0.896.
    long steps = 10L * ((train.rows() + 127) / 128);
    Updater updater = new Updater(new Optimizers.Adam(1e-3f), new Schedule.Cosine(steps, 0), 0, false, 0);
    TrainConfig cfg = new TrainConfig(10, 128, 42, updater, 0, null);
    long t0 = System.nanoTime();
    Model m = new LocalTrainer(cfg).fit(spec, new Losses.CategoricalCrossEntropy(), train, null);
    double seconds = (System.nanoTime() - t0) / 1e9;
    BatchStats s = Evaluation.evaluate(m, test);
    System.out.printf("Fashion-MNIST local: test accuracy %.4f, test loss %.4f, 10 epochs in %.1f s%n",
        s.accuracy(), s.meanLoss(), seconds);
    assertTrue(s.accuracy() >= 0.88, "test accuracy " + s.accuracy());
    assertEquals(10, m.summary().epochs().size());
  }
}
