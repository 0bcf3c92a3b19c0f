package io.treeprop.core.train;

/**
 * One way for {@link LocalTrainer} to train through epochs: mini-batch updates, or L-BFGS iterations. The trainer's
 * loop around it (validation, metrics, listeners, early stopping) is the same for both.
 */
interface Epochs {
  /** Trains one epoch; returns the training sums it reports. */
  BatchStats epoch(int epoch);

  float[] params();

  float[] state();

  /** Steps (updates or iterations) done. */
  long step();

  /** The learning rate (or L-BFGS step length) of the last step. */
  double rate();

  /** Why to stop now although epochs remain, or null. */
  String stopReason();
}
