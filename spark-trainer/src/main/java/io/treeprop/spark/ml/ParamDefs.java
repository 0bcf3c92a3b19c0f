package io.treeprop.spark.ml;

import java.util.Set;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The Treeprop params, defined once, with their validators and defaults. Every estimator and model owns one
 * instance (created with its uid) and exposes the params through {@link NeuralNetParams}.
 */
public final class ParamDefs implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  static final Set<String> ACTIVATIONS = Set.of("sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus");
  static final Set<String> OPTIMIZERS = Set.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw");

  public final IntArrayParam hiddenLayers;
  public final Param<String> activation;
  public final Param<String> networkSpec;
  public final IntArrayParam inputShape;
  public final Param<String> loss;
  public final DoubleParam dropout;
  public final Param<String> optimizer;
  public final DoubleParam learningRate;
  public final DoubleParam momentum;
  public final Param<String> schedule;
  public final IntParam batchSize;
  public final IntParam maxEpochs;
  public final DoubleParam l2;
  public final LongParam seed;
  public final DoubleParam validationFraction;
  public final Param<String> validationIndicatorCol;
  public final IntParam earlyStoppingPatience;
  public final Param<String> checkpointDir;
  public final IntParam checkpointInterval;
  public final Param<String> initialModelPath;
  public final Param<String> weightCol;
  public final IntParam partitions;
  public final Param<String> exchange;

  ParamDefs(Params owner) {
    String uid = owner.uid();
    hiddenLayers = new IntArrayParam(owner, "hiddenLayers", "sizes of the hidden dense layers, input to output "
        + "(each > 0)", ints(a -> a.length > 0 && java.util.Arrays.stream(a).allMatch(n -> n > 0)));
    activation = new Param<>(uid, "activation", "activation after each hidden layer: "
        + String.join(", ", ACTIVATIONS.stream().sorted().toList()), ParamValidators.inArray(
            ACTIVATIONS.toArray(new String[0])));
    networkSpec = new Param<>(uid, "networkSpec", "a full network spec as JSON (treeprop NetworkSpec); when set "
        + "it replaces hiddenLayers/activation/dropout; its input may be left out (then inputShape, or the "
        + "features' vector size); checked when set", valid(NetworkSpecs::validOnSet));
    inputShape = new IntArrayParam(owner, "inputShape", "[channels, height, width] of the images the features "
        + "vectors hold, NCHW (each > 0); empty for plain vectors", ints(a -> a.length == 0
            || a.length == 3 && java.util.Arrays.stream(a).allMatch(n -> n > 0)));
    loss = new Param<>(uid, "loss", "the loss as a name (e.g. mse, mae, smooth_l1, categorical_cross_entropy, "
        + "margin) or a treeprop Loss JSON", valid(x -> x != null && !x.isBlank()));
    dropout = new DoubleParam(uid, "dropout", "dropout rate after each hidden activation, in [0, 1)",
        ParamValidators.inRange(0, 1, true, false));
    optimizer = new Param<>(uid, "optimizer", "sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw",
        ParamValidators.inArray(OPTIMIZERS.toArray(new String[0])));
    learningRate = new DoubleParam(uid, "learningRate", "base learning rate (> 0)", ParamValidators.gt(0));
    momentum = new DoubleParam(uid, "momentum", "momentum for the momentum and nesterov optimizers, in [0, 1)",
        ParamValidators.inRange(0, 1, true, false));
    schedule = new Param<>(uid, "schedule", "learning-rate schedule: constant, cosine (over the whole run), or a "
        + "treeprop Schedule JSON such as {\"type\":\"step\",\"every\":1000,\"gamma\":0.5}",
        valid(x -> x != null && !x.isBlank()));
    batchSize = new IntParam(uid, "batchSize", "global mini-batch size in rows (>= 1)", ParamValidators.gtEq(1));
    maxEpochs = new IntParam(uid, "maxEpochs", "maximum passes over the training data (>= 1)",
        ParamValidators.gtEq(1));
    l2 = new DoubleParam(uid, "l2", "L2 weight decay on weights, not biases (>= 0)", ParamValidators.gtEq(0));
    seed = new LongParam(uid, "seed", "seed of every random choice (init, shuffles, dropout, validation split)");
    validationFraction = new DoubleParam(uid, "validationFraction", "fraction of rows held out for validation "
        + "each epoch, in [0, 1); ignored when validationIndicatorCol is set",
        ParamValidators.inRange(0, 1, true, false));
    validationIndicatorCol = new Param<>(uid, "validationIndicatorCol", "boolean column: true marks validation "
        + "rows; empty for none", valid(x -> x != null));
    earlyStoppingPatience = new IntParam(uid, "earlyStoppingPatience", "stop when the validation loss has not "
        + "improved for this many epochs and restore the best weights; 0 turns early stopping off",
        ParamValidators.gtEq(0));
    checkpointDir = new Param<>(uid, "checkpointDir", "Hadoop path for checkpoints (resumed from when present); "
        + "empty for none", valid(x -> x != null));
    checkpointInterval = new IntParam(uid, "checkpointInterval", "checkpoint every this many steps; 0 = at the "
        + "end of every epoch", ParamValidators.gtEq(0));
    initialModelPath = new Param<>(uid, "initialModelPath", "warm start from a saved model of the same layers "
        + "(a Spark ML model directory or a treeprop model directory); empty for none", valid(x -> x != null));
    weightCol = new Param<>(uid, "weightCol", "numeric column of per-row loss weights; empty for none",
        valid(x -> x != null));
    partitions = new IntParam(uid, "partitions", "repartition the training data to this many partitions; 0 "
        + "keeps its partitioning", ParamValidators.gtEq(0));
    exchange = new Param<>(uid, "exchange", "how each step's weights and gradients travel: tree (a Spark job per "
        + "step), barrier (one barrier job for the run) or auto (barrier when the application allows it)",
        ParamValidators.inArray(new String[] {"tree", "barrier", "auto"}));
  }

  /** A serializable Spark param validator from a Java predicate. */
  static scala.Function1<String, Object> valid(SerializablePredicate<String> p) {
    return new Validator<>(p);
  }

  static scala.Function1<int[], Object> ints(SerializablePredicate<int[]> p) {
    return new Validator<>(p);
  }

  /** A predicate that can travel with its param. */
  @FunctionalInterface
  interface SerializablePredicate<T> extends java.util.function.Predicate<T>, java.io.Serializable {}

  private static final class Validator<T> extends scala.runtime.AbstractFunction1<T, Object>
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final SerializablePredicate<T> p;

    Validator(SerializablePredicate<T> p) {
      this.p = p;
    }

    @Override
    public Object apply(T v) {
      return p.test(v);
    }
  }

  /** Sets the defaults shared by every estimator on {@code owner}. */
  void setDefaults(Params owner, String defaultLoss, int[] defaultHidden) {
    owner.setDefault(hiddenLayers, defaultHidden);
    owner.setDefault(activation, "relu");
    owner.setDefault(networkSpec, "");
    owner.setDefault(inputShape, new int[0]);
    owner.setDefault(loss, defaultLoss);
    owner.setDefault(dropout, 0.0);
    owner.setDefault(optimizer, "adam");
    owner.setDefault(learningRate, 0.001);
    owner.setDefault(momentum, 0.9);
    owner.setDefault(schedule, "constant");
    owner.setDefault(batchSize, 128);
    owner.setDefault(maxEpochs, 10);
    owner.setDefault(l2, 0.0);
    owner.setDefault(seed, (long) owner.getClass().getName().hashCode());
    owner.setDefault(validationFraction, 0.0);
    owner.setDefault(validationIndicatorCol, "");
    owner.setDefault(earlyStoppingPatience, 0);
    owner.setDefault(checkpointDir, "");
    owner.setDefault(checkpointInterval, 0);
    owner.setDefault(initialModelPath, "");
    owner.setDefault(weightCol, "");
    owner.setDefault(partitions, 0);
    owner.setDefault(exchange, "auto");
  }
}
