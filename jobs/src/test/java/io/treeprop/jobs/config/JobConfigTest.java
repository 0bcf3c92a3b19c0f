package io.treeprop.jobs.config;

import static io.treeprop.jobs.config.ConfigFixtures.example;
import static io.treeprop.jobs.config.ConfigFixtures.minimal;
import static io.treeprop.jobs.config.ConfigFixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Schedule;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.EarlyStopping;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.jobs.data.SourceSpec;
import io.treeprop.spark.train.Exchange;
import io.treeprop.spark.train.SparkTrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Defaults, overrides, rendering and the conversion to core and Spark training configs. */
class JobConfigTest {
  /** Every key set, none at its default. */
  private static final String EVERYTHING = """
      data {
        train { format = parquet, path = "hdfs://nn/train", labelColumn = y, featuresColumn = v }
        test { format = csv, path = "t.csv", labelColumn = _c0, delimiter = ";" }
        validation { format = libsvm, path = "v.txt", numFeatures = 7 }
        scaling = standardize
      }
      model {
        input = [1, 2, 2]
        layers = [
          { type = dense, units = 8, bias = false, init { type = he_uniform } }
          { type = activation, function = leaky_relu, alpha = 0.2 }
          { type = dropout, rate = 0.25 }, { type = noise, kind = masking, amount = 0.1 }
          { type = dense, units = 3 }, { type = activation, function = softmax }
        ]
        loss { type = margin, margin = 2 }
      }
      training {
        epochs = 3, batchSize = 64, seed = -9
        optimizer { type = adamw, learningRate = 3e-4, weightDecay = 0.05 }
        schedule { type = step, every = 100, gamma = 0.5 }
        l2 = 1e-5, decayBiases = true, clipNorm = 5
        earlyStopping { monitor = validation_accuracy, patience = 4, minDelta = 0.001, restoreBest = false }
        partitions = 16, treeDepth = 3, exchange = tree
        checkpoints { dir = "s3a://b/ck", everySteps = 500, everyEpoch = false, keepLast = 5, resume = false }
      }
      output { model = "hdfs://nn/m", report = "r", metrics = "m.jsonl", overwrite = true }
      spark { master = "spark://h:7077", conf { spark.executor.memory = 4g, "spark.task.cpus" = 2 } }
      """;

  @Test
  void omittedKeysTakeTheDocumentedDefaults() {
    JobConfig c = minimal("");
    TrainingSection t = c.training();
    assertEquals(TrainingSection.defaults(), t);
    assertEquals(List.of(TrainingSection.DEFAULT_EPOCHS, TrainingSection.DEFAULT_BATCH_SIZE, TrainingSection.DEFAULT_SEED),
        List.of(t.epochs(), t.batchSize(), t.seed()));
    assertEquals(List.of(10, 128, 42L), List.of(t.epochs(), t.batchSize(), t.seed()));
    assertEquals(new Optimizers.Adam(Optimizers.DEFAULT_ADAPTIVE_LR), t.optimizer());
    assertEquals(new ScheduleSpec.Fixed(new Schedule.Constant()), t.schedule());
    assertEquals(List.of(0f, 0f), List.of(t.l2(), t.clipNorm()));
    assertFalse(t.decayBiases());
    assertNull(t.earlyStopping());
    assertNull(t.checkpoints());
    assertFalse(t.resume());
    assertEquals(List.of(0, 2), List.of(t.partitions(), t.treeDepth()));
    assertEquals(Exchange.AUTO, t.exchange());
    assertEquals(DataSection.DEFAULT_SCALING, c.data().scaling());
    assertEquals(new ScalingSpec.None(), c.data().scaling());
    assertEquals(0.0, c.data().validationFraction());
    assertNull(c.data().test());
    assertNull(c.model().input());
    assertFalse(c.output().overwrite());
    assertNull(c.output().report());
    assertEquals(SparkSection.defaults(), c.spark());
    assertNull(c.spark().master());
    assertEquals(SourceSpec.DEFAULT_DELIMITER, c.data().train().delimiter());
  }

  @Test
  void omittedKeysOfEarlyStoppingAndCheckpointsTakeTheirDefaults() {
    JobConfig c = minimal("data.validationFraction = 0.1\ntraining.earlyStopping {}\ntraining.checkpoints.dir = c");
    assertEquals(new EarlyStopping(TrainingSection.DEFAULT_MONITOR, TrainingSection.DEFAULT_PATIENCE,
        TrainingSection.DEFAULT_MIN_DELTA, TrainingSection.DEFAULT_RESTORE_BEST), c.training().earlyStopping());
    assertEquals(EarlyStopping.onValidationLoss(3), c.training().earlyStopping());
    SparkTrainConfig s = c.toSparkTrainConfig(1000);
    assertEquals(TrainingSection.DEFAULT_EVERY_STEPS, s.checkpoints().everySteps());
    assertEquals(TrainingSection.DEFAULT_EVERY_EPOCH, s.checkpoints().everyEpoch());
    assertEquals(TrainingSection.DEFAULT_KEEP_LAST, s.checkpoints().keepLast());
    assertEquals(TrainingSection.DEFAULT_RESUME, s.resume());
    assertTrue(s.resume());
  }

  @Test
  void overridesWinOverTheFileInOrder() {
    JobConfig c = example("fashion-mnist-mlp.conf", "training.epochs=3", "training.optimizer.learningRate=0.01",
        "training.epochs=4", "data.test=null", "output.overwrite=true");
    assertEquals(4, c.training().epochs());
    assertEquals(new Optimizers.Adam(0.01f), c.training().optimizer());
    assertNull(c.data().test());
    assertTrue(c.output().overwrite());
    assertEquals(256, c.training().batchSize());
  }

  @Test
  void aBareNameOverrideReplacesTheWholeObject() {
    JobConfig c = example("fashion-mnist-mlp.conf", "training.optimizer=sgd", "training.schedule=constant");
    assertEquals(new Optimizers.Sgd(Optimizers.DEFAULT_SGD_LR), c.training().optimizer());
    assertEquals(new ScheduleSpec.Fixed(new Schedule.Constant()), c.training().schedule());
  }

  @Test
  void anOverrideCanAdjustAShorthandOrTheDefaultOptimizer() {
    assertEquals(new Optimizers.Momentum(0.05f, 0.8f), minimal("training.optimizer = momentum",
        "training.optimizer.learningRate=0.05", "training.optimizer.momentum=0.8").training().optimizer());
    assertEquals(new Optimizers.Adam(0.05f), minimal("", "training.optimizer.learningRate=0.05").training().optimizer());
    assertEquals(new io.treeprop.core.optim.Lbfgs(5, 1e-7), minimal("training.optimizer { type = lbfgs, "
        + "historySize = 5, tolerance = 1e-7 }").training().optimizer());
    assertEquals(new io.treeprop.core.optim.Lbfgs(), minimal("training.optimizer = lbfgs").training().optimizer());
    assertEquals(new ScheduleSpec.CosineOverRun(0.001, 0),
        minimal("training.schedule = cosine", "training.schedule.minRate=0.001").training().schedule());
  }

  @Test
  void overrideValuesNeedNoQuotingForPathsAndMasters() {
    JobConfig c = minimal("", "output.model=hdfs://nn:8020/models/a b", "spark.master=local[4]",
        "spark.conf.\"spark.executor.memory\"=4g", "data.train.featureColumns=[a, b]", "training.seed=-3",
        "model.loss={type: smooth_l1, delta: 2}");
    assertEquals("hdfs://nn:8020/models/a b", c.output().model());
    assertEquals("local[4]", c.spark().master());
    assertEquals(Map.of("spark.executor.memory", "4g"), c.spark().conf());
    assertEquals(List.of("a", "b"), c.data().train().featureColumns());
    assertEquals(-3L, c.training().seed());
  }

  @Test
  void quotedNumbersAreNumbersAsWithEnvironmentSubstitutions() {
    JobConfig c = minimal("training { epochs = \"7\", l2 = \"0.5\" }\nmodel.layers = [{type = dense, units = \"2\"}]");
    assertEquals(7, c.training().epochs());
    assertEquals(0.5f, c.training().l2());
    assertEquals(2, c.network(3).compile().outputShape().size());
  }

  @Test
  void optionalSubstitutionsFallBackToTheFile() {
    assertEquals(5, minimal("training.epochs = 5\ntraining.epochs = ${?TREEPROP_SURELY_UNSET_VARIABLE}")
        .training().epochs());
  }

  @Test
  void everyKeySetRendersAndParsesBackEqual() {
    JobConfig c = parse(EVERYTHING);
    assertEquals(c, parse(c.render()));
    assertEquals(new Optimizers.AdamW(3e-4f, Optimizers.DEFAULT_BETA1, Optimizers.DEFAULT_BETA2,
        Optimizers.DEFAULT_EPS, 0.05f), c.training().optimizer());
    assertEquals(Map.of("spark.executor.memory", "4g", "spark.task.cpus", "2"), c.spark().conf());
    assertEquals(4, c.network(4).input().size());
    assertNotEquals(c, parse(c.render(), "training.epochs=4"));
  }

  @Test
  void anLbfgsJobRendersWithoutTheBatchSizeItRefusesAndParsesBackEqual() {
    JobConfig c = minimal("training.optimizer { type = lbfgs, historySize = 7 }\ntraining.epochs = 30");
    String rendered = c.render();
    assertFalse(rendered.contains("batchSize"), rendered);
    assertEquals(c, parse(rendered));
  }

  @ParameterizedTest
  @ValueSource(strings = {"fashion-mnist-mlp.conf", "regression.conf", "binary.conf"})
  void examplesRenderAndParseBackEqual(String name) {
    JobConfig c = example(name);
    String rendered = c.render();
    assertEquals(c, parse(rendered));
    assertEquals(rendered, parse(rendered).render());
  }

  @Test
  void minimalRendersEveryDefault() {
    String r = minimal("").render();
    for (String key : List.of("\"epochs\" : 10", "\"batchSize\" : 128", "\"seed\" : 42", "\"treeDepth\" : 2", "\"exchange\" : \"auto\"",
        "\"scaling\" : \"none\"", "\"overwrite\" : false", "\"type\" : \"constant\"")) {
      assertTrue(r.contains(key), () -> key + " in " + r);
    }
    assertEquals(minimal(""), parse(r));
  }

  @Test
  void trainConfigCarriesEveryTrainingSetting() {
    JobConfig c = parse(EVERYTHING);
    TrainConfig t = c.toTrainConfig(1000);
    assertEquals(new TrainConfig(3, 64, -9L, new Updater(c.training().optimizer(), new Schedule.Step(100, 0.5),
        1e-5f, true, 5f), 0, new EarlyStopping(EarlyStopping.Monitor.VALIDATION_ACCURACY, 4, 0.001, false)), t);
    SparkTrainConfig s = c.toSparkTrainConfig(1000);
    assertEquals(List.of(16, 3), List.of(s.partitions(), s.treeDepth()));
    assertEquals(Exchange.TREE, s.exchange());
    assertEquals("s3a://b/ck", s.checkpoints().dir());
    assertEquals(List.of(500, 5), List.of(s.checkpoints().everySteps(), s.checkpoints().keepLast()));
    assertFalse(s.checkpoints().everyEpoch());
    assertFalse(s.resume());
  }

  @Test
  void totalStepsCountCeilingBatchesOfTheRowsLeftAfterTheValidationSplit() {
    assertEquals(3 * 4, minimal("training { epochs = 3, batchSize = 25 }").totalSteps(76));
    assertEquals(3 * 3, minimal("training { epochs = 3, batchSize = 25 }").totalSteps(75));
    // 101 rows, 10 % held out: 90 → ceil(90 / 25) = 4 (all 101 rows would make 5)
    assertEquals(2 * 4, minimal("training { epochs = 2, batchSize = 25 }\ndata.validationFraction = 0.1")
        .totalSteps(101));
    assertEquals(5, minimal("training { epochs = 5, batchSize = 1000 }").totalSteps(3));
    assertEquals(new Schedule.Cosine(12, 0.01), minimal("training { epochs = 3, batchSize = 25, "
        + "schedule { type = cosine, minRate = 0.01 } }").toTrainConfig(76).updater().schedule());
    assertEquals(new Schedule.Cosine(7, 0), minimal("training.schedule { type = cosine, totalSteps = 7, minRate = 0 }")
        .toTrainConfig(76).updater().schedule());
  }

  @Test
  void loadsLocalFilesWithIncludesNextToThemAndFileUris(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("common.conf"), "training { batchSize = 32, epochs = 2 }\n");
    Files.writeString(dir.resolve("job.conf"), "include \"common.conf\"\n" + ConfigFixtures.MINIMAL
        + "training.epochs = 6\n");
    JobConfig c = JobConfig.load(dir.resolve("job.conf").toString(), List.of("training.seed=1"));
    assertEquals(List.of(32, 6, 1L), List.of(c.training().batchSize(), c.training().epochs(), c.training().seed()));
    assertEquals(c, JobConfig.load(dir.resolve("job.conf").toUri().toString(), List.of("training.seed=1")));
    Files.writeString(dir.resolve("bad.conf"), ConfigFixtures.MINIMAL + "training {\n  epochs = 3\n  batch = 2\n}\n");
    ConfigFixtures.fails(() -> JobConfig.load(dir.resolve("bad.conf").toString(), List.of()),
        "unknown key training.batch;", "line 6)");
  }

  @Test
  void aPlainIncludeThatFindsNoFileIsAWarning(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("common.conf"), "training { batchSize = 32 }\n");
    Files.writeString(dir.resolve("job.conf"), "include \"common.conf\"\n  include \"comon.conf\"\n"
        + "include required(\"common.conf\")\n" + ConfigFixtures.MINIMAL);
    String job = dir.resolve("job.conf").toString();
    assertEquals(32, JobConfig.load(job, List.of()).training().batchSize(), "HOCON skips the missing include");
    List<String> warnings = JobConfig.warnings(job, new org.apache.hadoop.conf.Configuration());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith(job + " line 2: include \"comon.conf\" finds no file ("
        + dir.resolve("comon.conf") + ")"), warnings.get(0));
  }

  @Test
  void aRequiredIncludeThatFindsNoFileIsAnErrorNamingThePathAsWritten(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nowhere").resolve("common.conf");
    Files.writeString(dir.resolve("job.conf"), ConfigFixtures.MINIMAL + "include required(\"" + missing + "\")\n");
    ConfigFixtures.fails(() -> JobConfig.load(dir.resolve("job.conf").toString(), List.of()),
        "include \"" + missing + "\" finds no file (" + missing + "); fix the path");
  }
}
