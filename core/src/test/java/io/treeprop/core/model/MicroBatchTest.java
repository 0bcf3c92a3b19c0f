package io.treeprop.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import io.treeprop.core.tensor.Shape;
import io.treeprop.core.train.BatchStats;
import io.treeprop.core.train.Objective;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MicroBatchTest {
  private static final Network NET = NetworkSpec.input(6).dense(5).tanh().dense(3).softmax().compile();

  @Test
  void rowsFollowTheBudgetPerRowOfActivationsAndTheirGradients() {
    // 4 · (6 + 2·(5 + 3 + 3)) = 112 bytes per row: the tanh runs in place on the first dense layer's output
    assertEquals(112, MicroBatch.bytesPerRow(NET));
    assertEquals(10, new MicroBatch(112 * 10 + 111).rows(NET, 1000));
    assertEquals(7, new MicroBatch(112 * 10).rows(NET, 7));
    assertEquals(1, new MicroBatch(100).rows(NET, 1000));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MicroBatch(0));
    assertTrue(e.getMessage().contains("budgetBytes (0) must be positive"), e.getMessage());
  }

  @Test
  void statelessNetworksKeepTheirLargestOutputWithinTheCache() {
    // the small CNN: conv 32 3x3 on 28x28 puts out 32·26·26 = 21,632 floats per row; 1.5 MiB / 86,528 B = 18 rows
    NetworkSpec cnn = new NetworkSpec(Shape.image(1, 28, 28), List.of(new Conv2dSpec(32, 3),
        new LayerSpec.Activation(ActivationFunction.RELU), new PoolSpec.MaxPool2d(2), new PoolSpec.Flatten(),
        new LayerSpec.Dense(10)));
    Network net = cnn.compile();
    assertEquals(21_632, MicroBatch.largestOutput(net));
    assertEquals(18, MicroBatch.defaults().rows(net, 256));
    assertEquals(5, MicroBatch.defaults().rows(net, 5));
    // the same with batch norm: its statistics are the micro-batch's, so the memory budget alone decides
    Network bn = new NetworkSpec(Shape.image(1, 28, 28), List.of(new Conv2dSpec(32, 3), new BatchNormSpec(),
        new LayerSpec.Activation(ActivationFunction.RELU), new PoolSpec.MaxPool2d(2), new PoolSpec.Flatten(),
        new LayerSpec.Dense(10))).compile();
    long budgetRows = MicroBatch.DEFAULT_BUDGET_BYTES / MicroBatch.bytesPerRow(bn);
    assertTrue(budgetRows > 100, "budget rows " + budgetRows);
    assertEquals(budgetRows, MicroBatch.defaults().rows(bn, 10_000));
    // never fewer than MIN_CACHE_ROWS: 32 channels of 32x32 are 128 KiB per row, 12 rows in the cache (the budget
    // allows ~120)
    Network wide = new NetworkSpec(Shape.image(1, 32, 32), List.of(new Conv2dSpec(32, Size2.of(3), null,
        Padding.SAME, null, null), new PoolSpec.Flatten(), new LayerSpec.Dense(2))).compile();
    assertEquals(MicroBatch.MIN_CACHE_ROWS, MicroBatch.defaults().rows(wide, 256));
    // a dense network's batches up to 1,536 rows stay one pass
    Network mlp = NetworkSpec.input(784).dense(256).relu().dense(128).relu().dense(10).softmax().compile();
    assertEquals(1_536, MicroBatch.defaults().rows(mlp, 4096));
    assertEquals(1_024, MicroBatch.defaults().rows(mlp, 1_024));
  }

  @Test
  void rowsSplitIntoEqualMicroBatches() {
    // 128 rows, at most 123 per pass: two of 64, not 123 + 5
    assertEquals(2, MicroBatch.parts(128, 123));
    assertEquals(List.of(0, 64, 128), List.of(MicroBatch.start(128, 123, 0), MicroBatch.start(128, 123, 1),
        MicroBatch.start(128, 123, 2)));
    assertEquals(List.of(0, 3, 6, 10), List.of(MicroBatch.start(10, 4, 0), MicroBatch.start(10, 4, 1),
        MicroBatch.start(10, 4, 2), MicroBatch.start(10, 4, 3)));
    assertEquals(1, MicroBatch.parts(7, 7));
  }

  @Test
  void residualBlocksCountTheirInnerBuffers() {
    // block on [3]: inner dense 2 + tanh 2 (2·(2+2) = 8), sum before relu (2), projection output + dx (2 + 3);
    // the block's own output and gradient 2·2: 4·(3 + 4 + 8 + 2 + 5) = 88
    Network net = NetworkSpec.input(3).add(new ResidualSpec(List.of(new LayerSpec.Dense(2),
        new LayerSpec.Activation(ActivationFunction.TANH)), ActivationFunction.RELU)).compile();
    assertEquals(88, MicroBatch.bytesPerRow(net));
  }

  @Test
  void gradientOfMicroBatchesEqualsOnePassOverTheBatch() {
    int n = 10;
    SplittableRandom rng = new SplittableRandom(5);
    float[] x = new float[n * 6];
    float[] y = new float[n];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    for (int r = 0; r < n; r++) {
      y[r] = rng.nextInt(3);
    }
    Objective o = new Objective(NET, new Losses.CategoricalCrossEntropy());
    float[] params = NET.initParams(3);
    float[] whole = new float[params.length];
    Workspace ws = NET.newWorkspace(n, false);
    System.arraycopy(x, 0, ws.input(), 0, x.length);
    BatchStats s1 = new BatchStats();
    o.accumulateGradient(ws, params, new float[0], y, null, n, 0, whole, s1);

    int micro = new MicroBatch(MicroBatch.bytesPerRow(NET) * 3).rows(NET, n);
    assertEquals(3, micro);
    float[] parts = new float[params.length];
    BatchStats s2 = new BatchStats();
    Workspace small = NET.newWorkspace(micro, false);
    for (int k = 0; k < n; k += micro) {
      int m = Math.min(micro, n - k);
      System.arraycopy(x, k * 6, small.input(), 0, m * 6);
      float[] ym = new float[m];
      System.arraycopy(y, k, ym, 0, m);
      o.accumulateGradient(small, params, new float[0], ym, null, m, 0, parts, s2);
    }
    assertArrayEquals(whole, parts, 1e-5f);
    assertEquals(s1.lossSum, s2.lossSum, 1e-5);
  }
}
