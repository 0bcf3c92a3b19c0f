package io.treeprop.jobs;

import io.treeprop.core.data.IdxReader;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.ModelFiles;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Schedule;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.tensor.Blas;
import io.treeprop.core.train.BatchStats;
import io.treeprop.core.train.Dataset;
import io.treeprop.core.train.Evaluation;
import io.treeprop.core.train.LocalTrainer;
import io.treeprop.core.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains and evaluates a 784-256-128-10 ReLU MLP on Fashion-MNIST in this JVM: the first thing to run on a new
 * machine.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
    description = "Train a 784-256-128-10 MLP on Fashion-MNIST and print its test accuracy.")
final class QuickstartCommand implements Callable<Integer> {
  static final Path DEFAULT_DATA = Path.of("/usr/share/datasets/fashion-mnist");
  private static final String[] CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
      "Sneaker", "Bag", "Ankle boot"};

  @Option(names = "--data", description = "Folder with the four Fashion-MNIST .gz files (default: ${DEFAULT-VALUE}).")
  Path data = DEFAULT_DATA;

  @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs = 10;

  @Option(names = "--batch-size", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
  int batchSize = 128;

  @Option(names = "--seed", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--output", description = "Where to save the model (default: ${DEFAULT-VALUE}).")
  Path output = Path.of("models/fashion-mnist-mlp");

  @Override
  public Integer call() throws Exception {
    Path trainImages = data.resolve("train-images-idx3-ubyte.gz");
    if (!Files.exists(trainImages)) {
      System.err.println("treeprop: Fashion-MNIST not found in " + data + ". Install it with:\n"
          + "  sudo apt-get install -y dataset-fashion-mnist\n"
          + "or pass --data DIR with train-/t10k-{images-idx3,labels-idx1}-ubyte.gz");
      return 2;
    }
    System.out.println("BLAS: " + Blas.implementation());
    Dataset train = load("train");
    Dataset test = load("t10k");
    System.out.printf("data: %,d training and %,d test images from %s%n", train.rows(), test.rows(), data);
    NetworkSpec spec = NetworkSpec.input(784).dense(256).relu().dense(128).relu().dense(10).softmax();
    long steps = (long) epochs * ((train.rows() + batchSize - 1) / batchSize);
    Updater updater = new Updater(new Optimizers.Adam(1e-3f), new Schedule.Cosine(steps, 0), 0, false, 0);
    TrainConfig cfg = new TrainConfig(epochs, batchSize, seed, updater, 0, null);
    Model model = new LocalTrainer(cfg, m -> System.out.printf(
        "epoch %2d/%d  loss %.4f  train acc %.4f  %5.1f s  %,7.0f samples/s%n", m.epoch(), epochs, m.trainLoss(),
        m.trainAccuracy(), m.seconds(), train.rows() / m.seconds()))
        .fit(spec, new Losses.CategoricalCrossEntropy(), train, null);
    model = new Model(model.spec(), model.params(), model.state(), model.loss(), java.util.List.of(CLASSES),
        model.summary(), model.metadata());
    BatchStats s = Evaluation.evaluate(model, test);
    ModelFiles.save(model, output, true);
    System.out.printf("test accuracy %.4f (loss %.4f) on %,d images after %d epochs in %.1f s%n", s.accuracy(),
        s.meanLoss(), test.rows(), epochs, model.summary().seconds());
    System.out.println("model saved to " + output.toAbsolutePath());
    return 0;
  }

  private Dataset load(String prefix) throws java.io.IOException {
    IdxReader.IdxArray x = IdxReader.read(data.resolve(prefix + "-images-idx3-ubyte.gz"));
    IdxReader.IdxArray y = IdxReader.read(data.resolve(prefix + "-labels-idx1-ubyte.gz"));
    if (x.count() != y.count()) {
      throw new IllegalArgumentException(prefix + ": " + x.count() + " images but " + y.count() + " labels");
    }
    return new Dataset(x.toFloats(1f / 255), y.toFloats(1f), x.count(), x.itemSize(), 1);
  }
}
