package io.treeprop.spark.train;

/**
 * Where one step's wall time went, in milliseconds; the parts add up to the step's wall time ({@link #of}).
 *
 * @param broadcast creating the broadcast of the weights
 * @param compute the slowest partition's forward + backward (the critical path inside the job)
 * @param aggregate merging partial gradients (on executors and the driver)
 * @param scheduling the rest of the job: task launch, shipping the broadcast and the results, waiting
 * @param driverUpdate averaging, the optimizer, and destroying the broadcast
 */
public record StepTiming(double broadcast, double compute, double aggregate, double scheduling,
    double driverUpdate) {
  /**
   * The split of a step whose weights took {@code sendMs} to send, whose summed contributions were back on the
   * driver {@code gatherMs} after that, and whose driver update took {@code driverMs}. The tasks' compute and the
   * merges are measured where they run, and part of them overlaps the rest: a barrier task computes while the driver
   * still sends the next task its order, and the driver merges one task's result while another still computes.
   * What overlaps is taken off the merge first, then off the send, so no part is counted twice and
   * {@link #total()} is the wall time {@code sendMs + gatherMs + driverMs} (clamping scheduling at zero instead made
   * the parts add up to more than the step, and the benchmark's time per epoch outside the steps negative).
   *
   * @param compute the slowest partition's forward + backward
   * @param merge merging partial gradients, summed over where it ran
   */
  public static StepTiming of(double sendMs, double gatherMs, double compute, double merge, double driverMs) {
    double c = Math.min(compute, sendMs + gatherMs);
    double overlap = c + merge - gatherMs;
    if (overlap <= 0) {
      return new StepTiming(sendMs, c, merge, -overlap, driverMs);
    }
    double offMerge = Math.min(merge, overlap);
    return new StepTiming(Math.max(0, sendMs - (overlap - offMerge)), c, merge - offMerge, 0, driverMs);
  }

  /** The whole step. */
  public double total() {
    return broadcast + compute + aggregate + scheduling + driverUpdate;
  }
}
