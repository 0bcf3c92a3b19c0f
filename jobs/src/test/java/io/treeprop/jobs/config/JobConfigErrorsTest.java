package io.treeprop.jobs.config;

import static io.treeprop.jobs.config.ConfigFixtures.MINIMAL;
import static io.treeprop.jobs.config.ConfigFixtures.fails;
import static io.treeprop.jobs.config.ConfigFixtures.minimal;
import static io.treeprop.jobs.config.ConfigFixtures.minimalFails;
import static io.treeprop.jobs.config.ConfigFixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every kind of config error names the full key path, the value and what is allowed, and where it came from. */
class JobConfigErrorsTest {
  @Test
  void unknownKeysListWhatIsAllowedAndSuggestTheNearest() {
    assertEquals("unknown key training.epoch; allowed: epochs, batchSize, seed, optimizer, schedule, l2, decayBiases, "
        + "clipNorm, earlyStopping, partitions, treeDepth, exchange, checkpoints; did you mean epochs? (at job.conf line "
        + "4)",
        minimalFails("training.epoch = 3"));
    minimalFails("trainig { epochs = 3 }", "unknown key trainig; allowed: data, model, training, output, spark",
        "did you mean training?");
    minimalFails("data.train.labelColum = y", "unknown key data.train.labelColum; allowed: format, path",
        "did you mean labelColumn?");
    minimalFails("training.checkpoints { dir = c, every = 5 }", "unknown key training.checkpoints.every; allowed: dir,"
        + " everySteps, everyEpoch, keepLast, resume");
    minimalFails("output.format = json", "unknown key output.format; allowed: model, report, metrics, overwrite");
  }

  @Test
  void unknownKeysInsideCoreTypesAreNamedByCoreRules() {
    minimalFails("training.optimizer { type = adam, learningrate = 1 }",
        "unknown key training.optimizer.learningrate; allowed: type, ", "learningRate", "did you mean learningRate?");
    minimalFails("model.layers = [{ type = dense, units = 1, activation = relu }]",
        "unknown key model.layers[0].activation; allowed: type, ", "units");
    minimalFails("model.loss { type = mse, delta = 1 }", "unknown key model.loss.delta; allowed: type (at job.conf");
    minimalFails("training.earlyStopping { monitor = train_loss, patienc = 2 }",
        "unknown key training.earlyStopping.patienc; allowed: monitor, patience, minDelta, restoreBest; did you mean "
            + "patience?");
  }

  @Test
  void wrongTypesSayWhatWasExpectedAndWhatCame() {
    assertEquals("training.epochs: expected an integer, got the string \"ten\" (at job.conf line 4)",
        minimalFails("training.epochs = \"ten\""));
    minimalFails("training.epochs = 2.5", "training.epochs: expected an integer, got the number 2.5");
    minimalFails("training.l2 = [1]", "training.l2: expected a number, got a list");
    minimalFails("output.overwrite = maybe", "output.overwrite: expected true or false, got the string \"maybe\"");
    minimalFails("training.epochs = 12345678901", "training.epochs: expected an integer of at most 2147483647");
    minimalFails("data.train.featureColumns = a", "data.train.featureColumns: expected a list of strings");
    minimalFails("training = 5", "training: expected an object {epochs, batchSize");
    minimalFails("model.layers = [{ type = dense, units = ten }]",
        "model.layers[0].units: expected an integer, got the string \"ten\"");
    minimalFails("training.optimizer.learningRate = fast",
        "training.optimizer.learningRate: expected a number, got the string \"fast\"");
    minimalFails("model.layers = [{ type = dense, units = 2 }, { type = activation, function = relux }]",
        "model.layers[1].function: expected one of sigmoid, tanh, relu, leaky_relu, elu, softplus, identity, "
            + "softmax, sign, step, got the string \"relux\"");
    minimalFails("training.earlyStopping { monitor = validation_lossx }", "training.earlyStopping.monitor: expected "
        + "one of validation_loss, validation_accuracy, train_loss, got the string \"validation_lossx\"");
    minimalFails("model.layers = {type = dense}", "model.layers: expected a list");
    minimalFails("model.layers = [dense]", "model.layers[0]: expected an object with a type (one of dense, "
        + "activation, dropout, noise, conv2d, ", "got the string \"dense\"");
    minimalFails("model.loss = 5", "model.loss: expected an object with a type (one of mse, mae, ", "got the number 5");
  }

  @Test
  void lbfgsRefusesTheMiniBatchAndStepSettingsItHasNoUseFor() {
    minimalFails("training { optimizer = lbfgs, batchSize = 64 }", "training.batchSize: does not apply to the lbfgs "
        + "optimizer, which uses every training row in each iteration (full batch); remove it (at job.conf line");
    minimalFails("training { optimizer = lbfgs, clipNorm = 1 }", "training.clipNorm (1.0) does not apply to the "
        + "lbfgs optimizer, whose line search chooses each step; remove it");
    minimalFails("training { optimizer = lbfgs, schedule = cosine }", "training.schedule does not apply to the "
        + "lbfgs optimizer");
    minimalFails("training.optimizer = lbfgs\nmodel.layers = [{ type = dense, units = 4 }, { type = dropout, rate = "
        + "0.5 }, { type = dense, units = 3 }]", "model.layers[1] is a dropout layer, which draws new random values at "
        + "every evaluation; lbfgs's line search needs the same loss each time: remove it, or train with an "
        + "SGD-family optimizer");
    minimalFails("training.optimizer { type = lbfgs, historySize = 0 }",
        "training.optimizer.historySize (0) must be in [1, 100] (at job.conf line");
    minimalFails("training.optimizer { type = lbfgs, learningRate = 0.1 }",
        "unknown key training.optimizer.learningRate", "historySize", "tolerance");
  }

  @Test
  void unknownTypeNamesListTheKnownOnes() {
    minimalFails("training.optimizer = adamx", "training.optimizer.type: \"adamx\" is not one of sgd, momentum, "
        + "nesterov, adagrad, rmsprop, adam, adamw");
    minimalFails("training.schedule = linear", "training.schedule.type: \"linear\" is not one of constant, step, ");
    minimalFails("model.loss = huber", "model.loss.type: \"huber\" is not one of mse, mae, smooth_l1, ");
    minimalFails("model.layers = [{ units = 3 }]", "missing required key model.layers[0].type: one of dense, "
        + "activation, dropout, noise");
    minimalFails("data.scaling = minmax", "data.scaling.type: \"minmax\" is not a scaling; use none, standardize or "
        + "{factor: <number>}");
  }

  @Test
  void badValuesNameTheKeyTheValueAndTheRule() {
    assertEquals("training.batchSize (0) must be at least 1 (at job.conf line 4)",
        minimalFails("training.batchSize = 0"));
    minimalFails("training.optimizer { type = adam, learningRate = -1 }",
        "training.optimizer.learningRate (-1.0) must be a positive finite number (at job.conf line 4)");
    minimalFails("model.layers = [{ type = dense, units = -5 }]", "model.layers[0].units (-5) must be a positive "
        + "integer");
    minimalFails("model.layers = [{ type = dropout, rate = 1.5 }]", "model.layers[0].rate (1.5) must be in [0, 1)");
    minimalFails("model.loss { type = smooth_l1, delta = -1 }", "model.loss.delta (-1.0) must be a positive finite");
    minimalFails("training.schedule { type = step, every = 0, gamma = 0.5 }", "training.schedule.every (0) must be");
    minimalFails("training.schedule { type = cosine, minRate = -1 }", "training.schedule.minRate (-1.0) must be a "
        + "finite number >= 0");
    minimalFails("training.schedule { type = warmup, steps = 0, then = cosine }",
        "training.schedule.steps (0) must be a positive integer");
    minimalFails("training.earlyStopping { monitor = train_loss, patience = 0 }",
        "training.earlyStopping.patience (0) must be at least 1 epoch");
    minimalFails("training.checkpoints { dir = c, everySteps = -1 }", "training.checkpoints.everySteps (-1) must be "
        + ">= 0");
    minimalFails("training.checkpoints { dir = c, everyEpoch = false }", "training.checkpoints: set everySteps > 0 "
        + "or everyEpoch, or leave checkpoints off");
    minimalFails("training.l2 = -0.1", "training.l2 (-0.1) must be a finite number >= 0");
    minimalFails("training.treeDepth = 0", "training.treeDepth (0) must be at least 1");
    minimalFails("training.exchange = ring", "training.exchange: \"ring\" is not one of tree, barrier, auto (at ");
    minimalFails("data.validationFraction = 1.5", "data.validationFraction (1.5) must be in [0, 0.5]");
    minimalFails("data.validationFraction = 0.99", "data.validationFraction (0.99) must be in [0, 0.5]: it is the "
        + "share of the training rows held out");
    minimalFails("data.scaling { factor = 0 }", "data.scaling: scaling factor is 0.0; it must be a finite non-zero");
    minimalFails("data.scaling { type = standardize, factor = 2 }",
        "data.scaling.factor: applies only to factor scaling, not standardize");
    minimalFails("model.input = [1, 2]", "model.input: a shape has 1 dimension [features] or 3");
    minimalFails("spark.master = \"\"", "spark.master is blank");
    minimalFails("spark.conf { executor.memory = 4g }", "spark.conf.executor.memory: Spark settings start with "
        + "\"spark.\"");
  }

  @Test
  void dataSourceRulesComeFromTheSourceSpecWithThePathInFront() {
    minimalFails("data.train.labelPath = labels", "data.train: csv data: option labelPath applies only to idx data");
    minimalFails("data.train.format = json", "data.train: data format \"json\" is not supported; use one of [idx, "
        + "libsvm, csv, parquet, images]");
    minimalFails("data.test { format = csv, path = t.csv, header = true }", "data.test has no labels; set labelPath "
        + "(idx) or labelColumn (csv, parquet)");
  }

  @Test
  void rulesAcrossKeysNameBoth() {
    minimalFails("training.earlyStopping { patience = 2 }", "training.earlyStopping.monitor is validation_loss, but "
        + "there is no validation data; set data.validation or data.validationFraction, or monitor train_loss");
    minimalFails("data.validationFraction = 0.1\ndata.validation = ${data.train}", "data.validation and "
        + "data.validationFraction (0.1) exclude each other");
    minimalFails("model.loss = categorical_cross_entropy", "model.loss: categorical_cross_entropy needs at least 2 "
        + "outputs (one per class), the network has 1");
    fails(() -> minimal("model.input = 784").network(780), "model.input [784] takes 784 values per row, but the data "
        + "has 780 features");
    fails(() -> minimal("training { epochs = 1, batchSize = 10, schedule { type = warmup, steps = 50, then = cosine }"
        + " }").toTrainConfig(100), "training.schedule: the warm-up (50 steps) leaves no step of the run (10 steps)");
    fails(() -> minimal("").toTrainConfig(0), "data.train has 0 rows");
  }

  @Test
  void missingRequiredKeysSayWhatToGive() {
    minimalFails("data.train.path = null", "missing required key data.train.path: the data file, directory or glob");
    minimalFails("data.train.format = null", "missing required key data.train.format: one of idx, libsvm, csv, "
        + "parquet");
    minimalFails("output.model = null", "missing required key output.model: the directory to save the model to");
    minimalFails("model.loss = null", "missing required key model.loss: a name such as categorical_cross_entropy");
    minimalFails("model.layers = [{ type = dense }]", "missing required key model.layers[0].units");
    minimalFails("model.layers = []", "model.layers is empty");
    minimalFails("training.checkpoints { everySteps = 5 }", "missing required key training.checkpoints.dir");
    minimalFails("training.schedule { type = warmup, then = cosine }", "missing required key training.schedule.steps");
    minimalFails("data.scaling.type = factor", "missing required key data.scaling.factor");
    fails(() -> parse("model { layers = [{ type = dense, units = 1 }], loss = mse }\noutput.model = m"),
        "missing required key data: the data section");
  }

  @Test
  void unparsableHoconGivesTheLine() {
    assertEquals("cannot parse job.conf line 3: Expecting a value but got wrong token: end of file",
        fails(() -> parse("data {\n  train {\n    path = ")));
    fails(() -> parse("a = 1\nb = {\nc = [1, 2"), "cannot parse job.conf line 3");
  }

  @Test
  void unresolvedSubstitutionsAreNamed() {
    fails(() -> parse(MINIMAL + "training.epochs = ${TREEPROP_SURELY_UNSET_VARIABLE}"),
        "job.conf line 4: Could not resolve substitution to a value: ${TREEPROP_SURELY_UNSET_VARIABLE}",
        "write ${?NAME} for an optional value");
  }

  @Test
  void malformedOverridesAreNamed() {
    assertEquals("override \"training.epochs\" has no '='; write key=value, e.g. --set training.epochs=3",
        fails(() -> minimal("", "training.epochs")));
    fails(() -> minimal("", "training..epochs=3"), "override \"training..epochs=3\": \"training..epochs\" is not a "
        + "key path");
    fails(() -> minimal("", "=3"), "override \"=3\": \"\" is not a key path");
    fails(() -> minimal("", "training.optimizer={type: sgd"), "override \"training.optimizer={type: sgd\": Expecting "
        + "close brace }");
  }

  @Test
  void errorsInOverridesPointAtTheOverride() {
    assertEquals("training.epochs: expected an integer, got the string \"ten\" (from --set training.epochs=ten)",
        fails(() -> minimal("", "training.epochs=ten")));
    fails(() -> minimal("", "training.epoch=3"), "unknown key training.epoch;", "(from --set training.epoch=3)");
  }

  @Test
  void aMissingConfigFileIsNamed() {
    fails(() -> JobConfig.load("/nonexistent/job.conf", List.of()),
        "config file /nonexistent/job.conf does not exist or is not a file");
  }
}
