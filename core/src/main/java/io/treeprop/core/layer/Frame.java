package io.treeprop.core.layer;

import java.util.function.Supplier;

/**
 * One layer's view of one pass: its input and output buffers, its gradient buffers, its slices of the flat
 * parameter, gradient and state vectors, and reusable scratch memory. Frames belong to a workspace sized for a
 * batch capacity; one workspace per thread, reused across steps, so the hot path allocates nothing.
 *
 * <p>Buffers are sized for the capacity; only the first {@code batch() * size} floats are meaningful.
 */
public final class Frame {
  private final float[] in;
  private final float[] out;
  private final float[] dIn;
  private final float[] dOut;
  private float[] params;
  private int paramOffset;
  private float[] grad;
  private int gradOffset;
  private float[] state;
  private float[] newState;
  private int stateOffset;
  private int batch;
  private boolean training;
  private long seed;
  private float[] scratch = new float[0];
  private int[] intScratch = new int[0];
  private Object extension;

  /**
   * @param in input buffer {@code [capacity, inSize]}, shared with the previous frame's output
   * @param out output buffer {@code [capacity, outSize]}
   * @param dIn gradient w.r.t. the input, or null when nothing upstream needs it
   * @param dOut gradient w.r.t. the output, {@code [capacity, outSize]}
   */
  public Frame(float[] in, float[] out, float[] dIn, float[] dOut) {
    this.in = in;
    this.out = out;
    this.dIn = dIn;
    this.dOut = dOut;
  }

  /** Binds the per-pass values; called by the network before each forward pass. */
  public void bind(float[] params, int paramOffset, float[] state, float[] newState, int stateOffset, int batch,
      boolean training, long seed) {
    this.params = params;
    this.paramOffset = paramOffset;
    this.state = state;
    this.newState = newState;
    this.stateOffset = stateOffset;
    this.batch = batch;
    this.training = training;
    this.seed = seed;
  }

  /** Binds the gradient vector; called by the network before each backward pass. */
  public void bindGradient(float[] grad, int gradOffset) {
    this.grad = grad;
    this.gradOffset = gradOffset;
  }

  public float[] in() {
    return in;
  }

  public float[] out() {
    return out;
  }

  /** Gradient w.r.t. the input, or null for the first layer when the input gradient is not requested. */
  public float[] dIn() {
    return dIn;
  }

  public float[] dOut() {
    return dOut;
  }

  public float[] params() {
    return params;
  }

  public int paramOffset() {
    return paramOffset;
  }

  public float[] grad() {
    return grad;
  }

  public int gradOffset() {
    return gradOffset;
  }

  /** Non-gradient state (e.g. running statistics) read in inference. */
  public float[] state() {
    return state;
  }

  /** Where training-mode forward writes updated state, or null when not collecting state. */
  public float[] newState() {
    return newState;
  }

  public int stateOffset() {
    return stateOffset;
  }

  public int batch() {
    return batch;
  }

  public boolean training() {
    return training;
  }

  /** Seed of this pass for this layer (dropout masks are a pure function of it). */
  public long seed() {
    return seed;
  }

  /** Float scratch of at least {@code n} elements, kept across passes. */
  public float[] scratch(int n) {
    if (scratch.length < n) {
      scratch = new float[n];
    }
    return scratch;
  }

  /** Int scratch of at least {@code n} elements, kept across passes. */
  public int[] intScratch(int n) {
    if (intScratch.length < n) {
      intScratch = new int[n];
    }
    return intScratch;
  }

  /** Layer-specific memory (e.g. a block's inner frames), created once on first use. */
  @SuppressWarnings("unchecked")
  public <T> T extension(Supplier<T> create) {
    if (extension == null) {
      extension = create.get();
    }
    return (T) extension;
  }
}
