package io.treeprop.spark.train;

import io.treeprop.core.train.TrainConfig;

/**
 * Training on Spark: the core {@link TrainConfig} (epochs, global batch size, seed, updater, validation, early
 * stopping) plus how the data is spread and the run is saved.
 *
 * @param partitions repartition the input to this many partitions; 0 keeps its partitioning
 * @param treeDepth depth of {@code treeAggregate} (2 is right up to hundreds of partitions)
 * @param checkpoints null for none
 * @param resume continue from the latest checkpoint in {@code checkpoints.dir()} when there is one
 * @param exchange how weights and gradients travel each step
 */
public record SparkTrainConfig(TrainConfig train, int partitions, int treeDepth, CheckpointConfig checkpoints,
    boolean resume, Exchange exchange) {
  public static final int DEFAULT_TREE_DEPTH = 2;

  public SparkTrainConfig {
    if (train == null) {
      throw new IllegalArgumentException("train config is required");
    }
    if (partitions < 0) {
      throw new IllegalArgumentException("partitions (" + partitions + ") must be >= 0 (0 = keep the input's)");
    }
    if (treeDepth < 1) {
      throw new IllegalArgumentException("treeDepth (" + treeDepth + ") must be at least 1");
    }
    if (exchange == null) {
      throw new IllegalArgumentException("exchange is required (tree, barrier or auto)");
    }
    if (resume && checkpoints == null) {
      throw new IllegalArgumentException("resume needs a checkpoint directory");
    }
  }

  /** The input's partitioning, depth 2, no checkpoints, the {@link Exchange#AUTO} exchange. */
  public static SparkTrainConfig of(TrainConfig train) {
    return new SparkTrainConfig(train, 0, DEFAULT_TREE_DEPTH, null, false, Exchange.AUTO);
  }

  public SparkTrainConfig withExchange(Exchange e) {
    return new SparkTrainConfig(train, partitions, treeDepth, checkpoints, resume, e);
  }

  public SparkTrainConfig withPartitions(int p) {
    return new SparkTrainConfig(train, p, treeDepth, checkpoints, resume, exchange);
  }

  public SparkTrainConfig withCheckpoints(CheckpointConfig c, boolean resumeFromLatest) {
    return new SparkTrainConfig(train, partitions, treeDepth, c, resumeFromLatest, exchange);
  }

  public SparkTrainConfig withTrain(TrainConfig t) {
    return new SparkTrainConfig(t, partitions, treeDepth, checkpoints, resume, exchange);
  }
}
