package io.treeprop.core.model;

import io.treeprop.core.layer.Frame;
import io.treeprop.core.layer.Pass;

/**
 * Reusable buffers for passes over batches of up to {@link #capacity()} rows: the input, one {@link Frame} per
 * layer (its output and output gradient) and the {@link Pass} they share. Not thread-safe: one per thread, kept
 * across steps.
 */
public final class Workspace {
  private final int capacity;
  private final float[] input;
  private final Frame[] frames;
  private final Pass pass = new Pass();
  private final float[] newState;

  Workspace(Network net, int capacity, boolean inputGradient) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("workspace capacity (" + capacity + ") must be a positive row count");
    }
    this.capacity = capacity;
    input = new float[Math.multiplyExact(capacity, net.inputShape().size())];
    frames = net.sequence().frames(capacity, input, inputGradient ? new float[input.length] : null, 0, 0);
    newState = new float[net.layout().stateCount()];
  }

  /** Maximum rows per pass. */
  public int capacity() {
    return capacity;
  }

  /** The input buffer {@code [capacity, inputSize]}: fill the first {@code batch} rows, then call forward. */
  public float[] input() {
    return input;
  }

  /** Output of layer {@code i} (0-based); {@code activation(layers - 1)} is the network output. */
  public float[] activation(int i) {
    return frames[i].out();
  }

  /** Gradient buffer w.r.t. the output of layer {@code i}; the loss writes the top one before backward. */
  public float[] delta(int i) {
    return frames[i].dOut();
  }

  /** Gradient w.r.t. the network input, when the workspace was made with input gradients. */
  public float[] inputGradient() {
    return frames[0].dIn();
  }

  /** State written by the last training-mode forward pass (e.g. updated batch-norm statistics). */
  public float[] newState() {
    return newState;
  }

  Frame[] frames() {
    return frames;
  }

  Pass pass() {
    return pass;
  }
}
