package io.treeprop.core.model;

import io.treeprop.core.layer.Frame;

/**
 * Reusable buffers for passes over batches of up to {@link #capacity()} rows: the activations between layers,
 * their gradients, and one {@link Frame} per layer. Not thread-safe: one per thread, kept across steps.
 */
public final class Workspace {
  private final int capacity;
  private final float[][] acts;
  private final float[][] deltas;
  private final Frame[] frames;
  private final float[] newState;

  Workspace(Network net, int capacity, boolean inputGradient) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("workspace capacity (" + capacity + ") must be a positive row count");
    }
    this.capacity = capacity;
    int n = net.layers().size();
    acts = new float[n + 1][];
    deltas = new float[n + 1][];
    acts[0] = new float[Math.multiplyExact(capacity, net.inputShape().size())];
    if (inputGradient) {
      deltas[0] = new float[acts[0].length];
    }
    frames = new Frame[n];
    for (int i = 0; i < n; i++) {
      int size = Math.multiplyExact(capacity, net.layers().get(i).outputShape().size());
      acts[i + 1] = new float[size];
      deltas[i + 1] = new float[size];
      frames[i] = new Frame(acts[i], acts[i + 1], deltas[i], deltas[i + 1]);
    }
    newState = new float[net.layout().stateCount()];
  }

  /** Maximum rows per pass. */
  public int capacity() {
    return capacity;
  }

  /** The input buffer {@code [capacity, inputSize]}: fill the first {@code batch} rows, then call forward. */
  public float[] input() {
    return acts[0];
  }

  /** Output of layer {@code i} (0-based); {@code activation(layers)} is the network output. */
  public float[] activation(int i) {
    return acts[i + 1];
  }

  /** Gradient buffer w.r.t. the output of layer {@code i}; the loss writes the top one before backward. */
  public float[] delta(int i) {
    return deltas[i + 1];
  }

  /** Gradient w.r.t. the network input, when the workspace was made with input gradients. */
  public float[] inputGradient() {
    return deltas[0];
  }

  /** State written by the last training-mode forward pass (e.g. updated batch-norm statistics). */
  public float[] newState() {
    return newState;
  }

  Frame frame(int i) {
    return frames[i];
  }
}
