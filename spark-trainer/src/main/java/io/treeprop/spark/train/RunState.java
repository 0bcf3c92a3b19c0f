package io.treeprop.spark.train;

import io.treeprop.core.model.EpochMetrics;
import io.treeprop.core.optim.OptimizerState;
import io.treeprop.core.train.BatchStats;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a run needs to continue exactly where it stopped: weights, optimizer state, position (epoch and
 * step within it), the current epoch's partial sums, the metric history and early-stopping state with the best
 * weights so far. This is what a checkpoint saves.
 */
final class RunState {
  float[] params;
  float[] state;
  OptimizerState optimizer;
  /** 1-based epoch in progress. */
  int epoch = 1;
  /** Steps already done in {@link #epoch}. */
  int stepInEpoch;
  BatchStats epochStats = new BatchStats();
  double epochSeconds;
  List<EpochMetrics> history = new ArrayList<>();
  Double trackerBest;
  int trackerBestEpoch;
  int trackerWaited;
  float[] bestParams;
  float[] bestState;
  double seconds;
}
