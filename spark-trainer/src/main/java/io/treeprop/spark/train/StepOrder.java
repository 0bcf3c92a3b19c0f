package io.treeprop.spark.train;

/**
 * What the driver asks of every barrier task: one step (the position and the weights), or the validation sums at
 * these weights, or the end of the job. The arrays are not changed while the order is out (the driver's update
 * writes into another array), so in one JVM they are shared as they are.
 */
final class StepOrder {
  /** Ends the job: the tasks finish. */
  static final StepOrder END = new StepOrder(false, 0, 0, -1, null, null);

  /** Evaluate the validation rows instead of computing a step's gradient. */
  final boolean evaluate;
  final int epoch;
  final int stepInEpoch;
  final long globalStep;
  final float[] params;
  final float[] state;
  private byte[] encoded;

  StepOrder(boolean evaluate, int epoch, int stepInEpoch, long globalStep, float[] params, float[] state) {
    this.evaluate = evaluate;
    this.epoch = epoch;
    this.stepInEpoch = stepInEpoch;
    this.globalStep = globalStep;
    this.params = params;
    this.state = state;
  }

  /** The order as sent over TCP, encoded once for all the tasks. */
  byte[] encoded() {
    if (encoded == null) {
      encoded = this == END ? new byte[] {Wire.END} : Wire.stepOrder(this);
    }
    return encoded;
  }
}
