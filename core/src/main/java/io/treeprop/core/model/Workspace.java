package io.treeprop.core.model;

import io.treeprop.core.layer.Frame;
import io.treeprop.core.layer.Pass;
import java.util.function.IntPredicate;

/**
 * Reusable buffers for passes over batches of up to {@link #capacity()} rows: the input, one {@link Frame} per
 * layer (its output and output gradient) and the {@link Pass} they share. Layers that can run in place do (their
 * output overwrites their predecessor's; see {@link io.treeprop.core.layer.Sequence}) unless the workspace was made
 * to keep that predecessor's output. Not thread-safe: one per thread, kept across steps.
 */
public final class Workspace {
  private final int capacity;
  private final float[] input;
  private final Frame[] frames;
  private final Pass pass = new Pass();
  private final float[] newState;

  Workspace(Network net, int capacity, boolean inputGradient, IntPredicate keepOutput) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("workspace capacity (" + capacity + ") must be a positive row count");
    }
    this.capacity = capacity;
    input = new float[Math.multiplyExact(capacity, net.inputShape().size())];
    frames = net.sequence().frames(capacity, input, inputGradient ? new float[input.length] : null, 0, 0,
        keepOutput);
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

  /**
   * Output of layer {@code i} (0-based); {@code activation(layers - 1)} is the network output.
   *
   * @throws IllegalStateException when layer {@code i + 1} overwrites it in place, or applies it (a ReLU run by the
   *     max pool after it); make the workspace with {@link Network#newWorkspace(int, boolean, int)} to keep it
   */
  public float[] activation(int i) {
    if (i + 1 < frames.length && frames[i + 1].out() == frames[i].out()) {
      throw new IllegalStateException("layer " + i + "'s output is overwritten in place by layer " + (i + 1)
          + ": make the workspace keeping it");
    }
    if (frames[i].outputDeferred()) {
      throw new IllegalStateException("layer " + i + "'s ReLU is applied by the max pool after it: make the "
          + "workspace keeping its output");
    }
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
