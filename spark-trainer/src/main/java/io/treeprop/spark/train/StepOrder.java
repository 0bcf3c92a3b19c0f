package io.treeprop.spark.train;

/**
 * What the driver asks of every barrier task for one step: the position and the weights. The arrays are never
 * changed after the order is made (the driver's update writes new ones), so in one JVM they are shared as they are.
 */
final class StepOrder {
  /** Ends the segment: the tasks finish. */
  static final StepOrder END = new StepOrder(0, 0, -1, null, null);

  final int epoch;
  final int stepInEpoch;
  final long globalStep;
  final float[] params;
  final float[] state;
  private byte[] encoded;

  StepOrder(int epoch, int stepInEpoch, long globalStep, float[] params, float[] state) {
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
