package io.treeprop.core.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.ModelFiles;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.Dataset;
import io.treeprop.core.train.EarlyStopping;
import io.treeprop.core.train.LocalTrainer;
import io.treeprop.core.train.TrainConfig;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Dense networks keep training to the same numbers and old model files keep loading. The checksum and the model
 * directory {@code golden/dense-v1} were written by the version before the composable engine (issue 11); a change
 * to either means a refactoring changed the arithmetic or the file format. The checksum holds for the sgemm of
 * this project's machines (native OpenBLAS, one thread); another BLAS may round products differently.
 */
class GoldenDenseTest {
  /** CRC32 of the little-endian float bits of the parameters after {@link #train()}. */
  static final long WEIGHTS_CRC = 214332661L;

  static final NetworkSpec SPEC = NetworkSpec.input(5).dense(16).relu().dropout(0.2f).dense(8).tanh().dense(3)
      .softmax();

  static Dataset data(int n) {
    SplittableRandom rng = new SplittableRandom(11);
    float[] x = new float[5 * n];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 5; j++) {
        x[5 * i + j] = (float) rng.nextGaussian();
      }
      y[i] = x[5 * i] + x[5 * i + 1] > 0.5f ? 2 : x[5 * i + 2] > 0 ? 1 : 0;
    }
    return new Dataset(x, y, n, 5, 1);
  }

  static Model train() {
    TrainConfig cfg = new TrainConfig(4, 32, 1234, new Updater(new Optimizers.Adam()), 0.2,
        EarlyStopping.onValidationLoss(3));
    return new LocalTrainer(cfg).fit(SPEC, new Losses.CategoricalCrossEntropy(), data(300), null);
  }

  static long crc(float[] v) {
    CRC32 c = new CRC32();
    for (float f : v) {
      int b = Float.floatToRawIntBits(f);
      c.update(new byte[] {(byte) b, (byte) (b >>> 8), (byte) (b >>> 16), (byte) (b >>> 24)});
    }
    return c.getValue();
  }

  @Test
  void fixedSeedDenseRunIsBitIdenticalToTheGoldenChecksum() {
    assertEquals(WEIGHTS_CRC, crc(train().params()));
  }

  @Test
  void goldenModelFileLoadsAndPredictsTheSameNumbers() throws Exception {
    Model golden = ModelFiles.load(Path.of(getClass().getResource("/golden/dense-v1").toURI()));
    assertEquals(WEIGHTS_CRC, crc(golden.params()));
    Dataset d = data(20);
    assertArrayEquals(train().predict(d.x(), 20), golden.predict(d.x(), 20), 0f);
  }
}
