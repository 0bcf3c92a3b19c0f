package io.treeprop.spark.ml;

/** Fluent setters for the shared params; {@code T} is the implementing class. */
public interface Setters<T extends NeuralNetParams> extends NeuralNetParams {
  /** This instance, typed. */
  T self();

  default T setHiddenLayers(int... sizes) {
    set(hiddenLayers(), sizes);
    return self();
  }

  default T setActivation(String v) {
    set(activation(), v);
    return self();
  }

  /**
   * A network spec as JSON; checked at once (malformed JSON, unknown keys, and the layers' shapes when the spec has
   * an input).
   *
   * @throws IllegalArgumentException naming networkSpec and the problem
   */
  default T setNetworkSpec(String json) {
    set(networkSpec(), json);
    return self();
  }

  /** A network spec, stored as its compact JSON; checked as {@link #setNetworkSpec(String)}. */
  default T setNetworkSpec(io.treeprop.core.model.NetworkSpec spec) {
    return setNetworkSpec(io.treeprop.core.model.Json.writeCompact(spec));
  }

  /** {@code [channels, height, width]}: the features vectors are NCHW images of this shape; none to unset. */
  default T setInputShape(int... shape) {
    set(inputShape(), shape);
    return self();
  }

  default T setLoss(String v) {
    set(loss(), v);
    return self();
  }

  default T setDropout(double v) {
    set(dropout(), v);
    return self();
  }

  default T setOptimizer(String v) {
    set(optimizer(), v);
    return self();
  }

  default T setLearningRate(double v) {
    set(learningRate(), v);
    return self();
  }

  default T setMomentum(double v) {
    set(momentum(), v);
    return self();
  }

  default T setSchedule(String v) {
    set(schedule(), v);
    return self();
  }

  default T setBatchSize(int v) {
    set(batchSize(), v);
    return self();
  }

  default T setMaxEpochs(int v) {
    set(maxEpochs(), v);
    return self();
  }

  default T setL2(double v) {
    set(l2(), v);
    return self();
  }

  default T setSeed(long v) {
    set(seed(), v);
    return self();
  }

  default T setValidationFraction(double v) {
    set(validationFraction(), v);
    return self();
  }

  default T setValidationIndicatorCol(String v) {
    set(validationIndicatorCol(), v);
    return self();
  }

  default T setEarlyStoppingPatience(int v) {
    set(earlyStoppingPatience(), v);
    return self();
  }

  default T setCheckpointDir(String v) {
    set(checkpointDir(), v);
    return self();
  }

  default T setCheckpointInterval(int v) {
    set(checkpointInterval(), v);
    return self();
  }

  default T setInitialModelPath(String v) {
    set(initialModelPath(), v);
    return self();
  }

  default T setWeightCol(String v) {
    set(weightCol(), v);
    return self();
  }

  default T setPartitions(int v) {
    set(partitions(), v);
    return self();
  }

  default T setExchange(String v) {
    set(exchange(), v);
    return self();
  }
}
