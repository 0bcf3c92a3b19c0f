package io.treeprop.spark.train;

import io.treeprop.core.model.EpochMetrics;
import io.treeprop.core.model.TrainingSummary;

/** Observes a run on the driver. Called from the training thread; implementations must be quick. */
public interface TrainingListener {
  /** Before the first step (also after a resume), with the plan. */
  default void onStart(long rows, int stepsPerEpoch, int epochs, int partitions) {}

  /**
   * After each step. With the barrier exchange the epoch's barrier job holds the task slots meanwhile: a Spark job
   * started from here would wait for slots that free only at the end of the epoch. Run Spark jobs in
   * {@link #onEpoch} instead.
   */
  default void onStep(StepReport step) {}

  default void onEpoch(EpochMetrics epoch) {}

  default void onEnd(TrainingSummary summary) {}
}
