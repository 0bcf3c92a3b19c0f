package io.treeprop.spark.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The params every Treeprop estimator and model shares, with typed getters. The {@link Param} objects live in a
 * {@link ParamDefs} owned by the instance; Spark finds them through these public no-argument methods.
 */
public interface NeuralNetParams extends Params {
  /** The param objects of this instance. */
  ParamDefs defs();

  default IntArrayParam hiddenLayers() {
    return defs().hiddenLayers;
  }

  default Param<String> activation() {
    return defs().activation;
  }

  default Param<String> networkSpec() {
    return defs().networkSpec;
  }

  default IntArrayParam inputShape() {
    return defs().inputShape;
  }

  default Param<String> loss() {
    return defs().loss;
  }

  default DoubleParam dropout() {
    return defs().dropout;
  }

  default Param<String> optimizer() {
    return defs().optimizer;
  }

  default DoubleParam learningRate() {
    return defs().learningRate;
  }

  default DoubleParam momentum() {
    return defs().momentum;
  }

  default Param<String> schedule() {
    return defs().schedule;
  }

  default IntParam batchSize() {
    return defs().batchSize;
  }

  default IntParam maxEpochs() {
    return defs().maxEpochs;
  }

  default DoubleParam l2() {
    return defs().l2;
  }

  default LongParam seed() {
    return defs().seed;
  }

  default DoubleParam validationFraction() {
    return defs().validationFraction;
  }

  default Param<String> validationIndicatorCol() {
    return defs().validationIndicatorCol;
  }

  default IntParam earlyStoppingPatience() {
    return defs().earlyStoppingPatience;
  }

  default Param<String> checkpointDir() {
    return defs().checkpointDir;
  }

  default IntParam checkpointInterval() {
    return defs().checkpointInterval;
  }

  default Param<String> initialModelPath() {
    return defs().initialModelPath;
  }

  default Param<String> weightCol() {
    return defs().weightCol;
  }

  default IntParam partitions() {
    return defs().partitions;
  }

  default Param<String> exchange() {
    return defs().exchange;
  }

  default int[] getHiddenLayers() {
    return (int[]) getOrDefault(hiddenLayers());
  }

  default String getActivation() {
    return getOrDefault(activation());
  }

  default String getNetworkSpec() {
    return getOrDefault(networkSpec());
  }

  default int[] getInputShape() {
    return (int[]) getOrDefault(inputShape());
  }

  default String getLoss() {
    return getOrDefault(loss());
  }

  default double getDropout() {
    return (Double) getOrDefault(dropout());
  }

  default String getOptimizer() {
    return getOrDefault(optimizer());
  }

  default double getLearningRate() {
    return (Double) getOrDefault(learningRate());
  }

  default double getMomentum() {
    return (Double) getOrDefault(momentum());
  }

  default String getSchedule() {
    return getOrDefault(schedule());
  }

  default int getBatchSize() {
    return (Integer) getOrDefault(batchSize());
  }

  default int getMaxEpochs() {
    return (Integer) getOrDefault(maxEpochs());
  }

  default double getL2() {
    return (Double) getOrDefault(l2());
  }

  default long getSeed() {
    return (Long) getOrDefault(seed());
  }

  default double getValidationFraction() {
    return (Double) getOrDefault(validationFraction());
  }

  default String getValidationIndicatorCol() {
    return getOrDefault(validationIndicatorCol());
  }

  default int getEarlyStoppingPatience() {
    return (Integer) getOrDefault(earlyStoppingPatience());
  }

  default String getCheckpointDir() {
    return getOrDefault(checkpointDir());
  }

  default int getCheckpointInterval() {
    return (Integer) getOrDefault(checkpointInterval());
  }

  default String getInitialModelPath() {
    return getOrDefault(initialModelPath());
  }

  default String getWeightCol() {
    return getOrDefault(weightCol());
  }

  default int getPartitions() {
    return (Integer) getOrDefault(partitions());
  }

  default String getExchange() {
    return getOrDefault(exchange());
  }
}
