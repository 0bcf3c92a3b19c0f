package io.treeprop.spark.train;

/**
 * Where one step's wall time went, in milliseconds.
 *
 * @param broadcast creating the broadcast of the weights
 * @param compute the slowest partition's forward + backward (the critical path inside the job)
 * @param aggregate merging partial gradients (on executors and the driver)
 * @param scheduling the rest of the job: task launch, shipping the broadcast and the results, waiting
 * @param driverUpdate averaging, the optimizer, and destroying the broadcast
 */
public record StepTiming(double broadcast, double compute, double aggregate, double scheduling,
    double driverUpdate) {
  /** The whole step. */
  public double total() {
    return broadcast + compute + aggregate + scheduling + driverUpdate;
  }
}
