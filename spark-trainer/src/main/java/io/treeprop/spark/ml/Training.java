package io.treeprop.spark.ml;

import io.treeprop.core.layer.ActivationFunction;
import io.treeprop.core.layer.LayerSpec;
import io.treeprop.core.loss.Loss;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizer;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Schedule;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.EarlyStopping;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.spark.data.InputColumns;
import io.treeprop.spark.train.CheckpointConfig;
import io.treeprop.spark.train.Exchange;
import io.treeprop.spark.train.SparkTrainConfig;
import io.treeprop.spark.train.SparkTrainer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Turns estimator params into the core configuration once and runs the {@link SparkTrainer}: the body of every
 * estimator's {@code fit}.
 */
final class Training {
  /** Checkpoints kept by estimators. */
  static final int KEEP_CHECKPOINTS = 3;

  private Training() {}

  /**
   * The network from {@code networkSpec} (its input left out: {@code inputShape}, or the features' size), or
   * hidden layers + activation + dropout on {@code inputShape} (or a vector), then {@code head}.
   */
  static NetworkSpec network(NeuralNetParams p, int inputs, String featuresCol, int outputs,
      ActivationFunction outputActivation) {
    NetworkSpec user = NetworkSpecs.network(p, inputs, featuresCol);
    if (user != null) {
      int out = user.compile().outputShape().size();
      if (out != outputs) {
        throw new IllegalArgumentException("networkSpec gives " + out + " outputs; the data needs " + outputs
            + " (its label column's classes or targets)");
      }
      return user;
    }
    NetworkSpec spec = new NetworkSpec(NetworkSpecs.input(p, inputs, featuresCol), java.util.List.of());
    ActivationFunction act = ActivationFunction.valueOf(p.getActivation().toUpperCase(java.util.Locale.ROOT));
    for (int h : p.getHiddenLayers()) {
      spec = spec.dense(h).activation(act);
      if (p.getDropout() > 0) {
        spec = spec.dropout((float) p.getDropout());
      }
    }
    spec = spec.dense(outputs);
    return outputActivation == null ? spec : spec.add(new LayerSpec.Activation(outputActivation));
  }

  /** Parses the {@code loss} param: a name such as {@code mse} or a Loss JSON object. */
  static Loss loss(String s) {
    String json = s.strip().startsWith("{") ? s : "{\"type\": \"" + s.strip() + "\"}";
    return Json.read(json, Loss.class, "loss param");
  }

  /** Runs the distributed trainer with the params of {@code p}. */
  static Model fit(NeuralNetParams p, Dataset<?> dataset, String featuresCol, String labelCol, NetworkSpec spec,
      Loss loss) {
    Dataset<Row> df = dataset.toDF();
    Dataset<Row> validation = null;
    String indicator = p.getValidationIndicatorCol();
    if (!indicator.isBlank()) {
      if (!java.util.Arrays.asList(df.columns()).contains(indicator)) {
        throw new IllegalArgumentException("validationIndicatorCol \"" + indicator + "\" is not a column; the "
            + "columns are " + java.util.Arrays.toString(df.columns()));
      }
      validation = df.filter(functions.col(indicator));
      df = df.filter(functions.not(functions.col(indicator)));
    }
    double fraction = indicator.isBlank() ? p.getValidationFraction() : 0;
    int epochs = p.getMaxEpochs();
    Updater updater = new Updater(optimizer(p), schedule(p, df, fraction, epochs), (float) p.getL2(), false, 0f);
    EarlyStopping es = p.getEarlyStoppingPatience() > 0
        ? EarlyStopping.onValidationLoss(p.getEarlyStoppingPatience()) : null;
    TrainConfig tc = new TrainConfig(epochs, p.getBatchSize(), p.getSeed(), updater, fraction, es);
    SparkTrainConfig sc = SparkTrainConfig.of(tc).withPartitions(p.getPartitions())
        .withExchange(Exchange.fromName(p.getExchange()));
    if (!p.getCheckpointDir().isBlank()) {
      int every = p.getCheckpointInterval();
      sc = sc.withCheckpoints(new CheckpointConfig(p.getCheckpointDir(), every, every == 0, KEEP_CHECKPOINTS), true);
    }
    SparkTrainer trainer = new SparkTrainer(sc);
    if (!p.getInitialModelPath().isBlank()) {
      Model init = ModelData.loadAny(p.getInitialModelPath(), df.sparkSession().sparkContext().hadoopConfiguration());
      trainer.warmStart(init.params(), init.state());
    }
    String weight = p.getWeightCol().isBlank() ? null : p.getWeightCol();
    return trainer.fit(spec, loss, df, validation, new InputColumns(featuresCol, labelCol, weight));
  }

  static Optimizer optimizer(NeuralNetParams p) {
    float lr = (float) p.getLearningRate();
    float mu = (float) p.getMomentum();
    return switch (p.getOptimizer()) {
      case "sgd" -> new Optimizers.Sgd(lr);
      case "momentum" -> new Optimizers.Momentum(lr, mu);
      case "nesterov" -> new Optimizers.Nesterov(lr, mu);
      case "adagrad" -> new Optimizers.AdaGrad(lr, Optimizers.DEFAULT_EPS);
      case "rmsprop" -> new Optimizers.RmsProp(lr, Optimizers.DEFAULT_RHO, Optimizers.DEFAULT_EPS);
      case "adam" -> new Optimizers.Adam(lr);
      case "adamw" -> new Optimizers.AdamW(lr, Optimizers.DEFAULT_BETA1, Optimizers.DEFAULT_BETA2,
          Optimizers.DEFAULT_EPS, Optimizers.DEFAULT_ADAMW_DECAY);
      default -> throw new IllegalArgumentException("optimizer \"" + p.getOptimizer() + "\" is not one of "
          + ParamDefs.OPTIMIZERS);
    };
  }

  /**
   * {@code constant}, {@code cosine} (over every step of the run: the training rows left after holding out
   * {@code validationFraction}, counted the way the job configs count them), or a Schedule JSON.
   */
  static Schedule schedule(NeuralNetParams p, Dataset<Row> df, double validationFraction, int epochs) {
    String s = p.getSchedule().strip();
    if (s.equals("constant")) {
      return new Schedule.Constant();
    }
    if (s.equals("cosine")) {
      return new Schedule.Cosine(TrainConfig.runSteps(df.count(), validationFraction, p.getBatchSize(), epochs), 0);
    }
    if (!s.startsWith("{")) {
      throw new IllegalArgumentException("schedule \"" + s + "\" must be constant, cosine, or a Schedule JSON "
          + "object such as {\"type\":\"step\",\"every\":1000,\"gamma\":0.5}");
    }
    return Json.read(s, Schedule.class, "schedule param");
  }
}
