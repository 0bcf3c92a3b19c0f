package io.treeprop.spark.train;

import io.treeprop.core.model.EpochMetrics;
import io.treeprop.core.model.TrainingSummary;

/** Observes a run on the driver. Called from the training thread; implementations must be quick. */
public interface TrainingListener {
  /**
   * Before {@link #onStart}, when the run resumes from a checkpoint written after global step {@code step}: what
   * was reported after that step did not happen in the resumed run.
   */
  default void onResume(long step) {}

  /** Before the first step (also after a resume), with the plan. */
  default void onStart(long rows, int stepsPerEpoch, int epochs, int partitions) {}

  /**
   * After each step. With the barrier exchange the run's barrier job holds the task slots meanwhile; a Spark job
   * started from here (or from {@link #onEpoch}) makes it hand them back within ~0.2 s, and a later step starts a
   * new barrier job (tens of milliseconds), so run them per epoch rather than per step.
   */
  default void onStep(StepReport step) {}

  /** After each epoch's validation. */
  default void onEpoch(EpochMetrics epoch) {}

  default void onEnd(TrainingSummary summary) {}
}
