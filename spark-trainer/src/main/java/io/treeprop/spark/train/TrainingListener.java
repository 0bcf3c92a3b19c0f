package io.treeprop.spark.train;

import io.treeprop.core.model.EpochMetrics;
import io.treeprop.core.model.TrainingSummary;

/** Observes a run on the driver. Called from the training thread; implementations must be quick. */
public interface TrainingListener {
  /** Before the first step (also after a resume), with the plan. */
  default void onStart(long rows, int stepsPerEpoch, int epochs, int partitions) {}

  default void onStep(StepReport step) {}

  default void onEpoch(EpochMetrics epoch) {}

  default void onEnd(TrainingSummary summary) {}
}
