package io.treeprop.bench;

import io.treeprop.core.data.IdxReader;
import io.treeprop.core.layer.ActivationFunction;
import io.treeprop.core.layer.Conv2dSpec;
import io.treeprop.core.layer.LayerSpec;
import io.treeprop.core.layer.PoolSpec;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Schedule;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.tensor.Shape;
import io.treeprop.core.train.BatchStats;
import io.treeprop.core.train.Dataset;
import io.treeprop.core.train.Evaluation;
import io.treeprop.core.train.LocalTrainer;
import io.treeprop.core.train.TrainConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * The README's longer CNN run: the small CNN (conv 32 3×3 → max pool 2 → conv 64 3×3 → max pool 2 → dense 128 →
 * 10) on all 60,000 Fashion-MNIST training images with the local trainer (Adam 1e-3 with cosine decay, batch 128,
 * seed 42), then the test accuracy. Needs Debian's {@code dataset-fashion-mnist}.
 *
 * <p>Run: {@code java --add-modules=jdk.incubator.vector -cp benchmarks/target/benchmarks.jar
 * io.treeprop.bench.FashionMnistCnn [epochs, default 10]}.
 */
public final class FashionMnistCnn {
  private FashionMnistCnn() {}

  static Dataset load(String prefix) throws Exception {
    Path dir = Path.of("/usr/share/datasets/fashion-mnist");
    IdxReader.IdxArray x = IdxReader.read(dir.resolve(prefix + "-images-idx3-ubyte.gz"));
    IdxReader.IdxArray y = IdxReader.read(dir.resolve(prefix + "-labels-idx1-ubyte.gz"));
    return new Dataset(x.toFloats(1f / 255), y.toFloats(1f), x.count(), x.itemSize(), 1);
  }

  public static void main(String[] args) throws Exception {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Dataset train = load("train");
    Dataset test = load("t10k");
    LayerSpec relu = new LayerSpec.Activation(ActivationFunction.RELU);
    NetworkSpec cnn = new NetworkSpec(Shape.image(1, 28, 28), List.of(new Conv2dSpec(32, 3), relu,
        new PoolSpec.MaxPool2d(2), new Conv2dSpec(64, 3), relu, new PoolSpec.MaxPool2d(2), new PoolSpec.Flatten(),
        new LayerSpec.Dense(128), relu, new LayerSpec.Dense(10), new LayerSpec.Activation(ActivationFunction.SOFTMAX)));
    long steps = (long) epochs * ((train.rows() + 127) / 128);
    Updater updater = new Updater(new Optimizers.Adam(1e-3f), new Schedule.Cosine(steps, 0), 0, false, 0);
    long t0 = System.nanoTime();
    Model m = new LocalTrainer(new TrainConfig(epochs, 128, 42, updater, 0, null))
        .fit(cnn, new Losses.CategoricalCrossEntropy(), train, null);
    double seconds = (System.nanoTime() - t0) / 1e9;
    BatchStats s = Evaluation.evaluate(m, test);
    System.out.printf("small CNN, %d epochs: test accuracy %.4f, test loss %.4f, training %.0f s (%.0f samples/s)%n",
        epochs, s.accuracy(), s.meanLoss(), seconds, epochs * (double) train.rows() / seconds);
  }
}
