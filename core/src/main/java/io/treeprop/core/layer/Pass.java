package io.treeprop.core.layer;

/**
 * What every layer of one pass shares: the flat parameter, gradient and state vectors, the rows in the pass and
 * the training flag. One per workspace, rebound before each pass; a block hands the same pass to its inner
 * layers. Each layer's own buffers and offsets are its {@link Frame}.
 *
 * <p>Call order: {@link #begin} before a forward pass, {@link #gradient} before the backward pass that follows.
 */
public final class Pass {
  private float[] params;
  private float[] state;
  private float[] newState;
  private float[] grad;
  private int batch;
  private boolean training;

  /**
   * Starts a forward pass.
   *
   * @param params the flat parameter vector
   * @param state the state vector read in inference (running statistics)
   * @param newState where training-mode forward writes updated state, or null when not training
   * @param batch rows in this pass, at most the workspace capacity
   */
  public void begin(float[] params, float[] state, float[] newState, int batch, boolean training) {
    this.params = params;
    this.state = state;
    this.newState = newState;
    this.batch = batch;
    this.training = training;
    this.grad = null;
  }

  /** Binds the gradient vector (parameter layout) that the backward pass adds into. */
  public void gradient(float[] grad) {
    this.grad = grad;
  }

  public float[] params() {
    return params;
  }

  public float[] state() {
    return state;
  }

  public float[] newState() {
    return newState;
  }

  public float[] grad() {
    return grad;
  }

  public int batch() {
    return batch;
  }

  public boolean training() {
    return training;
  }
}
