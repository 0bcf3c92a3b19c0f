package io.treeprop.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.tensor.Shape;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.spark.train.SparkTrainConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A training job, read from a HOCON file plus {@code --set key=value} overrides: an immutable, validated tree of
 * sections. See {@code docs/config-reference.md} for every key, its type and default.
 *
 * <pre>
 * data     { train {format: idx, path: ..., labelPath: ...}, test {...}, validationFraction: 0.1, scaling: ... }
 * model    { layers: [{type: dense, units: 256}, {type: activation, function: relu}, ...], loss: ... }
 * training { epochs: 10, batchSize: 256, optimizer {type: adam, learningRate: 0.002}, schedule: cosine, ... }
 * output   { model: out/job/model, report: out/job/report, metrics: out/job/metrics.jsonl }
 * spark    { master: "local[4]", conf { spark.driver.memory: 4g } }
 * </pre>
 *
 * <p>Reading is strict: an unknown key, a value of the wrong type, a bad value, a missing required key, a file that
 * does not parse or a malformed override is an {@link IllegalArgumentException} naming the full key path, the value
 * and what is allowed (and the file and line). The core parts (layers, loss, optimizer, schedule, early stopping)
 * are read by core's strict JSON mapper, so their rules are core's.
 *
 * <p>{@link #render()} writes the effective configuration (every default filled in) as JSON, which parses back to
 * an equal {@code JobConfig}.
 */
public record JobConfig(DataSection data, ModelSection model, TrainingSection training, OutputSection output,
    SparkSection spark) {
  static final List<String> KEYS = List.of("data", "model", "training", "output", "spark");

  public JobConfig {
    if (data == null || model == null || output == null) {
      throw new IllegalArgumentException("a job needs data, model and output sections");
    }
    if (!model.reconstruction()) {
      data.requireLabels();
    } else if (data.classNames() != null) {
      throw new IllegalArgumentException("data.classNames " + data.classNames() + " names classes, but model.task "
          + "is reconstruction, which learns no labels; remove data.classNames");
    }
    training = training == null ? TrainingSection.defaults() : training;
    spark = spark == null ? SparkSection.defaults() : spark;
    if (training.earlyStopping() != null && training.earlyStopping().monitor().needsValidation()
        && data.validation() == null && data.validationFraction() == 0) {
      throw new IllegalArgumentException("training.earlyStopping.monitor is "
          + training.earlyStopping().monitor().jsonName() + ", but there is no validation data; set "
          + "data.validation or data.validationFraction, or monitor train_loss");
    }
    if (training.optimizer() instanceof io.treeprop.core.optim.Lbfgs) {
      io.treeprop.core.train.LbfgsTraining.requireDeterministic(model.layers(), "model.layers");
    }
  }

  /**
   * Reads a job config file from a local or Hadoop path and applies the overrides in order.
   *
   * @param overrides {@code key=value} strings, e.g. {@code training.epochs=3}; later ones win
   * @throws IllegalArgumentException for anything wrong in the file or the overrides
   */
  public static JobConfig load(String path, List<String> overrides, Configuration hadoop) {
    // a malformed override is a usage error, reported before anything about the file
    (overrides == null ? List.<String>of() : overrides).forEach(Hocon::parseOverride);
    return from(Hocon.parseFile(path, hadoop), overrides);
  }

  /**
   * What reading the file at {@code path} accepted but a user should hear about: plain includes that find no
   * file (HOCON skips them).
   */
  public static List<String> warnings(String path, Configuration hadoop) {
    return Hocon.missingIncludes(path, hadoop);
  }

  /** {@link #load(String, List, Configuration)} with Hadoop's default configuration. */
  public static JobConfig load(String path, List<String> overrides) {
    return load(path, overrides, new Configuration());
  }

  /**
   * Reads a job config from HOCON text.
   *
   * @param origin names the text in errors, e.g. a file name
   */
  public static JobConfig parse(String hocon, String origin, List<String> overrides) {
    return from(Hocon.parseText(hocon, origin), overrides);
  }

  /** The effective configuration as JSON (valid HOCON), every default written out; it parses back equal. */
  public String render() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("data", data.render());
    m.put("model", model.render());
    m.put("training", training.render());
    m.put("output", output.render());
    m.put("spark", spark.render());
    return Json.write(m);
  }

  /** The network for training data with {@code features} features per row. */
  public NetworkSpec network(int features) {
    return model.network(features, null);
  }

  /**
   * The network for training data with {@code features} features per row of the given shape (null: vectors).
   *
   * @see ModelSection#network(int, Shape)
   */
  public NetworkSpec network(int features, Shape shape) {
    return model.network(features, shape);
  }

  /**
   * Optimizer steps in the whole run: {@code epochs × ceil(rows / batchSize)}, where rows are the training rows
   * that remain after holding out {@code data.validationFraction} (the expected count: the split is drawn per row).
   *
   * @param trainDataRows the number of rows in {@code data.train}
   */
  public long totalSteps(long trainDataRows) {
    if (trainDataRows < 1) {
      throw new IllegalArgumentException("data.train has " + trainDataRows + " rows; training needs at least one");
    }
    return TrainConfig.runSteps(trainDataRows, data.validationFraction(), training.batchSize(), training.epochs());
  }

  /** The core training configuration for {@code trainDataRows} rows of training data. */
  public TrainConfig toTrainConfig(long trainDataRows) {
    TrainingSection t = training;
    Updater updater = new Updater(t.optimizer(), t.schedule().resolve(totalSteps(trainDataRows)), t.l2(),
        t.decayBiases(), t.clipNorm());
    return new TrainConfig(t.epochs(), t.batchSize(), t.seed(), updater, data.validationFraction(),
        t.earlyStopping());
  }

  /** The Spark training configuration for {@code trainDataRows} rows of training data. */
  public SparkTrainConfig toSparkTrainConfig(long trainDataRows) {
    return new SparkTrainConfig(toTrainConfig(trainDataRows), training.partitions(), training.treeDepth(),
        training.checkpoints(), training.resume(), training.exchange());
  }

  private static JobConfig from(Config file, List<String> overrides) {
    return of(Hocon.layer(file, overrides == null ? List.of() : overrides));
  }

  /** Reads a job from a config already layered and expanded by {@link Hocon#layer}. */
  static JobConfig of(Config c) {
    try {
      if (c.root().get(TuneSection.NAME) != null) {
        throw new IllegalArgumentException(TuneSection.NAME + ": this file has a tune section, which treeprop tune "
            + "reads; run treeprop tune on it, or remove the section to train once"
            + ConfigErrors.where(c.root().get(TuneSection.NAME).origin()));
      }
      Node root = Node.root(c.root(), KEYS);
      DataSection data = DataSection.read(root.object("data", DataSection.KEYS, "the data section, e.g. data { "
          + "train { format: csv, path: train.csv, header: true, labelColumn: y } }"));
      ModelSection model = ModelSection.read(root.object("model", ModelSection.KEYS, "the model section, e.g. "
          + "model { layers: [{type: dense, units: 1}], loss: mse }"));
      TrainingSection training = TrainingSection.read(root.optObject("training", TrainingSection.KEYS));
      OutputSection output = OutputSection.read(root.object("output", OutputSection.KEYS, "the output section, "
          + "e.g. output { model: out/my-job/model }"));
      SparkSection spark = SparkSection.read(root.optObject("spark", SparkSection.KEYS));
      return root.build(() -> new JobConfig(data, model, training, output, spark), "");
    } catch (ConfigException e) {
      throw Hocon.translate(e);
    }
  }
}
