package io.treeprop.jobs.config;

import static io.treeprop.jobs.config.ConfigFixtures.ROOT;
import static io.treeprop.jobs.config.ConfigFixtures.example;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.layer.ActivationFunction;
import io.treeprop.core.layer.LayerSpec;
import io.treeprop.core.loss.Loss;
import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Schedule;
import io.treeprop.core.train.EarlyStopping;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.jobs.data.SourceSpec;
import io.treeprop.spark.train.CheckpointConfig;
import io.treeprop.spark.train.SparkTrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example configs in conf/ parse into exactly the jobs they describe. */
class ExampleConfigsTest {
  private static final String FMNIST = "/usr/share/datasets/fashion-mnist/";

  @Test
  void fashionMnistIsTheQuickstartMlp() {
    JobConfig c = example("fashion-mnist-mlp.conf");
    assertEquals(SourceSpec.idx(FMNIST + "train-images-idx3-ubyte.gz", FMNIST + "train-labels-idx1-ubyte.gz"),
        c.data().train());
    assertEquals(SourceSpec.idx(FMNIST + "t10k-images-idx3-ubyte.gz", FMNIST + "t10k-labels-idx1-ubyte.gz"),
        c.data().test());
    assertNull(c.data().validation());
    assertEquals(new ScalingSpec.Factor(1 / 255.0), c.data().scaling());
    assertEquals(10, c.data().classNames().size());
    assertEquals("Shirt", c.data().classNames().get(6));
    assertEquals("Ankle boot", c.data().classNames().get(9));
    assertEquals(NetworkSpec.input(784).dense(256).relu().dense(128).relu().dense(10).softmax(), c.network(784));
    assertEquals(new Losses.CategoricalCrossEntropy(), c.model().loss());
    assertEquals(Loss.Task.MULTICLASS, c.model().task());
    assertEquals(new Optimizers.Adam(2e-3f), c.training().optimizer());
    assertEquals(new ScheduleSpec.CosineOverRun(0, 0), c.training().schedule());
    assertEquals(List.of(10, 256, 42L), List.of(c.training().epochs(), c.training().batchSize(), c.training().seed()));
    assertNull(c.training().earlyStopping());
    assertEquals(new OutputSection("out/fashion-mnist/model", "out/fashion-mnist/report",
        "out/fashion-mnist/metrics.jsonl", false), c.output());
    for (String f : List.of(c.data().train().path(), c.data().train().labelPath(), c.data().test().path())) {
      assertTrue(Files.isRegularFile(Path.of(f)), f + " (install dataset-fashion-mnist)");
    }
  }

  /**
   * The CNN and residual examples take the MLP example's data, scaling, class names and optimizer by include, the
   * input shape from the IDX images, and compile to the networks their comments describe.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
      "fashion-mnist-cnn.conf, fashion-mnist-cnn, 421834, 2, 1",
      "fashion-mnist-resnet.conf, fashion-mnist-resnet, 108522, 7, 1"})
  void fashionMnistCnnExamplesIncludeTheMlpsDataAndCompile(String file, String out, int params, int batchNorms,
      int dropouts) {
    JobConfig c = example(file);
    JobConfig mlp = example("fashion-mnist-mlp.conf");
    assertEquals(mlp.data(), c.data());
    assertEquals(mlp.training().optimizer(), c.training().optimizer());
    assertEquals(mlp.training().schedule(), c.training().schedule());
    assertEquals(List.of(12, 128, 42L), List.of(c.training().epochs(), c.training().batchSize(), c.training().seed()));
    NetworkSpec spec = c.network(784, io.treeprop.core.tensor.Shape.image(1, 28, 28));
    assertEquals(io.treeprop.core.tensor.Shape.image(1, 28, 28), spec.input());
    io.treeprop.core.model.Network net = spec.compile();
    assertEquals(params, net.initParams(1).length, "parameter count");
    assertEquals(io.treeprop.core.tensor.Shape.vector(10), net.outputShape());
    String json = io.treeprop.core.model.Json.writeCompact(spec);
    assertEquals(batchNorms, json.split("\"batch_norm\"", -1).length - 1, json);
    assertEquals(dropouts, json.split("\"dropout\"", -1).length - 1, json);
    assertEquals(new OutputSection("out/" + out + "/model", "out/" + out + "/report", "out/" + out + "/metrics.jsonl",
        false), c.output());
  }

  @Test
  void fashionMnistCosineSpansTheWholeRun() {
    TrainConfig t = example("fashion-mnist-mlp.conf").toTrainConfig(60_000);
    // ceil(60000 / 256) = 235 steps per epoch, 10 epochs: the README's Schedule.Cosine(2350, 0)
    assertEquals(new Schedule.Cosine(2350, 0), t.updater().schedule());
    assertEquals(new Optimizers.Adam(2e-3f), t.updater().optimizer());
    assertEquals(0.0, t.validationFraction());
  }

  @Test
  void regressionIsAStandardizedCsvJobWithHuberLoss() {
    JobConfig c = example("regression.conf");
    assertEquals(SourceSpec.csv("conf/data/regression.csv", "y", List.of("x1", "x2", "x3", "x4"), true, ","),
        c.data().train());
    assertEquals(0.2, c.data().validationFraction());
    assertEquals(new ScalingSpec.Standardize(), c.data().scaling());
    assertEquals(new Losses.SmoothL1(1f), c.model().loss());
    assertEquals(Loss.Task.REGRESSION, c.model().task());
    assertEquals(NetworkSpec.input(4).dense(32).tanh().dense(32).tanh().dense(1), c.network(4));
    assertEquals(new EarlyStopping(EarlyStopping.Monitor.VALIDATION_LOSS, 20, 0, true), c.training().earlyStopping());
    assertEquals(Map.of("spark.sql.shuffle.partitions", "4"), c.spark().conf());
    assertNull(c.spark().master());
    // 300 rows, 20 % held out: 240 training rows, ceil(240 / 32) = 8 steps, 200 epochs
    assertEquals(new Schedule.Cosine(1600, 0), c.toTrainConfig(300).updater().schedule());
  }

  @Test
  void binaryIsOneSigmoidOutputWithBinaryCrossEntropy() {
    JobConfig c = example("binary.conf");
    assertEquals(SourceSpec.libsvm("conf/data/binary-train.libsvm", 2), c.data().train());
    assertEquals(SourceSpec.libsvm("conf/data/binary-test.libsvm", 2), c.data().test());
    assertEquals(new Losses.BinaryCrossEntropy(), c.model().loss());
    assertEquals(Loss.Task.BINARY, c.model().task());
    List<LayerSpec> layers = c.model().layers();
    assertEquals(new LayerSpec.Dense(1), layers.get(layers.size() - 2));
    assertEquals(new LayerSpec.Activation(ActivationFunction.SIGMOID), layers.get(layers.size() - 1));
    assertEquals(new ScheduleSpec.CosineOverRun(1e-4, 20), c.training().schedule());
    assertEquals(1e-4f, c.training().l2());
    assertEquals(EarlyStopping.onValidationLoss(10), c.training().earlyStopping());

    SparkTrainConfig s = c.toSparkTrainConfig(400);
    // 400 rows, 20 % held out: 320, ceil(320 / 32) = 10 steps, 100 epochs; 20 of the 1000 warm up
    assertEquals(new Schedule.Warmup(20, new Schedule.Cosine(980, 1e-4)), s.train().updater().schedule());
    assertEquals(new CheckpointConfig("out/binary/checkpoints", 0, true, 2), s.checkpoints());
    assertTrue(s.resume());
    assertEquals(7L, s.train().seed());
  }

  @Test
  void fashionMnistConvAutoencoderIsADenoisingAutoencoderWithAConvBottleneck() {
    JobConfig c = example("fashion-mnist-conv-autoencoder.conf");
    assertTrue(c.model().reconstruction());
    assertEquals(SourceSpec.idx(FMNIST + "train-images-idx3-ubyte.gz", null), c.data().train());
    assertEquals(SourceSpec.idx(FMNIST + "t10k-images-idx3-ubyte.gz", null), c.data().test());
    assertEquals(new Losses.Mse(), c.model().loss());
    assertEquals(new LayerSpec.Noise(io.treeprop.core.layer.NoiseLayer.Kind.GAUSSIAN, 0.2f),
        c.model().layers().get(0));
    NetworkSpec n = c.network(784, io.treeprop.core.tensor.Shape.image(1, 28, 28));
    var net = n.compile();
    assertEquals(io.treeprop.core.tensor.Shape.image(1, 28, 28), net.outputShape());
    assertEquals(io.treeprop.core.tensor.Shape.image(4, 7, 7), net.layers().get(c.model().encodingLayer())
        .outputShape());
    assertEquals(5, c.training().epochs());
  }

  @Test
  void binaryTuneIsSixCrossValidatedTrialsOfTheBinaryJob() {
    TuneConfig t = TuneConfig.load(ROOT.resolve("conf/binary-tune.conf").toString(), List.of(),
        new org.apache.hadoop.conf.Configuration());
    assertEquals(List.of("model.layers", "training.optimizer.learningRate"), t.keys());
    assertEquals(6, t.trials().size());
    assertEquals(3, t.folds());
    assertEquals(TuneSection.Metric.ACCURACY, t.metric());
    assertTrue(t.maximize());
    assertTrue(t.tune().trainBest());
    assertEquals("out/binary/tune", t.dir());
    JobConfig binary = example("binary.conf");
    // the grid's last key varies fastest: trial 2 is the narrow network at the middle rate
    JobConfig second = t.trials().get(1).job();
    assertEquals(new Optimizers.Adam(0.01f), second.training().optimizer());
    assertEquals(new LayerSpec.Dense(8), second.model().layers().get(0));
    assertEquals(6, t.trials().get(5).job().model().layers().size());
    assertEquals(4, second.model().layers().size());
    // everything the grid does not name is binary.conf's
    assertEquals(binary.data(), second.data());
    assertEquals(binary.output(), second.output());
    assertEquals(binary.training().earlyStopping(), second.training().earlyStopping());
    assertEquals(binary.model().loss(), second.model().loss());
  }

  @Test
  void sampleDataFilesExistWhereTheExamplesPointAndAreTiny() throws Exception {
    for (String name : List.of("regression.conf", "binary.conf")) {
      JobConfig c = example(name);
      for (SourceSpec s : new SourceSpec[] {c.data().train(), c.data().test()}) {
        if (s != null) {
          Path p = ROOT.resolve(s.path());
          assertTrue(Files.isRegularFile(p), p.toString());
          long lines = Files.readAllLines(p).size();
          assertTrue(lines >= 100 && lines <= 500, p + " has " + lines + " lines");
        }
      }
    }
  }
}
