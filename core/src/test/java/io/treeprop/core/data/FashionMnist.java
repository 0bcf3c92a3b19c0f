package io.treeprop.core.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.train.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test fixture: Fashion-MNIST from Debian's {@code dataset-fashion-mnist}, pixels scaled to [0, 1]. */
public final class FashionMnist {
  public static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

  private FashionMnist() {}

  /** The 60,000 training images ({@code train = true}) or the 10,000 test images. */
  public static Dataset load(boolean train) throws IOException {
    String prefix = train ? "train" : "t10k";
    Path images = DIR.resolve(prefix + "-images-idx3-ubyte.gz");
    Path labels = DIR.resolve(prefix + "-labels-idx1-ubyte.gz");
    assertTrue(Files.exists(images) && Files.exists(labels), "Fashion-MNIST is missing under " + DIR
        + ": run `apt-get install -y dataset-fashion-mnist` (the README's test command does this via .ci/run)");
    IdxReader.IdxArray x = IdxReader.read(images);
    IdxReader.IdxArray y = IdxReader.read(labels);
    return new Dataset(x.toFloats(1f / 255), y.toFloats(1f), x.count(), x.itemSize(), 1);
  }
}
